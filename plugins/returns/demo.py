"""Demo RMA requests: for each demo customer, requests in every status, made through the same
services as the pages (so quantities, goods returns and credit notes agree with the demo
invoices). Idempotent: a company that already has requests is left alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from plugins.documents import services as documents
from portal.core.models import STAFF, CustomerCompany, User

from .models import ReturnRequest
from .services import processing
from .services import requests as rma
from .services import statuses as st

PLAN = {
    # company: statuses of its requests, oldest invoice first
    "C-1001": (st.CLOSED, st.CREDITED, st.RECEIVED, st.APPROVED, st.SUBMITTED, st.DRAFT,
               st.REJECTED),
    "C-1002": (st.REPLACED, st.WITHDRAWN, st.SUBMITTED, st.APPROVED),
    "C-1003": (st.REPAIRED, st.CREDITED, st.SUBMITTED),
}
DESCRIPTIONS = {
    "defective": "Ürün kutudan arızalı çıktı; fotoğraflar ektedir.",
    "damaged": "Kargoda ezilmiş olarak teslim alındı.",
    "wrong_item": "Sipariş ettiğimiz ürün yerine başka bir ürün geldi.",
}


def load_demo(session, today: dt.date | None = None) -> None:
    today = today or dt.date.today()
    staff = session.scalar(select(User).where(User.kind == STAFF, User.username == "temsilci"))
    for external_id, plan in PLAN.items():
        company = session.scalar(select(CustomerCompany)
                                 .where(CustomerCompany.external_id == external_id))
        if company is None or staff is None:
            continue
        if session.scalar(select(ReturnRequest.id)
                          .where(ReturnRequest.company_id == company.id).limit(1)):
            continue
        customer = session.scalar(select(User).where(User.company_id == company.id,
                                                     User.is_active.is_(True))
                                  .order_by(User.id).limit(1))
        if customer is None:
            continue
        invoices, _total = documents.list_documents(session, company.id, "invoice",
                                                    exclude_statuses=("cancelled",),
                                                    limit=len(plan) * 2)
        for status, invoice in zip(plan, reversed(invoices[:len(plan)]), strict=False):
            _request(session, company, customer, staff, invoice, status, today)


def _request(session, company, customer, staff, invoice, status, today) -> None:
    found = rma.returnable_lines(session, company.id, invoice.id)
    if found is None:
        return
    _invoice, rows = found
    row = next((r for r in rows if r.remaining >= 1), None)
    if row is None:
        return
    quantity = min(row.remaining, max(Decimal("1"), (row.line.quantity / 5).to_integral_value()))
    reason = ("defective", "damaged", "wrong_item")[invoice.id % 3]
    data = rma.RequestInput(description=DESCRIPTIONS[reason],
                            resolution={st.REPLACED: "replacement",
                                        st.REPAIRED: "repair"}.get(status, "credit"),
                            contact_name=customer.display_name, contact_phone="+90 555 000 00 00",
                            lines={row.line.id: rma.LineInput(quantity, reason, "opened")})
    request = rma.save_draft(session, company_id=company.id, user=customer,
                             invoice_id=invoice.id, data=data, today=today)
    started = dt.datetime.combine(min(invoice.issued_on + dt.timedelta(days=3), today),
                                  dt.time(10, 0), tzinfo=dt.UTC)
    request.created_at = started
    if status == st.DRAFT:
        return
    if status == st.WITHDRAWN:
        rma.submit(session, request, customer, today=today)
        rma.withdraw(session, request, customer, "Ürünü kendimiz onardık, iadeye gerek kalmadı.")
        return
    rma.submit(session, request, customer, today=today)
    request.submitted_at = started
    if status == st.SUBMITTED:
        return
    if status == st.REJECTED:
        processing.reject(session, request, staff, "Ürün kullanılmış; iade koşullarına uymuyor.")
        return
    approved = {line.id: line.quantity for line in request.lines}
    processing.approve(session, request, staff, approved=approved,
                       expected_on=today + dt.timedelta(days=10),
                       instructions="Ürünü orijinal ambalajında, RMA numarası dışına yazılı "
                                    "olarak Gebze deposuna gönderin.")
    if status == st.APPROVED:
        return
    processing.receive(session, request, staff, received=approved,
                       conditions={k: "opened" for k in approved}, issued_on=today)
    if status == st.RECEIVED:
        return
    if status in (st.CREDITED, st.CLOSED):
        processing.credit(session, request, staff, issued_on=today)
    else:
        processing.resolve(session, request, staff, status, "Yeni ürün kargoya verildi."
                           if status == st.REPLACED else "Ürün onarılıp geri gönderildi.")
    if status == st.CLOSED:
        processing.close(session, request, staff, "İade tamamlandı.")
