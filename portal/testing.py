"""The plugin author's test kit: fixtures for a fresh app on a real database, clients, users.

Use it from a plugin package's ``conftest.py``::

    pytest_plugins = ["portal.testing"]

    import pytest
    from my_plugin import plugin

    @pytest.fixture(scope="session")
    def portal_plugins():
        return {"widgets": plugin}      # registered (and enabled) whether or not it is installed

The plugins named there are *required*: one that fails to load fails the test with the reason,
instead of being set aside as a broken third-party plugin would be in production. Their
migrations are part of the test schema and their catalogs are compiled.

Fixtures (each test gets fresh ones; tables are emptied after every test):

* ``app``, ``make_app(**config)``: an app on the test database with every installed plugin plus
  ``portal_plugins``; ``db``: a session for arranging data (external access is on);
* ``client`` / ``htmx_client``: :class:`PortalClient` (adds the CSRF token to posts, ``soup()``,
  ``login()``); ``customer``, ``staff``, ``admin`` and ``customer_client``, ``staff_client``,
  ``admin_client``; ``make_company``, ``make_user``, ``customer_group``;
* ``count_queries``: ``with count_queries() as counter: ...; counter.count``;
* ``api_token`` and ``api(method, url, **kwargs)``: the integration API with a bearer token
  (needs the documents plugin).

Helpers: :func:`htmx_headers`, :func:`visible_text`, :func:`walk_pages` (a paged list's next
and previous links), :func:`make_plugin` (a throwaway plugin),
:func:`enable_plugins`, :data:`PASSWORD` (every fixture user's password).

The database is SQLite (a file per test worker) unless ``PORTAL_TEST_DATABASE_URL`` names a
PostgreSQL server: then each worker gets a database of its own next to it, dropped at the end.
The schema is built once per worker by the real Alembic migrations.
"""


from __future__ import annotations

import os
import re
from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, delete, event, text

from portal import create_app
from portal.core import passwords
from portal.core.db import Base, get_session
from portal.core.models import (
    CUSTOMER,
    STAFF,
    AccessGroup,
    AccessGroupMember,
    CustomerCompany,
    Profile,
    User,
)
from portal.core.passwords import hash_password
from portal.core.settings import EXTERNAL_ACCESS, set_setting
from portal.core.text import search_key

# Cheap argon2id parameters: the defaults cost 0.1–0.5 s per hash on a small, busy machine.
passwords.use_hasher(passwords.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))

PASSWORD = "correct-horse-battery"
_PASSWORD_HASH = hash_password(PASSWORD)


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs(portal_plugins):
    """Compile the translation catalogs when a .po is newer than its .mo (``make`` does it too)."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from portal.app import TRANSLATIONS

    roots = [TRANSLATIONS, *Path(__file__).resolve().parents[1].glob("plugins/*/translations")]
    roots += [Path(module.__file__).parent / "translations" for module in portal_plugins.values()
              if getattr(module, "__file__", None)]
    for po in (po for root in roots for po in root.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as handle:
                catalog = read_po(handle)
            with mo.open("wb") as handle:
                write_mo(handle, catalog)


# -- database -------------------------------------------------------------------------------------


def _worker_database(url: str, worker: str) -> str:
    """Create (or recreate) one PostgreSQL database per xdist worker next to ``url``'s."""
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _drop_database(url: str) -> None:
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory, portal_plugins) -> str:
    worker_id = os.environ.get("PYTEST_XDIST_WORKER", "main")  # works without pytest-xdist
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if url:
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        url = _worker_database(url, worker_id)
        request.addfinalizer(lambda: _drop_database(url))
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "schema", "PLUGINS": portal_plugins,
                      "REQUIRED_PLUGINS": set(portal_plugins)})
    from portal.core.migrate import upgrade

    upgrade(app)
    app.extensions["portal.engine"].dispose()
    return url


def _empty_tables(app) -> None:
    from sqlalchemy import inspect

    engine = app.extensions["portal.engine"]
    existing = set(inspect(engine).get_table_names())
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in existing:
                continue
            stmt = delete(table)
            if table.name == "profile":
                stmt = stmt.where(table.c.is_builtin.is_(False))
            conn.execute(stmt)


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates shared by the many apps a test run builds (keyed by source checksum)."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


