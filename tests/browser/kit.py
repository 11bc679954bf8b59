"""The browser-test kit: Python Playwright drives Debian's chromium against a live server.

Registered once for the whole suite (``tests/conftest.py``), so a browser test in any folder
uses the same session's chromium: Playwright's sync API cannot run two at once, and a module
that imported these fixtures would define a second one. Mark such a test ``browser``; every
test under ``tests/browser/`` is marked so by its conftest (``-m "not browser"`` leaves them out).
The app is built by the ``make_app`` fixture and served by werkzeug in a thread of the test
process, so the test and the server share the database. One chromium per session, a fresh
context (cookies, storage) per page. ``/usr/bin/chromium`` is required: without it the tests
fail (``make test`` installs it); ``playwright install`` is never used.

Under the strict CSP wait with ``expect(locator)``; ``page.evaluate`` goes through the DevTools
protocol and is allowed. A failing test leaves a screenshot of each of its pages in
``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from werkzeug.serving import make_server

from portal.core.db import get_session
from portal.core.settings import EXTERNAL_ACCESS, set_setting

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000
FAILED = pytest.StashKey[bool]()

expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.stash[FAILED] = True
    return report


# -- the live server ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]

    @property
    def htmx(self) -> bool:
        return self.headers.get("hx-request") == "true"

    @property
    def boosted(self) -> bool:
        return self.headers.get("hx-boosted") == "true"


@dataclass
class LiveServer:
    """The app served on a free port of 127.0.0.1; ``requests`` lists what the server received."""

    app: object
    url: str = ""
    requests: list[SeenRequest] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)

    def __post_init__(self):
        app = self.app

        def recording(environ, start_response):
            method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
            headers = {key[5:].replace("_", "-").lower(): value
                       for key, value in environ.items() if key.startswith("HTTP_")}
            self.requests.append(SeenRequest(method, path, headers))

            def noting_start_response(status, *args):
                if status.startswith("5"):
                    self.server_errors.append(f"{method} {path} -> {status}")
                return start_response(status, *args)

            try:
                return app(environ, noting_start_response)
            except Exception as exc:  # werkzeug turns it into a 500 and logs the traceback
                self.server_errors.append(f"{method} {path} -> {exc!r}")
                raise

        self._server = make_server("127.0.0.1", 0, recording, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def pages(self, method: str = "GET") -> list[SeenRequest]:
        """Requests for HTML pages and fragments (not static files)."""
        return [r for r in self.requests if r.method == method
                and not r.path.startswith("/static/") and r.path != "/favicon.ico"]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def serve() -> Callable[..., LiveServer]:
    """``serve(app)`` starts a live server for ``app``; all are stopped after the test.

    Any 5xx answer fails the test at teardown, even when the page hid it (a lazy panel, say).
    External access (customers signing in) is switched on for the app's database unless
    ``external_access=False``, which switches it off.
    """
    servers: list[LiveServer] = []

    def start(app, *, external_access: bool = True) -> LiveServer:
        with app.app_context():
            session = get_session()
            set_setting(session, EXTERNAL_ACCESS, "1" if external_access else "0")
            session.commit()
        server = LiveServer(app)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
    errors = [error for server in servers for error in server.server_errors]
    if errors:
        pytest.fail("the live server answered with a server error (its traceback is in the "
                    "captured log):\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def live_server(app, db, serve) -> LiveServer:
    """The default test app (first-party plugins) on a live server."""
    return serve(app)


# -- the browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium. "
                    "Run `make system-packages` (or `apt-get install chromium`).", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, request) -> Callable[..., Page]:
    """``new_page(server, javascript=True)``: a page in a fresh browser context.

    Each context speaks English and has ``server.url`` as base URL, so ``page.goto("/login")``
    works. A failing test saves a screenshot of every page it opened.
    """
    contexts = []
    pages: list[Page] = []

    def factory(server: LiveServer, *, javascript: bool = True) -> Page:
        context = browser.new_context(base_url=server.url, java_script_enabled=javascript,
                                      locale="en-US")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield factory
    if request.node.stash.get(FAILED, False):
        folder = Path(request.config.rootpath) / "test-artifacts"
        folder.mkdir(exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        for number, page in enumerate(pages, start=1):
            if page.is_closed():
                continue
            try:
                page.screenshot(path=str(folder / f"{stem}-{number}.png"), full_page=True)
            except Exception as exc:  # a screenshot must not hide the real failure
                print(f"screenshot of page {number} failed: {exc}")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page, live_server) -> Page:
    """A JavaScript-enabled page on the default live server."""
    return new_page(live_server)


@pytest.fixture
def nojs_page(new_page, live_server) -> Page:
    """A page with JavaScript switched off, on the default live server."""
    return new_page(live_server, javascript=False)

