"""A real database outage: the app reaches PostgreSQL through a loopback TCP forwarder that the
test cuts (every connection dropped, new ones refused) and restores, without restarting the app."""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest
from sqlalchemy.engine import make_url

from portal.testing import PortalClient, htmx_headers


class Forwarder:
    """Forwards 127.0.0.1:<port> to ``upstream``; :meth:`cut` drops everything, :meth:`restore`
    listens again on the same port."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = 0
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            doomed, self._sockets = [self._listener, *self._sockets], set()
            self._listener = None
        for sock in filter(None, doomed):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes the threads blocked on it
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    server.close()
                    return
                self._sockets |= {client, server}
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def forwarder(database_url):
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("a TCP outage needs PostgreSQL")
    forwarder = Forwarder((url.host or "127.0.0.1", url.port or 5432))
    yield forwarder
    forwarder.cut()


@pytest.fixture
def outage_client(forwarder, database_url, make_app, customer) -> PortalClient:
    through = make_url(database_url).set(host="127.0.0.1", port=forwarder.port)
    app = make_app(DATABASE_URL=through.render_as_string(hide_password=False))
    client = PortalClient(app)
    client.login(customer.username)
    assert client.get("/").status_code == 200
    return client


def test_while_the_database_is_down_pages_answer_503_and_recover_by_themselves(
        outage_client, forwarder):
    forwarder.cut()

    page = outage_client.get("/documents/invoice/", headers={"Accept-Language": "tr,en;q=0.5"})
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "5"
    assert "Portal kısa bir süre için kullanılamıyor" in page.text
    assert 'lang="tr"' in page.text and "Yeniden dene" in page.text
    assert "Ayşe Demir" not in page.text  # no user, no menu: nothing that needs the database

    english = outage_client.get("/orders/", headers={"Accept-Language": "en"})
    assert english.status_code == 503 and "briefly unavailable" in english.text

    fragment = outage_client.get("/orders/", headers=htmx_headers("order-list"))
    assert fragment.status_code == 503 and fragment.headers["HX-Retarget"] == "#main"
    assert "briefly unavailable" in fragment.text and "<html" not in fragment.text

    forwarder.restore()
    back = outage_client.get("/documents/invoice/")
    assert back.status_code == 200 and "Ayşe Demir" in back.text


def test_a_connection_the_server_ends_mid_request_does_not_escape_as_an_error(
        database_url, make_app):
    """A database restart ends the connections in use: closing the request's session then fails
    on its ROLLBACK, after the view returned. The answer must still be the view's, and the next
    request gets a fresh connection."""
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("ending a server connection needs PostgreSQL")
    from sqlalchemy import create_engine, text

    from portal.core.auth import public
    from portal.core.db import get_session

    app = make_app()
    killer = create_engine(database_url)

    def ended_by_the_server():
        pid = get_session().execute(text("select pg_backend_pid()")).scalar()
        with killer.connect() as conn:
            conn.execute(text("select pg_terminate_backend(:pid)"), {"pid": pid})
        return "answered"

    app.add_url_rule("/_test/ended", view_func=public(ended_by_the_server))
    client = PortalClient(app)
    try:
        assert client.get("/_test/ended").text == "answered"
        assert client.get("/login").status_code == 200
    finally:
        killer.dispose()
