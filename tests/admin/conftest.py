"""Fixtures of the staff-page and access-control tests."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from portal.core.db import get_session
from portal.core.settings import EXTERNAL_ACCESS, set_setting
from portal.testing import PortalClient, enable_plugins
from tests.admin import probe


@pytest.fixture
def new_client(app, db):
    """Another browser on the same app (each call is a fresh cookie jar)."""

    def factory() -> PortalClient:
        app.test_client_class = PortalClient
        return app.test_client()

    return factory


@pytest.fixture
def probe_app(make_app):
    """An app with the throwaway ``probe`` plugin installed (third-party: disabled at first)."""
    return make_app(PLUGINS={"probe": probe}, DISCOVER_PLUGINS=False)


@pytest.fixture
def enable_probe(app, db):
    enable_plugins(app, "probe")


def set_external_access(app, on: bool) -> None:
    with app.app_context():
        session = get_session()
        set_setting(session, EXTERNAL_ACCESS, "1" if on else "0")
        session.commit()


def menu_labels(html: str) -> list[str]:
    nav = BeautifulSoup(html, "html.parser").find("nav", class_="menu")
    return [a.get_text(strip=True) for a in nav.find_all("a")] if nav else []


def flashes(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [p.get_text(" ", strip=True) for p in soup.select(".flash")]


def field_errors(html: str) -> dict[str, list[str]]:
    """Error messages next to each field, by the id of the field they describe."""
    soup = BeautifulSoup(html, "html.parser")
    errors: dict[str, list[str]] = {}
    for p in soup.select("p.error[id$='-error']"):
        errors.setdefault(re.sub(r"-error$", "", p["id"]), []).append(p.get_text(strip=True))
    return errors