_TEMPLATE_CACHE = _MemoryBytecodeCache()


@pytest.fixture(scope="session")
def portal_plugins() -> dict:
    """Plugins to register in every app of the test run, ``{name: module or object}``.

    Override it (``scope="session"``) in a plugin package's ``conftest.py``. A plugin named here
    is used instead of an installed one of the same name, it is enabled (third-party plugins
    start disabled) and required (a failure to load fails the test with the reason).
    """
    return {}


@pytest.fixture
def make_app(database_url, tmp_path, portal_plugins) -> Callable:
    """Build an app with extra config (e.g. ``PLUGINS``); every app built is cleaned up."""
    apps = []

    def factory(**config):
        settings = {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "DISCOVER_PLUGINS": True,
            "INSTANCE_PATH": str(tmp_path / f"instance{len(apps)}"),
        }
        settings.update(config)
        settings["PLUGINS"] = {**portal_plugins, **settings.get("PLUGINS", {})}
        required = settings.get("REQUIRED_PLUGINS") or ()
        if isinstance(required, str):
            required = [name.strip() for name in required.split(",")]
        settings["REQUIRED_PLUGINS"] = {*portal_plugins, *required}
        app = create_app(settings)
        app.jinja_env.bytecode_cache = _TEMPLATE_CACHE
        apps.append(app)
        if portal_plugins:
            enable_plugins(app, *portal_plugins)
        return app

    yield factory
    if apps:
        _empty_tables(apps[0])
    for app in apps:
        app.extensions["portal.engine"].dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def db(app):
    """A session on the app's database for arranging data and checking results.

    It is deliberately not tied to an app context: a pushed app context would be shared by the
    test client's requests (Flask reuses it), and with it ``g`` (Flask-Login's cached user,
    Babel's locale, …), which hides bugs. Push ``app.app_context()`` or
    ``app.test_request_context()`` yourself where code needs one. External access is switched on.
    """
    with app.app_context():
        session = get_session()
        set_setting(session, EXTERNAL_ACCESS, "1")
        session.commit()
    session = app.extensions["portal.sessionmaker"]()
    yield session
    session.close()


# -- clients --------------------------------------------------------------------------------------


class PortalClient(FlaskClient):
    """A test client that adds the CSRF token to form posts, like the browser does."""

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", os.urandom(20).hex())
        signer = URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token")
        return signer.dumps(raw)

    def post(self, *args, csrf: bool = True, **kwargs):
        if csrf:
            data = kwargs.setdefault("data", {})
            if isinstance(data, dict):
                data.setdefault("csrf_token", self.csrf_token())
        return super().post(*args, **kwargs)

    def login(self, username: str, password: str = PASSWORD):
        return self.post("/login", data={"username": username, "password": password})

    def soup(self, url: str, **kwargs) -> BeautifulSoup:
        response = self.get(url, **kwargs)
        assert response.status_code == 200, (url, response.status_code)
        return BeautifulSoup(response.text, "html.parser")


@pytest.fixture
def client(app, db) -> PortalClient:
    app.test_client_class = PortalClient
    return app.test_client()


def htmx_headers(target: str | None = None, boosted: bool = False, **extra) -> dict:
    headers = {"HX-Request": "true", "HX-Current-URL": "http://localhost/"}
    if target:
        headers["HX-Target"] = target
    if boosted:
        headers["HX-Boosted"] = "true"
    headers.update(extra)
    return headers


@pytest.fixture
def htmx_client(app, db) -> PortalClient:
    """A client whose every request is an htmx request (``HX-Request: true``)."""
    app.test_client_class = PortalClient
    client = app.test_client()
    client.environ_base["HTTP_HX_REQUEST"] = "true"
    return client


# -- people ---------------------------------------------------------------------------------------


@pytest.fixture
def make_company(db) -> Callable[..., CustomerCompany]:
    counter = iter(range(1, 10_000))

    def factory(name: str | None = None, **fields) -> CustomerCompany:
        name = name or f"Company {next(counter)}"
        company = CustomerCompany(name=name, search_key=search_key(name), **fields)
        db.add(company)
        db.commit()
        return company

    return factory


