"""The service API the orders, returns and balances plugins rely on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from plugins.documents import services
from plugins.documents.services import (
    create_document,
    documents_by_origin,
    get_document,
    next_number,
    quantities_by_origin,
)

from .conftest import DAY, line


def test_create_document_computes_rounded_totals(db, make_company):
    company = make_company()
    doc = create_document(db, company_id=company.id, doc_type="invoice", number="INV-1",
                          issued_on=DAY, due_on=DAY + dt.timedelta(days=30), lines=[
                              line(quantity="3", price="10.005", tax="20"),  # 30.015 → 30.02
                              line(quantity="2", price="99.99", tax="10", discount="12.5"),
                          ])
    db.commit()
    first, second = sorted(doc.lines, key=lambda row: row.line_no)
    assert (first.net_amount, first.tax_amount, first.gross_amount) == (
        Decimal("30.02"), Decimal("6.00"), Decimal("36.02"))
    assert second.net_amount == Decimal("174.98")  # 199.98 × 0.875 = 174.9825
    assert second.tax_amount == Decimal("17.50")
    assert doc.net_total == Decimal("205.00")
    assert doc.tax_total == Decimal("23.50")
    assert doc.gross_total == Decimal("228.50")
    assert doc.due_on == DAY + dt.timedelta(days=30)
    assert isinstance(doc.gross_total, Decimal)


def test_create_document_without_lines_keeps_given_amount(db, make_company):
    company = make_company()
    doc = create_document(db, company_id=company.id, doc_type="payment", number="PAY-1",
                          issued_on=DAY, lines=[], gross_total=Decimal("1500.456"))
    assert doc.gross_total == Decimal("1500.46")


def test_create_document_refuses_unknown_header_and_foreign_base(db, make_company):
    mine, theirs = make_company(), make_company()
    with pytest.raises(TypeError):
        create_document(db, company_id=mine.id, doc_type="invoice", number="X", issued_on=DAY,
                        lines=[line()], colour="red")
    foreign = create_document(db, company_id=theirs.id, doc_type="goods_issue", number="GI-9",
                              issued_on=DAY, lines=[line()])
    with pytest.raises(ValueError):
        create_document(db, company_id=mine.id, doc_type="invoice", number="INV-9",
                        issued_on=DAY, lines=[line()], based_on=[foreign.id])


def test_next_number_is_readable_unique_and_skips_taken_numbers(db, make_company):
    company = make_company()
    assert next_number(db, "goods_issue", 2026) == "GI-2026-000001"
    create_document(db, company_id=company.id, doc_type="goods_issue", number="GI-2026-000002",
                    issued_on=DAY, lines=[line()])
    assert next_number(db, "goods_issue", 2026) == "GI-2026-000003"
    assert next_number(db, "goods_issue", 2027) == "GI-2027-000001"
    assert next_number(db, "invoice", 2026) == "INV-2026-000001"


def test_get_document_only_for_its_company(db, make_company):
    mine, theirs = make_company(), make_company()
    doc = create_document(db, company_id=mine.id, doc_type="quotation", number="QT-1",
                          issued_on=DAY, lines=[line(), line(name="Alçıpan")])
    db.commit()
    db.expunge_all()
    found = get_document(db, mine.id, doc.id)
    assert [ln.product_name for ln in found.lines] == ["Çimento 50 kg", "Alçıpan"]
    assert get_document(db, mine.id, doc.id, doc_type="quotation") is not None
    assert get_document(db, mine.id, doc.id, doc_type="invoice") is None
    assert get_document(db, theirs.id, doc.id) is None


def test_quantities_by_origin_sums_shipped_quantities(db, make_company):
    company = make_company()
    for qty in ("2", "3"):
        create_document(db, company_id=company.id, doc_type="goods_issue",
                        number=f"GI-{qty}", issued_on=DAY, lines=[
                            line(quantity=qty, origin_kind="orders.order_line", origin_ref="7"),
                            line(quantity="1", origin_kind="orders.order_line", origin_ref="8")])
    create_document(db, company_id=company.id, doc_type="goods_issue", number="GI-X",
                    issued_on=DAY, status="cancelled",
                    lines=[line(quantity="100", origin_kind="orders.order_line", origin_ref="7")])
    create_document(db, company_id=company.id, doc_type="invoice", number="INV-X",
                    issued_on=DAY,
                    lines=[line(quantity="50", origin_kind="orders.order_line", origin_ref="7")])
    result = quantities_by_origin(db, "goods_issue", "orders.order_line", ["7", "8", "9"])
    assert result == {"7": Decimal("5"), "8": Decimal("2"), "9": Decimal("0")}
    assert quantities_by_origin(db, "goods_issue", "orders.order_line", []) == {}


def test_documents_by_origin_follows_based_on_links(db, make_company):
    company = make_company()
    gi = create_document(db, company_id=company.id, doc_type="goods_issue", number="GI-1",
                         issued_on=DAY, lines=[line()], origin_kind="orders.order",
                         origin_ref="42")
    inv = create_document(db, company_id=company.id, doc_type="invoice", number="INV-1",
                          issued_on=DAY + dt.timedelta(days=1), lines=[line()],
                          based_on=[gi.id])
    pay = create_document(db, company_id=company.id, doc_type="payment", number="PAY-1",
                          issued_on=DAY + dt.timedelta(days=9), lines=[], based_on=[inv.id],
                          gross_total=inv.gross_total)
    create_document(db, company_id=company.id, doc_type="goods_issue", number="GI-2",
                    issued_on=DAY, lines=[line()], origin_kind="orders.order", origin_ref="43")
    found = documents_by_origin(db, "orders.order", "42")
    assert [d.number for d in found] == ["GI-1", "INV-1", "PAY-1"]
    assert pay.gross_total == Decimal("2220.00")
    assert documents_by_origin(db, "orders.order", "99") == []


def test_contract_names_are_exported():
    for name in ("LineData", "create_document", "next_number", "get_document",
                 "quantities_by_origin", "documents_by_origin"):
        assert hasattr(services, name)
    assert services.DOC_TYPES == ("quotation", "goods_issue", "invoice", "tax_invoice",
                                  "reconciliation", "goods_return", "credit_note", "payment")


def test_list_documents_pages_filters_and_scopes(db, company, other_company, make_document):
    import datetime as dt

    from plugins.documents.services import list_documents

    today = dt.date(2026, 6, 1)
    for i in range(5):
        make_document(company, "quotation", number=f"Q-{i}", issued_on=dt.date(2026, 5, 1 + i),
                      valid_until=today + dt.timedelta(days=i - 2))
    make_document(company, "quotation", number="Q-cancelled", status="cancelled")
    make_document(other_company, "quotation", number="Q-theirs")
    make_document(company, "invoice", number="INV-1")

    rows, total = list_documents(db, company.id, "quotation", limit=2)
    assert total == 6 and [d.number for d in rows] == ["Q-4", "Q-3"]
    rows, total = list_documents(db, company.id, "quotation", exclude_statuses={"cancelled"},
                                 valid_on=today, limit=10)
    assert total == 3 and [d.number for d in rows] == ["Q-4", "Q-3", "Q-2"]
    rows, _total = list_documents(db, company.id, "quotation", limit=2, offset=4)
    assert [d.number for d in rows] == ["Q-0", "Q-cancelled"]


def test_page_documents_pages_the_same_list_by_keyset(app, db, company, other_company,
                                                      make_document):
    import datetime as dt

    from plugins.documents.services import list_documents, page_documents

    today = dt.date(2026, 6, 1)
    for i in range(7):
        make_document(company, "quotation", number=f"Q-{i}", issued_on=dt.date(2026, 5, 1 + i // 2),
                      valid_until=today + dt.timedelta(days=i - 2))
    make_document(company, "quotation", number="Q-cancelled", status="cancelled")
    make_document(other_company, "quotation", number="Q-theirs")
    everything, total = list_documents(db, company.id, "quotation", limit=100)
    assert total == 8
    with app.test_request_context("/"):
        page = page_documents(db, company.id, "quotation", per_page=3, args={})
        seen = [d.number for d in page.items]
        while page.has_next:
            page = page_documents(db, company.id, "quotation", per_page=3, args=page.next_args)
            seen += [d.number for d in page.items]
        assert seen == [d.number for d in everything] and page.number == 3
        back = page_documents(db, company.id, "quotation", per_page=3, args=page.prev_args)
        assert [d.number for d in back.items] == seen[3:6]
        old = page_documents(db, company.id, "quotation", per_page=3, args={"page": "2"})
        assert [d.number for d in old.items] == seen[3:6] and old.number == 2
        valid = page_documents(db, company.id, "quotation", exclude_statuses={"cancelled"},
                               valid_on=today, per_page=10, args={})
        assert valid.total == 5 and [d.number for d in valid.items] == ["Q-6", "Q-5", "Q-4",
                                                                         "Q-3", "Q-2"]
