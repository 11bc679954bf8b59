"""Fixtures for the documents plugin's tests: documents, another customer, API tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from plugins.documents.models import Document
from plugins.documents.services import LineData, create_document

DAY = dt.date(2026, 3, 5)


def line(name="Çimento 50 kg", quantity="10", price="185.00", tax="20", discount="0",
         code="YP-1020", unit="torba", **kw) -> LineData:
    return LineData(product_code=code, product_name=name, quantity=Decimal(quantity), unit=unit,
                    unit_price=Decimal(price), tax_rate=Decimal(tax),
                    discount_rate=Decimal(discount), **kw)


@pytest.fixture
def make_document(db) -> Callable[..., Document]:
    counter = iter(range(1, 100_000))

    def factory(company, doc_type="invoice", number=None, issued_on=DAY, lines=None,
                **fields) -> Document:
        n = next(counter)
        doc = create_document(db, company_id=company.id if hasattr(company, "id") else company,
                              doc_type=doc_type, number=number or f"{doc_type[:3].upper()}-{n:04d}",
                              issued_on=issued_on,
                              lines=[line()] if lines is None else lines, **fields)
        db.commit()
        return doc

    return factory


@pytest.fixture
def company(db, customer):
    from portal.core.models import CustomerCompany

    return db.get(CustomerCompany, customer.company_id)


@pytest.fixture
def other_company(make_company):
    return make_company("Işık Elektrik Ltd. Şti.")