@pytest.fixture
def customer_group(db) -> AccessGroup:
    """An access group on the built-in Customer profile."""
    profile = db.query(Profile).filter_by(key="customer").one()
    group = AccessGroup(name="Test customers", profile_id=profile.id)
    db.add(group)
    db.commit()
    return group


@pytest.fixture
def make_user(db, make_company, customer_group) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def factory(username: str | None = None, kind: str = CUSTOMER, company=None,
                groups=None, **fields) -> User:
        username = username or f"user{next(counter)}"
        if kind == CUSTOMER and company is None and "company_id" not in fields:
            company = make_company()
        user = User(username=username, kind=kind, password_hash=_PASSWORD_HASH,
                    company_id=company.id if company is not None else fields.pop("company_id",
                                                                                   None),
                    **fields)
        db.add(user)
        db.flush()
        if kind == CUSTOMER:
            for group in (groups if groups is not None else [customer_group]):
                db.add(AccessGroupMember(group_id=group.id, user_id=user.id))
        db.commit()
        return user

    return factory


@pytest.fixture
def customer(make_user) -> User:
    return make_user("ayse", full_name="Ayşe Demir")


@pytest.fixture
def staff(make_user) -> User:
    return make_user("rep", kind=STAFF, full_name="Murat Kaya")


@pytest.fixture
def admin(make_user) -> User:
    return make_user("boss", kind=STAFF, is_admin=True, full_name="Deniz Yıldız")


def _signed_in(client: PortalClient, user: User) -> PortalClient:
    response = client.login(user.username)
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def customer_client(client, customer) -> PortalClient:
    return _signed_in(client, customer)


@pytest.fixture
def staff_client(client, staff) -> PortalClient:
    return _signed_in(client, staff)


@pytest.fixture
def admin_client(client, admin) -> PortalClient:
    return _signed_in(client, admin)


