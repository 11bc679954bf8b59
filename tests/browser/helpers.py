"""Steps shared by the browser tests: signing in and out, a throwaway plugin with a panel."""

from __future__ import annotations

from flask import Blueprint, render_template_string
from markupsafe import Markup
from playwright.sync_api import Page, expect

from portal import hookimpl
from portal.core.db import get_session
from portal.core.rendering import fragment_target
from portal.core.types import MenuItem, Panel, PluginInfo
from portal.testing import PASSWORD

_PAGE = """{% extends "base.html" %}
{% block title %}{{ title }}{% endblock %}
{% block content %}<h1>{{ title }}</h1>{{ body }}{% endblock %}"""


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in form, the way a person does."""
    page.goto("/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    """Press the layout's sign-out button and land on the sign-in page."""
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def main_menu(page: Page):
    return page.get_by_role("navigation", name="Main menu")


def panel_plugin(name: str, title: str, body: str):
    """A third-party-like plugin with a dashboard panel at ``/<name>/panel``.

    The panel answers a plain GET with a full page and the htmx request targeting
    ``panel-<name>`` with its fragment, as the ``Panel`` contract asks.
    """
    bp = Blueprint(name, __name__)

    @bp.route("/panel")
    def panel():
        fragment = render_template_string("<p>{{ body }}</p>", body=body)
        if fragment_target() == f"panel-{name}":
            return fragment
        return render_template_string(_PAGE, title=title, body=Markup(fragment))

    class Plugin:
        @hookimpl
        def portal_plugin_info(self):
            return PluginInfo(title=title)

        @hookimpl
        def portal_blueprints(self):
            return [bp]

        @hookimpl
        def portal_menu_items(self, user):
            return [MenuItem(title, f"{name}.panel", order=500)]

        @hookimpl
        def portal_dashboard_panels(self, user):
            return [Panel(name, title, f"{name}.panel")]

    return Plugin()


def enable_plugin(app, name: str) -> None:
    with app.app_context():
        session = get_session()
        app.extensions["portal.plugins"].set_enabled(session, name, True)
        session.commit()


# -- htmx -----------------------------------------------------------------------------------------


def htmx_ready(page: Page, selector: str) -> None:
    """Wait until htmx has wired ``selector`` (its ``hx-*`` attributes are live).

    After a boosted navigation the new content is visible a moment before htmx processes it; a
    ``change`` fired in between reaches an element htmx does not yet listen on, so nothing is
    requested. Call this before changing a control whose ``hx-trigger`` the test relies on.
    """
    page.wait_for_function(
        "s => { const e = document.querySelector(s);"
        " return !!(e && e['htmx-internal-data'] && e['htmx-internal-data'].initHash); }",
        arg=selector, timeout=10_000)
