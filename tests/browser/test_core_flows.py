"""Issue 2 in a real browser: sign in, boosted menu navigation, sign out, lazy panels, a11y."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.helpers import enable_plugin, main_menu, panel_plugin, sign_in, sign_out

pytestmark = pytest.mark.browser

MARKER = "window.__portalNoReload"
PANEL_BODY = "42 pallets waiting in the Gebze warehouse"


def test_customer_moves_through_the_menu_with_boosted_links_and_signs_out(
        page: Page, live_server, customer):
    sign_in(page, "ayse")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Ayşe Demir")
    # A value kept in the window survives only navigation that does not reload the page.
    page.evaluate(f"{MARKER} = 'still the same page'")
    served = len(live_server.requests)

    main_menu(page).get_by_role("link", name="My account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page).to_have_url(re.compile(r"/account/$"))
    expect(main_menu(page).get_by_role("link", name="My account")).to_have_attribute(
        "aria-current", "page")
    expect(page).to_have_title(re.compile("^My account"))
    assert page.evaluate(MARKER) == "still the same page"

    main_menu(page).get_by_role("link", name="Home").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Ayşe Demir")
    expect(page).to_have_url(re.compile(r"/$"))
    assert page.evaluate(MARKER) == "still the same page"

    navigations = [r for r in live_server.requests[served:] if r.path in ("/account/", "/")]
    assert [(r.path, r.boosted) for r in navigations] == [("/account/", True), ("/", True)]

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")

    sign_out(page)
    page.goto("/account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_text("Please sign in to see this page.")).to_be_visible()


def test_a_copied_cookie_is_useless_after_sign_out(new_page, live_server, customer):
    page = new_page(live_server)
    sign_in(page, "ayse")
    thief = new_page(live_server)
    thief.context.add_cookies(page.context.cookies())
    thief.goto("/account/")
    expect(thief.get_by_role("heading", level=1)).to_have_text("My account")

    sign_out(page)
    thief.goto("/account/")
    expect(thief.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(thief.get_by_text("ayse")).to_have_count(0)


def test_the_same_flow_works_without_javascript(nojs_page: Page, live_server, customer):
    page = nojs_page
    sign_in(page, "ayse")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Ayşe Demir")

    main_menu(page).get_by_role("link", name="My account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page.get_by_text("Ayşe Demir").first).to_be_visible()
    main_menu(page).get_by_role("link", name="Home").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Ayşe Demir")

    sign_out(page)
    page.goto("/account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    # Plain links and forms only: htmx never ran.
    assert live_server.pages("GET") and live_server.pages("POST")
    assert not [r for r in live_server.requests if r.htmx]


@pytest.fixture
def panel_server(make_app, serve, db):
    app = make_app(PLUGINS={"stock": panel_plugin("stock", "Stock", PANEL_BODY)})
    enable_plugin(app, "stock")
    return serve(app)


def test_dashboard_panels_load_lazily(new_page, panel_server, customer):
    page = new_page(panel_server)
    sign_in(page, "ayse")
    panel = page.get_by_role("region", name="Stock")
    expect(panel).to_contain_text(PANEL_BODY)
    expect(panel.get_by_role("link", name="Stock", exact=True)).to_have_count(0)
    loads = [r for r in panel_server.requests if r.path == "/stock/panel"]
    assert [(r.headers.get("hx-target"), r.boosted) for r in loads] == [("panel-stock", False)]


def test_dashboard_panel_is_a_link_without_javascript(new_page, panel_server, customer):
    page = new_page(panel_server, javascript=False)
    sign_in(page, "ayse")
    panel = page.get_by_role("region", name="Stock")
    expect(panel).not_to_contain_text(PANEL_BODY)
    panel.get_by_role("link", name="Stock", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stock")
    expect(page.get_by_text(PANEL_BODY)).to_be_visible()


def _serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} -> "
            + ", ".join(str(n["target"]) for n in v["nodes"])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_sign_in_page_and_dashboard_have_no_serious_accessibility_violations(
        new_page, panel_server, customer):
    page = new_page(panel_server)
    page.goto("/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert _serious_violations(page) == []

    page.get_by_label("User name").fill("ayse")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("not correct")
    assert _serious_violations(page) == []

    sign_in(page, "ayse")
    expect(page.get_by_role("region", name="Stock")).to_contain_text(PANEL_BODY)
    assert _serious_violations(page) == []
