"""Fixtures of the returns tests: invoices through the documents plugin's services, requests
made through the returns services, the customer's and another company's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from plugins.documents.services import LineData, create_document
from portal.core.models import CustomerCompany

TODAY = dt.date.today()


def line(code="YP-1020", name="Çimento 50 kg", quantity="10", unit="torba", price="185.00",
         tax="20", discount="0", **kw) -> LineData:
    return LineData(product_code=code, product_name=name, quantity=D(quantity), unit=unit,
                    unit_price=D(price), tax_rate=D(tax), discount_rate=D(discount), **kw)


@pytest.fixture
def company(db, customer):
    return db.get(CustomerCompany, customer.company_id)


@pytest.fixture
def other_company(make_company):
    return make_company("Işık Elektrik Ltd. Şti.")


@pytest.fixture
def make_invoice(app, db):
    """``make_invoice(company, lines=[...], issued_on=..., status=...)`` → the invoice."""
    counter = iter(range(1, 100_000))

    def factory(company, lines=None, issued_on=None, doc_type="invoice", based_on=(),
                **header):
        with app.app_context():
            doc = create_document(
                db, company_id=company.id, doc_type=doc_type,
                number=header.pop("number", f"{doc_type[:3].upper()}-T-{next(counter):05d}"),
                issued_on=issued_on or TODAY - dt.timedelta(days=5),
                lines=lines if lines is not None else [
                    line(), line("YP-3301", "İnşaat demiri Ø12", "2,5".replace(",", "."),
                                 "ton", "21450.00")],
                based_on=based_on, **header)
            db.commit()
            db.refresh(doc)
            return doc

    return factory


@pytest.fixture
def invoice(make_invoice, company):
    return make_invoice(company)


def invoice_lines(db, invoice_id):
    from sqlalchemy import select

    from plugins.documents.models import DocumentLine

    return list(db.scalars(select(DocumentLine).where(DocumentLine.document_id == invoice_id)
                           .order_by(DocumentLine.line_no)))


@pytest.fixture
def make_request(app, db):
    """``make_request(user, invoice, {line_index: qty}, status=...)`` → request id, through the
    services (and staff steps for later statuses)."""
    from plugins.returns.services import processing
    from plugins.returns.services import requests as rma
    from plugins.returns.services import statuses as st

    def factory(user, invoice, quantities=None, status="submitted", staff=None,
                description="Kırık geldi."):
        lines = invoice_lines(db, invoice.id)
        quantities = quantities or {0: "2"}
        with app.test_request_context():
            data = rma.RequestInput(
                description=description, contact_name="Ayşe Demir",
                lines={lines[i].id: rma.LineInput(D(q)) for i, q in quantities.items()})
            request = rma.save_draft(db, company_id=user.company_id, user=user,
                                     invoice_id=invoice.id, data=data)
            if status != st.DRAFT:
                rma.submit(db, request, user)
            if status in (st.APPROVED, st.RECEIVED, st.CREDITED, st.CLOSED, st.REJECTED):
                if status == st.REJECTED:
                    processing.reject(db, request, staff, "Kullanılmış.")
                else:
                    processing.approve(db, request, staff,
                                       approved={ln.id: ln.quantity for ln in request.lines},
                                       expected_on=TODAY + dt.timedelta(days=7),
                                       instructions="Depoya gönderin.")
            if status in (st.RECEIVED, st.CREDITED, st.CLOSED):
                processing.receive(db, request, staff,
                                   received={ln.id: ln.quantity for ln in request.lines},
                                   conditions={})
            if status in (st.CREDITED, st.CLOSED):
                processing.credit(db, request, staff)
            if status == st.CLOSED:
                processing.close(db, request, staff)
            if status == st.WITHDRAWN:
                rma.withdraw(db, request, user)
            db.commit()
            return request.id

    return factory
