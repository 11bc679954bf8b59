"""The typed company look-up in a real browser: suggestions with htmx, plain text without."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.core.models import CustomerCompany, User
from portal.core.text import search_key
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def companies(db, staff):
    db.add_all(CustomerCompany(name=name, external_id=code, search_key=search_key(name))
               for name, code in [("Anadolu Gıda", "AN-1"), ("Anadolu Yapı", "AN-2"),
                                  ("Işık Elektrik", "IST-7")]
               + [(f"Toplu Ticaret {i:03d}", f"T-{i:03d}") for i in range(40)])
    db.commit()


def _fill_user(page: Page, username: str) -> None:
    page.get_by_label("User name").fill(username)
    page.get_by_label("Full name").fill("Yeni Kişi")
    page.get_by_label("Password (optional)").fill("quiet-orange-kettle")


def test_typing_suggests_companies_and_the_choice_is_saved(page, live_server, companies, db):
    sign_in(page, "rep")
    page.goto("/admin/users/new")
    company = page.get_by_label("Customer company")
    options = page.locator("#company-options option")
    company.press_sequentially("anad")
    expect(options).to_have_count(2)
    expect(options.first).to_have_attribute("value", "AN-1 — Anadolu Gıda")
    company.fill("")
    company.press_sequentially("topl")
    expect(options).to_have_count(10)
    lookups = [r for r in live_server.pages() if r.path == "/admin/companies/lookup"]
    assert lookups and all(r.htmx for r in lookups)
    company.fill("AN-2 — Anadolu Yapı")  # what picking the suggestion puts in the input
    _fill_user(page, "secilen")
    page.get_by_role("button", name="Create user").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Yeni Kişi (secilen)")
    assert page.url.endswith("/admin/users/" + str(db.query(User.id).filter_by(
        username="secilen").scalar()))
    company_id = db.query(User.company_id).filter_by(username="secilen").scalar()
    assert db.get(CustomerCompany, company_id).external_id == "AN-2"


def test_without_javascript_the_typed_text_is_resolved(new_page, live_server, companies, db):
    page = new_page(live_server, javascript=False)
    sign_in(page, "rep")
    page.goto("/admin/users/new")
    page.get_by_label("Customer company").fill("anadolu")
    _fill_user(page, "yazilan")
    page.get_by_role("button", name="Create user").click()
    expect(page.locator("#company-error")).to_have_text(
        "2 customers match “anadolu”: type the code.")
    expect(page.get_by_label("Customer company")).to_have_value("anadolu")
    assert db.query(User).filter_by(username="yazilan").count() == 0
    page.get_by_label("Customer company").fill("ışık elektrik")
    page.get_by_label("Password (optional)").fill("quiet-orange-kettle")
    page.get_by_role("button", name="Create user").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Yeni Kişi (yazilan)")


def _open(app, user, subject: str) -> str:
    from plugins.support.services import open_request
    from plugins.support.services.topics import ensure_default_topics
    from portal.core.db import get_session

    with app.test_request_context():
        session = get_session()
        ensure_default_topics(session)
        request = open_request(session, company_id=user.company_id, author=user,
                               topic="other", subject=subject, body="Merhaba")
        session.commit()
        return request.number


def test_inbox_customer_filter_with_htmx(page, live_server, companies, make_user, db):
    ayse = make_user("ayse2", company=db.query(CustomerCompany).filter_by(
        external_id="IST-7").one())
    mine = _open(live_server.app, ayse, "Fatura sorusu")
    _open(live_server.app, make_user("other"), "Başka")
    sign_in(page, "rep")
    page.goto("/admin/support/")
    expect(page.locator("#inbox-table tbody tr")).to_have_count(2)
    customer = page.get_by_label("Customer (code or name)")
    customer.press_sequentially("ist-7")
    expect(page.locator("#company-options option")).to_have_count(1)
    customer.press("Enter")
    expect(page.locator("#inbox-table tbody tr")).to_have_count(1)
    expect(page.locator("#inbox-table tbody th a")).to_have_text(mine)
    expect(page).to_have_url(re.compile(r"/admin/support/\?.*company=ist-7"))
    customer.fill("yok")
    customer.press("Enter")
    expect(page.locator("#support-results .error")).to_have_text("No customer matches “yok”.")
