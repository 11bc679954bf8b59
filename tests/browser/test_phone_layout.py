"""Issue 13: every page fits a 390 px phone; the menu folds behind one button without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.core.demo import DEMO_PASSWORD, load_demo
from tests.browser.helpers import main_menu, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo_server(app, db, serve):
    """The demo data (companies, catalogue, orders, every document type) on a live server."""
    with app.app_context():
        load_demo(app)
    return serve(app)


def _phone(browser, server, *, javascript=True, viewport=PHONE) -> Page:
    context = browser.new_context(base_url=server.url, viewport=viewport, locale="en-US",
                                  java_script_enabled=javascript)
    return context.new_page()


def _menu_paths(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        "nav.menu a[href]", "links => links.map(a => a.getAttribute('href'))")


def _first_link(page: Page, pattern: str) -> str | None:
    hrefs = page.eval_on_selector_all("main a[href]",
                                      "links => links.map(a => a.getAttribute('href'))")
    return next((h for h in hrefs if re.fullmatch(pattern, h)), None)


def _too_wide(page: Page, paths: list[str]) -> dict[str, int]:
    wide = {}
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.viewport_size["width"]:
            wide[path] = width
    return wide


def test_every_customer_page_in_the_menu_and_every_document_fits_a_phone(browser, demo_server):
    page = _phone(browser, demo_server)
    sign_in(page, "ayse", DEMO_PASSWORD)
    paths = _menu_paths(page)
    assert len(paths) > 10 and "/orders/catalogue" in paths and "/documents/invoice/" in paths
    details = []
    for listing in [p for p in paths if re.fullmatch(r"/documents/\w+/", p)] + ["/orders/"]:
        page.goto(listing)
        found = _first_link(page, r"/(documents|orders)/\d+")
        if found:
            details.append(found)
    # One page of every document type the demo has, and an order.
    assert len(details) >= 6, details
    assert _too_wide(page, paths + details) == {}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_staff_page_in_the_menu_fits_the_window(browser, demo_server, viewport):
    """Staff pages and one record of each staff list fit a phone and a desktop window (the
    support request's side column once overflowed at 1280 px: a long merge candidate)."""
    page = _phone(browser, demo_server, viewport=viewport)
    sign_in(page, "admin", DEMO_PASSWORD)
    paths = _menu_paths(page)
    assert "/admin/users" in paths and "/admin/orders/" in paths and "/admin/branding" in paths
    for listing, pattern in [("/admin/orders/", r"/admin/orders/\d+"),
                             ("/admin/companies", r"/admin/companies/\d+"),
                             ("/admin/returns/", r"/admin/returns/\d+"),
                             ("/admin/support/", r"/admin/support/\d+")]:
        page.goto(listing)
        paths.append(_first_link(page, pattern))
    assert None not in paths
    assert _too_wide(page, paths) == {}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_on_a_phone_the_menu_folds_behind_one_button_and_the_header_keeps_its_tools(
        browser, demo_server, javascript):
    page = _phone(browser, demo_server, javascript=javascript)
    sign_in(page, "ayse", DEMO_PASSWORD)
    header = page.locator("header.site-header")
    expect(header.get_by_role("link", name=re.compile("^Cart"))).to_be_in_viewport()
    expect(header.get_by_text("Ayşe Demir")).to_be_in_viewport()
    expect(header.get_by_role("button", name="Sign out")).to_be_in_viewport()

    catalogue = main_menu(page).get_by_role("link", name="Catalogue")
    expect(catalogue).to_be_hidden()
    toggle = main_menu(page).locator("summary")
    expect(toggle).to_have_text(re.compile("^Menu"))
    assert toggle.bounding_box()["height"] >= 44
    # The keyboard opens it like a person would: Tab to the button, Enter.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(catalogue).to_be_visible()
    assert catalogue.bounding_box()["height"] >= 44
    catalogue.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalogue")
    # After navigating the menu is folded again, and the button says where we are.
    expect(main_menu(page).get_by_role("link", name="Invoices")).to_be_hidden()
    expect(toggle).to_have_text(re.compile("Catalogue"))


def test_on_a_wide_screen_the_menu_is_open_without_a_button(page, customer):
    sign_in(page, "ayse")
    expect(main_menu(page).get_by_role("link", name="My account")).to_be_visible()
    expect(main_menu(page).locator("summary")).to_be_hidden()


def test_a_wide_table_scrolls_inside_its_wrapper_and_codes_do_not_break(browser, demo_server):
    page = _phone(browser, demo_server)
    sign_in(page, "ayse", DEMO_PASSWORD)
    page.goto("/orders/")
    page.goto(_first_link(page, r"/orders/\d+"))
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")  # the lines table is wider
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    code = page.locator("#order-lines .code").first
    box = code.bounding_box()
    line_height = float(code.evaluate("c => parseFloat(getComputedStyle(c).lineHeight)"))
    assert box["height"] < 1.5 * line_height  # one line: "YP-6030", never "YP-" / "6030"


def _in_view(page: Page, selector: str) -> bool:
    """Scrolled to vertically (the page only: the table keeps its horizontal scroll at the
    start), the element's box lies within the window and nothing covers its middle."""
    return page.eval_on_selector(selector, """e => {
        window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 200);
        const r = e.getBoundingClientRect();
        const inside = r.left >= 0 && r.right <= window.innerWidth && r.width > 0;
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return inside && (hit === e || e.contains(hit));
    }""")


def test_on_a_phone_the_totals_of_a_wide_table_are_in_sight(browser, demo_server):
    page = _phone(browser, demo_server)
    sign_in(page, "ayse", DEMO_PASSWORD)
    page.goto("/orders/catalogue")
    page.locator("form.add-to-cart button").first.click()
    page.wait_for_load_state("networkidle")
    page.goto("/orders/cart")
    assert page.locator(".table-wrap").first.evaluate("w => w.scrollWidth > w.clientWidth")
    for total in ("#cart-net", "#cart-tax", "#cart-total"):
        assert _in_view(page, total), total
    page.goto("/orders/")
    page.goto(_first_link(page, r"/orders/\d+"))
    assert _in_view(page, "#order-total")
    page.goto("/balances/")
    caption = page.locator("table.ageing caption").first
    box = caption.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


@pytest.mark.parametrize("path", ["/orders/", "/returns/", "/support/"])
def test_on_a_phone_the_main_lists_are_cards_that_need_no_sideways_scroll(browser, demo_server,
                                                                          path):
    page = _phone(browser, demo_server)
    sign_in(page, "ayse", DEMO_PASSWORD)
    page.goto(path)
    wrap = page.locator("main .table-wrap").first
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), path
    first_row = page.locator("main table.cards tbody tr").first
    labels = first_row.locator("td[data-label]").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)")
    assert labels and all(label.startswith('"') and label != '""' for label in labels)
    date = first_row.locator("td[data-label]").first
    box = date.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_amounts_on_the_dashboard_panels_never_break_mid_number(browser, demo_server, viewport):
    page = _phone(browser, demo_server, viewport=viewport)
    sign_in(page, "ayse", DEMO_PASSWORD)
    page.goto("/")
    page.wait_for_selector(".balance-panel dd a")
    broken = page.eval_on_selector_all(
        ".panel dd a", "links => links.filter(a => a.getClientRects().length > 1)"
                       ".map(a => a.textContent)")
    assert broken == []
