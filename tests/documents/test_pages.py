"""Customer pages: lists per type, document pages, print view, isolation, filters, menu."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from plugins.documents.registry import BUILTIN_TYPES
from portal.testing import htmx_headers, visible_text

from .conftest import DAY, line

TYPE_KEYS = [t.key for t in BUILTIN_TYPES]


@pytest.mark.parametrize("doc_type", TYPE_KEYS)
def test_each_type_has_a_list_and_a_document_page(customer_client, company, make_document,
                                                  doc_type):
    base = make_document(company, "goods_issue", number="GI-BASE")
    doc = make_document(company, doc_type, number=f"{doc_type}-77", based_on=[base.id],
                        notes="Teslimat: Gebze deposu",
                        **({"period_start": DAY.replace(day=1), "period_end": DAY,
                            "opening_balance": Decimal("100"), "closing_balance": Decimal("2320")}
                           if doc_type == "reconciliation" else {}))
    soup = customer_client.soup(f"/documents/{doc_type}/")
    link = soup.find("a", string=f"{doc_type}-77")
    assert link is not None and link["href"] == f"/documents/{doc.id}"
    assert soup.find("h1") is not None and len(soup.find_all("h1")) == 1

    page = customer_client.soup(link["href"])
    text = visible_text(str(page))
    assert f"{doc_type}-77" in page.find("h1").text
    assert "Çimento 50 kg" in text and "Teslimat: Gebze deposu" in text
    assert "2,220.00" in text  # gross total, English formatting
    based = next(a for a in page.find_all("a") if "GI-BASE" in a.get_text())
    assert based["href"] == f"/documents/{base.id}"
    assert page.find("a", href=f"/documents/{doc.id}/pdf") is not None
    assert page.find("a", href=f"/documents/{doc.id}/print") is not None
    # the base document links back to the one based on it
    back = customer_client.soup(f"/documents/{base.id}")
    assert back.find("a", href=f"/documents/{doc.id}") is not None


def test_reconciliation_shows_period_and_balances(customer_client, company, make_document):
    doc = make_document(company, "reconciliation", number="RS-1", lines=[
        line(code="2026-01-10 INV-1", name="Fatura", quantity="1", price="1000", tax="0"),
        line(code="2026-02-10 PAY-1", name="Tahsilat", quantity="1", price="-400", tax="0")],
        period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 3, 31),
        opening_balance=Decimal("250"), closing_balance=Decimal("850"))
    listing = visible_text(customer_client.get("/documents/reconciliation/").text)
    assert "Jan 1, 2026 – Mar 31, 2026" in listing and "850.00" in listing
    text = visible_text(customer_client.get(f"/documents/{doc.id}").text)
    assert "Opening balance" in text and "250.00" in text
    assert "Movements" in text and "600.00" in text
    assert "-TRY 400.00" in text and "Tahsilat" in text


def test_print_view_is_a_standalone_document(customer_client, company, make_document):
    doc = make_document(company, "invoice", number="INV-PRINT")
    soup = customer_client.soup(f"/documents/{doc.id}/print")
    assert soup.find("nav", class_="menu") is None
    assert "INV-PRINT" in soup.find("h1").text
    assert "Çimento 50 kg" in soup.text


def test_amounts_and_dates_follow_the_users_language(customer_client, customer, db, company,
                                                     make_document):
    make_document(company, "invoice", number="INV-TR", lines=[
        line(quantity="1000", price="1234.5", tax="20")], due_on=dt.date(2026, 4, 4))
    customer.locale = "tr"
    db.commit()
    text = visible_text(customer_client.get("/documents/invoice/").text)
    assert "₺1.481.400,00" in text
    assert "5 Mar 2026" in text and "4 Nis 2026" in text


@pytest.mark.parametrize("suffix", ["", "/print", "/pdf"])
def test_another_customers_document_is_not_found(customer_client, other_company, make_document,
                                                 suffix):
    theirs = make_document(other_company, "invoice", number="INV-THEIRS")
    response = customer_client.get(f"/documents/{theirs.id}{suffix}")
    assert response.status_code == 404
    assert "INV-THEIRS" not in response.get_data(as_text=True)


def test_lists_and_exports_show_only_own_documents(customer_client, company, other_company,
                                                   make_document):
    make_document(company, "invoice", number="INV-MINE")
    make_document(other_company, "invoice", number="INV-THEIRS")
    page = customer_client.get("/documents/invoice/").get_data(as_text=True)
    assert "INV-MINE" in page and "INV-THEIRS" not in page
    csv_text = customer_client.get("/documents/invoice/export.csv").get_data(as_text=True)
    assert "INV-MINE" in csv_text and "INV-THEIRS" not in csv_text


def test_unknown_type_is_not_found(customer_client):
    assert customer_client.get("/documents/banana/").status_code == 404


def test_staff_and_strangers_cannot_use_customer_pages(client, staff, make_user, db):
    assert client.get("/documents/invoice/").status_code == 302  # sign in first
    client.login(staff.username)
    assert client.get("/documents/invoice/").status_code == 403


def test_without_permission_the_lists_are_forbidden(client, make_user, db):
    from portal.core.models import AccessGroup, AccessGroupExclusion, Profile

    profile = db.query(Profile).filter_by(key="customer").one()
    group = AccessGroup(name="No documents", profile_id=profile.id)
    db.add(group)
    db.flush()
    db.add(AccessGroupExclusion(group_id=group.id, permission="documents.view"))
    db.commit()
    user = make_user("nodocs", groups=[group])
    client.login(user.username)
    assert client.get("/documents/invoice/").status_code == 403
    menu = BeautifulSoup(client.get("/account/").text, "html.parser").find("nav")
    assert menu is None or "Invoices" not in menu.text


def _numbers(soup) -> list[str]:
    return [a.text for a in soup.select("#document-table tbody th a")]


def test_filters_by_period_status_and_number(customer_client, company, make_document):
    make_document(company, "invoice", number="INV-2026-0001", issued_on=dt.date(2026, 1, 10))
    make_document(company, "invoice", number="INV-2026-0002", issued_on=dt.date(2026, 2, 10),
                  status="paid")
    make_document(company, "invoice", number="INV-2026-0003", issued_on=dt.date(2026, 3, 10))
    url = "/documents/invoice/"
    assert _numbers(customer_client.soup(url + "?date_from=2026-02-01")) == [
        "INV-2026-0003", "INV-2026-0002"]
    assert _numbers(customer_client.soup(url + "?date_to=2026-02-10")) == [
        "INV-2026-0002", "INV-2026-0001"]
    assert _numbers(customer_client.soup(url + "?status=paid")) == ["INV-2026-0002"]
    assert _numbers(customer_client.soup(url + "?number=inv-2026-0003")) == ["INV-2026-0003"]
    assert _numbers(customer_client.soup(url + "?number=%25")) == []  # % is literal
    soup = customer_client.soup(url + "?date_from=not-a-date&status=paid")
    assert soup.find(id="date_from-error") is not None  # shown next to the field…
    assert _numbers(soup) == ["INV-2026-0002"]  # …and the valid filters still apply
    assert soup.find("input", id="number") is not None
    assert soup.find("label", attrs={"for": "date_from"}) is not None


def test_sorting_by_number_date_and_total(customer_client, company, make_document):
    make_document(company, "invoice", number="B", issued_on=dt.date(2026, 1, 1),
                  lines=[line(price="300")])
    make_document(company, "invoice", number="A", issued_on=dt.date(2026, 2, 1),
                  lines=[line(price="100")])
    make_document(company, "invoice", number="C", issued_on=dt.date(2026, 3, 1),
                  lines=[line(price="200")])
    url = "/documents/invoice/"
    assert _numbers(customer_client.soup(url)) == ["C", "A", "B"]  # newest first
    assert _numbers(customer_client.soup(url + "?sort=number&dir=asc")) == ["A", "B", "C"]
    assert _numbers(customer_client.soup(url + "?sort=total&dir=desc")) == ["B", "C", "A"]
    soup = customer_client.soup(url + "?sort=total&dir=desc&status=issued")
    header = soup.find("th", attrs={"aria-sort": "descending"})
    assert "Total" in header.text
    assert "dir=asc" in header.find("a")["href"] and "status=issued" in header.find("a")["href"]


def test_paging_by_fifty(customer_client, company, make_document, db):
    from plugins.documents.services import create_document

    for n in range(51):
        create_document(db, company_id=company.id, doc_type="goods_issue",
                        number=f"GI-{n:03d}", issued_on=DAY, lines=[])
    db.commit()
    first = customer_client.soup("/documents/goods_issue/?sort=number&dir=asc")
    assert len(_numbers(first)) == 50
    nxt = first.find("a", rel="next")
    assert "after=" in nxt["href"] and "sort=number" in nxt["href"]
    second = customer_client.soup(nxt["href"])
    assert _numbers(second) == ["GI-050"]
    assert second.find("a", rel="next") is None
    assert "Page 2 of 2" in second.text


def test_htmx_filter_returns_only_the_table(customer_client, company, make_document):
    make_document(company, "invoice", number="INV-H")
    form = customer_client.soup("/documents/invoice/").find("form", role="search")
    assert form["method"] == "get" and form["hx-target"] == "#document-table"
    assert form["hx-push-url"] == "true"
    response = customer_client.get("/documents/invoice/?number=INV",
                                   headers=htmx_headers(target="document-table"))
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("html") is None
    assert soup.find(id="document-table") is not None and "INV-H" in response.text
    assert "HX-Target" in response.headers["Vary"]
    boosted = customer_client.get("/documents/invoice/?number=INV",
                                  headers=htmx_headers(target="main", boosted=True))
    assert BeautifulSoup(boosted.text, "html.parser").find("html") is not None


def test_list_query_count_does_not_grow(customer_client, company, db, count_queries):
    from plugins.documents.services import create_document

    def fill(n):
        for i in range(n):
            create_document(db, company_id=company.id, doc_type="invoice",
                            number=f"Q-{n}-{i}", issued_on=DAY, lines=[line(), line()])
        db.commit()

    fill(3)
    customer_client.get("/documents/invoice/")
    with count_queries() as few:
        assert customer_client.get("/documents/invoice/").status_code == 200
    fill(30)
    with count_queries() as many:
        assert customer_client.get("/documents/invoice/").status_code == 200
    assert many.count == few.count


def test_document_page_query_count_does_not_grow_with_lines(customer_client, company,
                                                            make_document, count_queries):
    small = make_document(company, "invoice", lines=[line()])
    big = make_document(company, "invoice", lines=[line() for _ in range(30)],
                        based_on=[small.id])
    customer_client.get(f"/documents/{small.id}")
    with count_queries() as few:
        customer_client.get(f"/documents/{small.id}")
    with count_queries() as many:
        customer_client.get(f"/documents/{big.id}")
    assert many.count == few.count


def test_menu_lists_every_type_and_downloads(customer_client):
    menu = customer_client.soup("/").find("nav", class_="menu")
    assert "Documents from supplier" in menu.text
    labels = [a.text for a in menu.find_all("a")]
    for expected in ("Quotations", "Goods issues", "Invoices", "Tax invoices",
                     "Reconciliation statements", "Goods returns", "Credit notes", "Payments",
                     "Downloads"):
        assert expected in labels
    assert menu.find("a", string="Invoices")["href"] == "/documents/invoice/"


def test_menu_items_vanish_when_the_plugin_is_disabled(customer_client, app, db):
    from portal.core.db import get_session
    from portal.core.plugins import get_registry

    registry = get_registry(app)
    with app.app_context():
        session = get_session()
        for name in registry.loaded_names():  # plugins built on documents go first
            if "documents" in registry.plugins[name].requires:
                registry.set_enabled(session, name, False)
        registry.set_enabled(session, "documents", False)
        session.commit()
    menu = customer_client.soup("/account/").find("nav", class_="menu")
    assert menu is None or "Invoices" not in menu.text
    assert customer_client.get("/documents/invoice/").status_code == 404
