"""Fixtures for the balances plugin's tests: money documents written through documents'
services, a fixed "today", and another customer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from plugins.documents.models import DocumentAllocation
from plugins.documents.services import LineData, create_document

TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def app(make_app):
    return make_app(BALANCES_TODAY=TODAY.isoformat())


@pytest.fixture
def company(db, customer):
    from portal.core.models import CustomerCompany

    return db.get(CustomerCompany, customer.company_id)


@pytest.fixture
def other_company(make_company):
    return make_company("Işık Elektrik Ltd. Şti.")


class Book:
    """Writes invoices, payments and statements for a company (through documents' services)."""

    def __init__(self, db):
        self.db = db
        self.n = 0

    def _number(self, prefix):
        self.n += 1
        return f"{prefix}-{self.n:05d}"

    def invoice(self, company, amount, issued_on, due_on=None, currency="TRY", order=None,
                status="issued"):
        doc = create_document(
            self.db, company_id=company.id, doc_type="invoice", number=self._number("INV"),
            issued_on=issued_on, due_on=due_on or issued_on + dt.timedelta(days=30),
            lines=[LineData("P-1", "Çimento 50 kg", Decimal("1"), "torba", Decimal(amount),
                            Decimal("0"))],
            currency=currency, order_number=order, status=status)
        self.db.commit()
        return doc

    def payment(self, company, amount, issued_on, currency="TRY", order=None, allocations=(),
                doc_type="payment"):
        doc = create_document(
            self.db, company_id=company.id, doc_type=doc_type, number=self._number("PAY"),
            issued_on=issued_on, lines=[], gross_total=Decimal(amount),
            net_total=Decimal(amount), currency=currency, order_number=order,
            status="received" if doc_type == "payment" else "issued")
        for position, (target, value) in enumerate(allocations):
            is_doc = hasattr(target, "id")
            self.db.add(DocumentAllocation(
                document_id=doc.id, company_id=company.id,
                invoice_id=target.id if is_doc else None,
                order_number=None if is_doc else target, amount=Decimal(value),
                position=position))
        self.db.commit()
        return doc

    def statement(self, company, lines=("2026-04-02 INV-1", "2026-05-02 PAY-1")):
        doc = create_document(
            self.db, company_id=company.id, doc_type="reconciliation",
            number=self._number("RS"), issued_on=dt.date(2026, 7, 1),
            lines=[LineData(ref, "Fatura", Decimal("1"), "", Decimal("100"), Decimal("0"))
                   for ref in lines],
            period_start=dt.date(2026, 4, 1), period_end=dt.date(2026, 6, 30),
            opening_balance=Decimal("0"), closing_balance=Decimal("200"))
        self.db.commit()
        return doc


@pytest.fixture
def book(db):
    return Book(db)
