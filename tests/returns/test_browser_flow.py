"""The whole return in a real browser, with JavaScript on and off: the customer requests a
return from an invoice, staff approve it, register the goods and credit them, and the credit
note is in the customer's lists. Accessibility (axe) is checked on the JavaScript pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import main_menu, sign_in

pytestmark = pytest.mark.browser


def _returns_menu(page: Page):
    """The "Purchase returns" section of the menu (goods returns and credit notes are also
    under "Documents from supplier")."""
    return main_menu(page).locator(".menu-section").filter(has_text="Purchase returns")


def _serious_violations(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} -> "
            + ", ".join(str(n["target"]) for n in v["nodes"])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_request_approve_receive_credit(new_page, live_server, customer, staff, invoice,
                                        javascript):
    buyer = new_page(live_server, javascript=javascript)
    sign_in(buyer, customer.username)
    _returns_menu(buyer).get_by_role("link", name="RMA requests").click()
    expect(buyer.get_by_role("heading", level=1)).to_have_text("RMA requests")
    buyer.get_by_role("link", name="Create a return request").click()
    buyer.get_by_role("link", name=f"Return goods of {invoice.number}").click()
    expect(buyer.get_by_role("heading", level=1)).to_have_text("Request a return")
    if javascript:
        assert _serious_violations(buyer) == []
    buyer.get_by_label("Quantity of Çimento 50 kg to return").fill("2")
    if javascript:  # htmx shows the value of the goods as the quantity is typed
        expect(buyer.locator("#rma-total")).to_contain_text("444.00")
    buyer.get_by_label("Describe the problem").fill("Torbalar yırtık geldi.")
    buyer.get_by_role("button", name="Send").click()
    expect(buyer.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Return request RMA-"))
    expect(buyer.locator("#rma-status")).to_have_text("Sent")
    number = buyer.get_by_role("heading", level=1).inner_text().split()[-1]
    if javascript:
        assert _serious_violations(buyer) == []

    desk = new_page(live_server, javascript=javascript)
    sign_in(desk, staff.username)
    desk.goto("/admin/returns/")
    desk.get_by_role("link", name=number).click()
    desk.get_by_label("Return instructions for the customer").fill("Gebze deposuna gönderin.")
    desk.get_by_role("button", name="Approve the request").click()
    expect(desk.get_by_text(f"Request {number} approved.")).to_be_visible()
    desk.get_by_role("button", name="Register and create the goods return").click()
    expect(desk.locator("#rma-status")).to_have_text("Goods received")
    desk.get_by_role("button", name="Issue the credit note").click()
    expect(desk.locator("#rma-status")).to_have_text("Credited")
    if javascript:
        assert _serious_violations(desk) == []

    buyer.reload()
    expect(buyer.locator("#rma-status")).to_have_text("Credited")
    expect(buyer.locator("#rma-timeline")).to_contain_text("Gebze deposuna gönderin.")
    credit_note = buyer.locator("#rma-documents a").filter(has_text="CN-").inner_text()
    _returns_menu(buyer).get_by_role("link", name="Credit notes").click()
    expect(buyer.get_by_role("link", name=credit_note)).to_be_visible()
    buyer.get_by_role("link", name=credit_note).click()
    expect(buyer.get_by_role("heading", level=1)).to_contain_text(credit_note, timeout=30_000)
    buyer.get_by_role("link", name=f"Return request {number}").click(timeout=30_000)
    expect(buyer.get_by_role("heading", level=1)).to_have_text(f"Return request {number}")
    _returns_menu(buyer).get_by_role("link", name="Goods returns").click()
    expect(buyer.locator("table")).to_contain_text("GR-")
