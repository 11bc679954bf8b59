"""The balances pages in a real browser: figures, the statement's period swapped by htmx (and
the same form as a plain GET without JavaScript), answering a statement, accessibility (axe),
and pages that fit a 390 px phone."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.balances.conftest import TODAY, Book
from tests.browser.helpers import htmx_ready, main_menu, sign_in

pytestmark = pytest.mark.browser

D = dt.date
SHOTS = os.environ.get("BALANCES_SCREENSHOTS")  # a folder: save screenshots there


@pytest.fixture
def app(make_app):
    return make_app(BALANCES_TODAY=TODAY.isoformat())


@pytest.fixture
def company(db, customer):
    from portal.core.models import CustomerCompany

    return db.get(CustomerCompany, customer.company_id)


@pytest.fixture
def book(db):
    return Book(db)


@pytest.fixture
def account(company, book, customer):
    invoice = book.invoice(company, "1000.00", D(2026, 3, 1), order="SO-1")
    book.invoice(company, "480.00", D(2026, 6, 20), order="SO-2")
    book.payment(company, "400.00", D(2026, 4, 10), allocations=[(invoice, "400.00")])
    book.payment(company, "250.00", D(2026, 6, 25), order="SO-3")
    book.invoice(company, "90.00", D(2026, 6, 2), currency="EUR")
    return book.statement(company)


def _violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} -> "
            + ", ".join(str(n["target"]) for n in v["nodes"])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def _fits(page: Page) -> None:
    wide = page.evaluate("""[...document.querySelectorAll('main *')].filter(
        e => e.getBoundingClientRect().right > window.innerWidth + 1
             && !e.closest('.table-wrap')).slice(0, 5).map(
        e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide: {wide}"
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_balance_and_statement_with_javascript(new_page, live_server, customer, account):
    page = new_page(live_server)
    sign_in(page, customer.username)
    main_menu(page).get_by_role("link", name="Customer balance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Customer balance")
    try_section = page.get_by_role("region", name="TRY")
    expect(try_section.get_by_text("Net balance", exact=True)).to_be_visible()
    expect(try_section.get_by_role("img", name=re.compile("Balance at each month end"))) \
        .to_be_visible()
    assert _violations(page) == []
    _shot(page, "balance-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    _fits(page)
    _shot(page, "balance-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    main_menu(page).get_by_role("link", name="Account statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Account statement")
    htmx_ready(page, "form[aria-label='Statement period']")
    page.get_by_label("Period", exact=True).select_option("this_year")
    expect(page).to_have_url(re.compile(r"period=this_year"))
    expect(page.locator("#statement")).to_contain_text("Closing balance")
    expect(page.locator("#statement tbody tr")).to_have_count(5)  # opening + 4 movements
    assert _violations(page) == []
    _shot(page, "statement-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    _fits(page)
    _shot(page, "statement-390")

    page.set_viewport_size({"width": 1280, "height": 900})
    main_menu(page).get_by_role("link", name="Balance by orders").click()
    expect(page.get_by_role("rowheader", name="SO-1")).to_be_visible()
    assert _violations(page) == []
    _shot(page, "orders-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    _fits(page)
    _shot(page, "orders-390")


def test_statement_and_dispute_without_javascript(new_page, live_server, customer, account):
    page = new_page(live_server, javascript=False)
    sign_in(page, customer.username)
    page.goto("/balances/statement")
    page.get_by_label("Period", exact=True).select_option("custom")
    page.get_by_label("From").fill("2026-04-01")
    page.get_by_label("To", exact=True).fill("2026-04-30")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"date_from=2026-04-01"))
    expect(page.locator("#statement tbody tr")).to_have_count(2)  # opening + the payment

    page.goto(f"/documents/{account.id}")
    page.get_by_label("I dispute it: some lines differ").check()
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("Say what differs, so the supplier can check it.")).to_be_visible()
    page.get_by_label("I dispute it: some lines differ").check()
    page.get_by_label(re.compile(r"2\. 2026-05-02")).check()
    page.get_by_label("What differs, and why").fill("Ödeme 5 Mayıs'ta yapıldı.")
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("Your dispute was sent to the supplier.")).to_be_visible()
    expect(page.locator("#reconciliation-answer")).to_contain_text("Lines that differ: 2")
    page.set_viewport_size({"width": 390, "height": 844})
    _fits(page)
    _shot(page, "answer-390")
