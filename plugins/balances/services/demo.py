"""Demo figures worth looking at, on top of the documents plugin's demo year.

For the first demo customer (C-1001): a credit limit and payment terms, an order prepaid in
part (an advance), an overdue invoice of that order partly paid; and a disputed reconciliation
statement. Idempotent: nothing is added twice. Written through the documents plugin's
services only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from portal.core.models import CustomerCompany, User

from .account import ledger, services

COMPANY = "C-1001"
MARK = "DEMO-BAL-"


def load_demo(session, today: dt.date | None = None) -> None:
    today = today or dt.date.today()
    company = session.scalar(select(CustomerCompany)
                             .where(CustomerCompany.external_id == COMPANY))
    if company is None:
        return
    book, docs = ledger(), services()
    if docs.find_document(session, "invoice", f"{MARK}INV-1") is not None:
        return
    book.set_company_terms(session, company.id, credit_limit=Decimal("250000"),
                           credit_currency="TRY", payment_terms_days=30,
                           payment_terms="30 gün vadeli")
    order_no = "SO-DEMO-0001"
    line = docs.LineData(product_code="YP-3301", product_name="İnşaat demiri Ø12",
                         quantity=Decimal("2"), unit="ton", unit_price=Decimal("21450.00"),
                         tax_rate=Decimal("20"))
    issued = today - dt.timedelta(days=75)
    invoice = docs.create_document(
        session, company_id=company.id, doc_type="invoice",
        number=docs.next_number(session, "invoice", issued.year), issued_on=issued,
        lines=[line], due_on=issued + dt.timedelta(days=30), status="partially_paid",
        order_number=order_no, external_id=f"{MARK}INV-1", notes=f"Sipariş {order_no}")
    paid = today - dt.timedelta(days=40)
    docs.create_document(
        session, company_id=company.id, doc_type="payment",
        number=docs.next_number(session, "payment", paid.year), issued_on=paid, lines=[],
        status="received", gross_total=Decimal("30000.00"), net_total=Decimal("30000.00"),
        order_number=order_no, external_id=f"{MARK}PAY-1",
        notes=f"Havale/EFT · {invoice.number}", based_on=[invoice.id])
    prepaid = today - dt.timedelta(days=5)
    docs.create_document(
        session, company_id=company.id, doc_type="payment",
        number=docs.next_number(session, "payment", prepaid.year), issued_on=prepaid,
        lines=[], status="received", gross_total=Decimal("15000.00"),
        net_total=Decimal("15000.00"), order_number="SO-DEMO-0002",
        external_id=f"{MARK}PAY-2", notes="Ön ödeme · SO-DEMO-0002")
    newest, _count = docs.list_documents(session, company.id, "reconciliation", limit=1)
    statement = newest[0] if newest else None
    user = session.scalar(select(User).where(User.username == "ayse"))
    if statement is not None and book.reconciliation_answer(session, statement.id) is None:
        book.answer_reconciliation(
            session, statement, answer=book.DISPUTED, disputed_lines=[1],
            reason="1. satırdaki fatura tutarı bizim kayıtlarımızda farklı görünüyor.",
            user=user)
    session.flush()
