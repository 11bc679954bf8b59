"""The ledger: settlement by the ERP's allocations or oldest-due-first, ageing, statement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from plugins.documents import ledger
from plugins.documents.models import DocumentAllocation

from .conftest import line

TODAY = dt.date(2026, 6, 30)
SIGNS = {"invoice": 1, "credit_note": -1, "payment": -1}


@pytest.fixture
def book(db, company, make_document):
    """Helpers that write invoices and payments for ``company``."""

    class Book:
        def invoice(self, amount, issued_on, due_on=None, currency="TRY", order=None,
                    status="issued"):
            return make_document(company, "invoice", issued_on=issued_on,
                                 due_on=due_on or issued_on + dt.timedelta(days=30),
                                 lines=[line(quantity="1", price=amount, tax="0")],
                                 currency=currency, order_number=order, status=status)

        def payment(self, amount, issued_on, currency="TRY", order=None, allocations=(),
                    doc_type="payment", status="received"):
            doc = make_document(company, doc_type, issued_on=issued_on, lines=[],
                                gross_total=Decimal(amount), net_total=Decimal(amount),
                                currency=currency, order_number=order, status=status)
            for position, (target, value) in enumerate(allocations):
                invoice_id = target.id if hasattr(target, "id") else None
                db.add(DocumentAllocation(
                    document_id=doc.id, company_id=company.id, invoice_id=invoice_id,
                    order_number=None if invoice_id else target, amount=Decimal(value),
                    position=position))
            db.commit()
            return doc

    return Book()


def _balance(db, company, currency="TRY"):
    found = {b.currency: b for b in ledger.balances(db, company.id, TODAY, signs=SIGNS)}
    return found[currency]


def test_payments_without_allocations_settle_the_oldest_due_invoice_first(db, company, book):
    old = book.invoice("1000.00", dt.date(2026, 3, 1))       # due 31 Mar: 91 days overdue
    mid = book.invoice("500.00", dt.date(2026, 5, 1))        # due 31 May: 30 days overdue
    new = book.invoice("300.00", dt.date(2026, 6, 20))       # due 20 Jul: not yet due
    book.payment("1200.00", dt.date(2026, 6, 25))
    items = {i.id: i.outstanding for i in ledger.settle(db, company.id, signs=SIGNS).items}
    assert old.id not in items
    assert items == {mid.id: Decimal("300.00"), new.id: Decimal("300.00")}
    balance = _balance(db, company)
    assert balance.overdue == {"1-30": Decimal("300.00"), "31-60": 0, "61-90": 0, "90+": 0}
    assert balance.not_due == Decimal("300.00")
    assert balance.next_due_on == dt.date(2026, 7, 20)
    assert balance.auto_settled
    assert balance.net == balance.payable - balance.advances == Decimal("600.00")


def test_allocations_settle_what_they_name_and_the_rest_is_an_advance(db, company, book):
    old = book.invoice("1000.00", dt.date(2026, 1, 10))
    new = book.invoice("400.00", dt.date(2026, 6, 1))
    book.payment("600.00", dt.date(2026, 6, 10), allocations=[(new, "400.00")])
    items = {i.id: i.outstanding for i in ledger.settle(db, company.id, signs=SIGNS).items}
    assert items == {old.id: Decimal("1000.00")}
    balance = _balance(db, company)
    assert balance.advances == Decimal("200.00")
    assert balance.overdue["90+"] == Decimal("1000.00")
    assert not balance.auto_settled
    assert balance.net == Decimal("800.00") == balance.payable - balance.advances


def test_an_order_prepayment_settles_that_orders_invoices_and_keeps_the_rest(db, company,
                                                                              book):
    other = book.invoice("700.00", dt.date(2026, 2, 1), order="SO-1")
    ordered = book.invoice("1000.00", dt.date(2026, 6, 1), order="SO-2")
    book.payment("1500.00", dt.date(2026, 5, 20), order="SO-2")          # a prepayment
    book.payment("100.00", dt.date(2026, 5, 21), allocations=[("SO-3", "100.00")])
    items = {i.id: i.outstanding for i in ledger.settle(db, company.id, signs=SIGNS).items}
    assert items == {other.id: Decimal("700.00")}
    assert ordered.id not in items
    orders = {o.order_number: o for o in ledger.order_balances(db, company.id, signs=SIGNS)}
    assert orders["SO-2"].invoiced == Decimal("1000.00")
    assert orders["SO-2"].paid == Decimal("1000.00")
    assert orders["SO-2"].advance == Decimal("500.00")
    assert orders["SO-1"].outstanding == Decimal("700.00")
    assert orders["SO-3"].advance == Decimal("100.00") and orders["SO-3"].invoiced == 0
    assert _balance(db, company).advances == Decimal("600.00")


def test_currencies_are_never_summed_and_cancelled_documents_count_zero(db, company, book,
                                                                         make_document):
    book.invoice("100.00", dt.date(2026, 6, 1), currency="EUR")
    book.invoice("250.00", dt.date(2026, 6, 1))
    book.invoice("999.00", dt.date(2026, 6, 1), status="cancelled")
    book.payment("50.00", dt.date(2026, 6, 2), status="cancelled")
    make_document(company, "tax_invoice", issued_on=dt.date(2026, 6, 1))
    found = {b.currency: b.net for b in ledger.balances(db, company.id, TODAY, signs=SIGNS)}
    assert found == {"TRY": Decimal("250.00"), "EUR": Decimal("100.00")}


def test_statement_pages_carry_the_running_balance(db, company, book):
    book.invoice("100.00", dt.date(2026, 1, 5))
    for day in range(1, 8):
        book.invoice(f"{day}0.00", dt.date(2026, 3, day))
        book.payment("5.00", dt.date(2026, 3, day))
    whole = ledger.statement(db, company.id, "TRY", dt.date(2026, 3, 1), dt.date(2026, 3, 31),
                             limit=None, signs=SIGNS)
    assert whole.opening == Decimal("100.00")
    assert whole.debits == Decimal("280.00") and whole.credits == Decimal("35.00")
    assert whole.closing == Decimal("345.00") == whole.movements[-1].balance
    pages, after = [], None
    while True:
        page = ledger.statement(db, company.id, "TRY", dt.date(2026, 3, 1),
                                dt.date(2026, 3, 31), after=after, limit=3, signs=SIGNS)
        pages.extend(page.movements)
        after = page.next_cursor
        if after is None:
            break
    assert pages == whole.movements
    assert [m.number for m in pages] == [m.number for m in sorted(
        pages, key=lambda m: (m.issued_on, m.id))]


def test_month_end_balances_and_the_opening_balance_are_aggregates(db, company, book,
                                                                  count_queries):
    book.invoice("100.00", dt.date(2026, 1, 5))
    book.payment("40.00", dt.date(2026, 2, 5))
    ends = [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31)]
    with count_queries() as counter:
        result = ledger.month_end_balances(db, company.id, ends, signs=SIGNS)
        opening = ledger.balance_on(db, company.id, "TRY", dt.date(2026, 2, 6), signs=SIGNS)
    assert counter.count == 2
    assert result == {"TRY": [Decimal("100.00"), Decimal("60.00"), Decimal("60.00")]}
    assert opening == Decimal("60.00")


def test_credit_limit_gives_the_credit_still_available(db, company, book):
    ledger.set_company_terms(db, company.id, credit_limit=Decimal("5000"),
                             credit_currency="TRY", payment_terms_days=45)
    db.commit()
    book.invoice("1200.00", dt.date(2026, 6, 1))
    balance = _balance(db, company)
    assert balance.credit_limit == Decimal("5000.00")
    assert balance.credit_available == Decimal("3800.00")
