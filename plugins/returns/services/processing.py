"""The supplier's side: approve or reject, register the goods received (a goods return document),
credit them (a credit note) or mark them replaced / repaired, close.

Each function is one step of one transaction: it changes the request, creates the documents
through the documents plugin's services and calls :func:`status.change_status` (history, audit,
event). Nothing commits; the caller does, once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _

from plugins.documents import services as documents

from ..models import RequestDocument, ReturnRequest
from . import statuses as st
from .quantities import whole_units
from .status import ReturnError, change_status


def _check_quantities(request: ReturnRequest, quantities: dict[int, Decimal], cap) -> dict:
    errors = {}
    for line in request.lines:
        value = quantities.get(line.id)
        if value is None:
            errors[line.id] = _("Enter a quantity (0 for none).")
        elif value < 0 or value > cap(line):
            errors[line.id] = _("Between 0 and %(most)s.", most=_plain(cap(line)))
        elif whole_units(line.unit, line.invoiced_quantity) and value != value.to_integral_value():
            errors[line.id] = _("This product is returned in whole units only.")
    return errors


def _plain(value) -> str:
    from flask_babel import format_decimal

    return format_decimal(value, format="#,##0.####")


def approve(session, request: ReturnRequest, user, *, approved: dict[int, Decimal],
            expected_on: dt.date | None, instructions: str) -> None:
    """Approve with a quantity per line (at most what was asked; 0 refuses that line)."""
    if request.status != st.SUBMITTED:
        raise ReturnError(_("Only a sent request can be approved."))
    errors = _check_quantities(request, approved, lambda line: line.quantity)
    if errors:
        raise ReturnError(_("Please correct the marked lines."), line_errors=errors)
    if not any(approved[line.id] > 0 for line in request.lines):
        raise ReturnError(_("Approve at least one line, or reject the request."))
    for line in request.lines:
        line.approved_quantity = approved[line.id]
    request.expected_on = expected_on
    request.instructions = instructions.strip()
    change_status(session, request, st.APPROVED, actor=user, by_supplier=True,
                  message=request.instructions)


def reject(session, request: ReturnRequest, user, reason: str) -> None:
    if not reason.strip():
        raise ReturnError(_("Give the customer a reason."))
    if request.status != st.SUBMITTED:
        raise ReturnError(_("Only a sent request can be rejected."))
    request.reject_reason = reason.strip()
    change_status(session, request, st.REJECTED, actor=user, by_supplier=True, message=reason)


def _invoice(session, request: ReturnRequest):
    invoice = documents.get_document(session, request.company_id, request.invoice_id, "invoice")
    if invoice is None:
        raise ReturnError(_("The invoice of this request no longer exists."))
    return invoice


def link_document(request: ReturnRequest, doc) -> None:
    if any(d.document_id == doc.id for d in request.documents):
        return
    request.documents.append(RequestDocument(document_id=doc.id, doc_type=doc.doc_type,
                                             number=doc.number, issued_on=doc.issued_on))


def receive(session, request: ReturnRequest, user, *, received: dict[int, Decimal],
            conditions: dict[int, str], issued_on: dt.date | None = None,
            message: str = ""):
    """Register the goods that arrived; creates the goods return document based on the invoice.

    Returns the goods return (a document of the documents plugin).
    """
    if request.status != st.APPROVED:
        raise ReturnError(_("Goods can be received only for an approved request."))
    errors = _check_quantities(request, received, lambda line: line.approved_quantity or 0)
    if errors:
        raise ReturnError(_("Please correct the marked lines."), line_errors=errors)
    if not any(received[line.id] > 0 for line in request.lines):
        raise ReturnError(_("Enter the received quantity of at least one line."))
    invoice = _invoice(session, request)
    by_id = {line.id: line for line in invoice.lines}
    pairs = []
    for line in request.lines:
        line.received_quantity = received[line.id]
        line.received_condition = conditions.get(line.id, "") or ""
        if line.received_quantity > 0 and line.invoice_line_id in by_id:
            pairs.append((by_id[line.invoice_line_id], line.received_quantity))
    goods_return = documents.create_from_invoice(
        session, invoice, "goods_return", pairs, issued_on=issued_on or dt.date.today(),
        origin_kind="returns.rma", origin_ref=str(request.id),
        notes=f"{request.number}")
    link_document(request, goods_return)
    change_status(session, request, st.RECEIVED, actor=user, by_supplier=True,
                  message=message or _("Goods return %(number)s registered.",
                                       number=goods_return.number))
    return goods_return


def credit(session, request: ReturnRequest, user, *, issued_on: dt.date | None = None,
           message: str = ""):
    """Issue the credit note for the received goods (a money document on the credit side)."""
    if request.status != st.RECEIVED:
        raise ReturnError(_("A credit note can be issued once the goods are received."))
    invoice = _invoice(session, request)
    by_id = {line.id: line for line in invoice.lines}
    pairs = []
    for line in request.lines:
        quantity = line.received_quantity or Decimal("0")
        line.credited_quantity = quantity
        if quantity > 0 and line.invoice_line_id in by_id:
            pairs.append((by_id[line.invoice_line_id], quantity))
    if not pairs:
        raise ReturnError(_("Nothing was received, so there is nothing to credit."))
    goods_returns = [d.document_id for d in request.documents if d.doc_type == "goods_return"]
    note = documents.create_from_invoice(
        session, invoice, "credit_note", pairs, issued_on=issued_on or dt.date.today(),
        based_on=goods_returns, origin_kind="returns.rma", origin_ref=str(request.id),
        notes=f"{request.number}")
    link_document(request, note)
    change_status(session, request, st.CREDITED, actor=user, by_supplier=True,
                  message=message or _("Credit note %(number)s issued.", number=note.number))
    return note


def resolve(session, request: ReturnRequest, user, status: str, message: str = "") -> None:
    """Mark the received goods replaced or repaired."""
    if status not in (st.REPLACED, st.REPAIRED):
        raise ReturnError("resolve() takes replaced or repaired")
    if request.status != st.RECEIVED:
        raise ReturnError(_("Goods can be replaced or repaired once they are received."))
    change_status(session, request, status, actor=user, by_supplier=True, message=message)


def close(session, request: ReturnRequest, user, message: str = "") -> None:
    change_status(session, request, st.CLOSED, actor=user, by_supplier=True, message=message)