# -- queries and plugins ----------------------------------------------------------------------


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as counter: ...`` counts SQL statements sent by the app."""
    from contextlib import contextmanager

    engine = app.extensions["portal.engine"]

    @contextmanager
    def counting():
        counter = QueryCounter()
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return counting


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", BeautifulSoup(html, "html.parser").get_text(" ")).strip()


def walk_pages(client, url: str, rows_of: Callable) -> tuple[list, list, BeautifulSoup]:
    """Follow a list's "next" links (``rel="next"``) from ``url`` to its end, then "previous"
    back to its start; ``rows_of(soup)`` reads one page's rows.

    Returns ``(pages forward, pages backward in list order, the last page's soup)``: a list
    paged by :mod:`portal.core.paging` shows every row once, in order, both ways, so the two
    lists of pages are equal. Every "next" link must be a keyset one (``after=``)."""
    soup = client.soup(url)
    forward = [rows_of(soup)]
    while (link := soup.find("a", rel="next")) is not None:
        assert "after=" in link["href"] and "page=" not in link["href"], link["href"]
        soup = client.soup(link["href"])
        forward.append(rows_of(soup))
    last = soup
    backward = [forward[-1]]
    while (link := soup.find("a", rel="prev")) is not None:
        assert "before=" in link["href"] or "page=" not in link["href"], link["href"]
        soup = client.soup(link["href"])
        backward.insert(0, rows_of(soup))
    return forward, backward, last


# -- throwaway plugins ------------------------------------------------------------------------


def make_plugin(name: str, *, requires=(), permission: str | None = None, panel: bool = False,
                restriction: bool = False, menu_section=None, **hooks):
    """Build a small class-based plugin named ``name`` with a page at ``/<name>/``.

    It contributes a blueprint, a menu item (guarded by ``<name>.view`` when ``permission`` is
    true-ish), that permission, optionally a dashboard panel and a restriction kind. Extra
    keyword arguments become hook implementations (``portal_menu_items=lambda user: ...``).
    """
    from flask import Blueprint

    from portal import hookimpl
    from portal.core.types import MenuItem, Panel, Permission, PluginInfo, RestrictionKind

    perm = f"{name}.view" if permission else None
    bp = Blueprint(name, __name__)

    @bp.route("/")
    def index():
        return f"<h1>{name} page</h1>"

    @bp.route("/panel")
    def panel_view():
        from flask import render_template_string

        return render_template_string(f"<p>{name} panel body</p>")

    class Plugin:
        @hookimpl
        def portal_plugin_info(self):
            return PluginInfo(title=name.title(), requires=tuple(requires))

        @hookimpl
        def portal_blueprints(self):
            return [bp]

        @hookimpl
        def portal_menu_items(self, user):
            return [MenuItem(f"{name.title()} menu", f"{name}.index", permission=perm,
                             section=menu_section)]

        @hookimpl
        def portal_permissions(self):
            return [Permission(f"{name}.view", f"View {name}")]

    if panel:
        def _panels(self, user):
            return [Panel(name, f"{name.title()} panel", f"{name}.panel_view", permission=perm)]
        Plugin.portal_dashboard_panels = hookimpl(_panels)
    if restriction:
        def _kinds(self):
            return [RestrictionKind(f"{name}.things", f"{name} things",
                                    options=lambda session: [("a", "A"), ("b", "B")])]
        Plugin.portal_restriction_kinds = hookimpl(_kinds)
    for hook_name, func in hooks.items():
        setattr(Plugin, hook_name, staticmethod(hookimpl(func)))
    return Plugin()


def enable_plugins(app, *names: str) -> None:
    with app.app_context():
        session = get_session()
        for name in names:
            app.extensions["portal.plugins"].set_enabled(session, name, True)
        session.commit()


# -- the integration API ----------------------------------------------------------------------


@pytest.fixture
def api_token(db, admin) -> str:
    """A fresh bearer token for ``/api/v1`` (the documents plugin issues them)."""
    from plugins.documents.api import new_token

    _row, token = new_token(db, "ERP test", admin.id)
    db.commit()
    return token


@pytest.fixture
def api(client, api_token):
    """``api("PUT", "/api/v1/…", json=…)`` with the bearer token (``token=None`` sends none)."""

    def call(method, url, token=api_token, **kwargs):
        headers = kwargs.pop("headers", {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return client.open(url, method=method, headers=headers, **kwargs)

    return call


def read_feed(api, resource: str, since: int = 0, limit: int | None = None) -> dict:
    """One page of ``GET /api/v1/<resource>?since=…`` (asserted to answer 200), as JSON."""
    url = f"/api/v1/{resource}?since={since}" + (f"&limit={limit}" if limit else "")
    response = api("GET", url)
    assert response.status_code == 200, response.json
    return response.json


# -- e-mail and the delivery worker -----------------------------------------------------------


class SmtpServer:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives.

    ``messages`` are :class:`email.message.EmailMessage`; ``stop()`` and ``start()`` take it
    down and bring it back on the same port; ``answer`` set to e.g. ``"550 No thanks"`` makes it
    refuse every message, ``delay`` (seconds) makes it stall before greeting the client back
    (``EHLO``), so a client that gives up has handed nothing over.
    """

    def __init__(self):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.messages: list = []
        self.answer: str | None = None
        self.delay = 0.0
        self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?tls=none"

    async def handle_DATA(self, _server, _session, envelope):  # noqa: N802 - aiosmtpd's name
        from email import message_from_bytes, policy

        if self.answer:
            return self.answer
        self.messages.append(message_from_bytes(envelope.original_content,
                                                policy=policy.default))
        return "250 OK"

    async def handle_EHLO(self, _server, session, _envelope, hostname, responses):  # noqa: N802
        import asyncio

        if self.delay:
            await asyncio.sleep(self.delay)
        session.host_name = hostname
        return responses

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp_server():
    """A running :class:`SmtpServer`; point an app at it with ``make_app(SMTP_URL=server.url)``."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def deliver(app) -> int:
    """Run the worker's work once in this process: dispatch events, send what is due."""
    from portal.core.delivery import run_once

    with app.app_context():
        return run_once()


def mail_text(message) -> str:
    """The plain-text part of a delivered message."""
    return message.get_body(("plain",)).get_content()
