"""The ``rma-requests`` resource of the integration API (documents' ``portal_api_resources``).

``GET /api/v1/rma-requests/{number}`` reads a request by its RMA number. ``PUT`` is the ERP's
status update: the new status, an optional message for the customer, per-line quantities and
the documents the ERP created for it (sent first as ``goods-returns`` / ``credit-notes``).
It goes through the same :func:`change_status` as the portal's pages (history, audit entry,
event with subject ``("rma", id)``), and is idempotent: the same update twice changes nothing.
"""

from __future__ import annotations

from sqlalchemy import select

from plugins.documents import services as documents
from plugins.documents.types import ApiFeed, ApiField, ApiResource, PayloadError
from portal.core.models import CustomerCompany

from .services import processing
from .services import requests as rma
from .services import statuses as st
from .services.status import ReturnError, change_status


def _iso(value):
    return value.isoformat() if value is not None else None


def _qty(value):
    return None if value is None else str(value.normalize() if value == value.to_integral_value()
                                          else value)


def read_request(session, number: str) -> dict | None:
    row = rma.get_by_number(session, number)
    if row is None:
        return None
    return _as_dict(row, _customers(session, [row]).get(row.company_id))


def read_requests(session, ids: list[str]) -> dict[str, dict]:
    """The change feed's bulk read: requests by id, in five queries however many."""
    rows = rma.get_by_ids(session, [int(i) for i in ids if i.isdigit()])
    customers = _customers(session, rows)
    return {str(row.id): _as_dict(row, customers.get(row.company_id)) for row in rows}


def _customers(session, rows) -> dict[int, str | None]:
    if not rows:
        return {}
    return dict(session.execute(select(CustomerCompany.id, CustomerCompany.external_id).where(
        CustomerCompany.id.in_({row.company_id for row in rows}))).all())


def _as_dict(row, customer: str | None) -> dict:
    return {
        "number": row.number, "status": row.status, "status_label": st.ENGLISH[row.status],
        "customer": customer,
        "invoice_number": row.invoice_number, "invoice_date": _iso(row.invoice_date),
        "created_at": _iso(row.created_at), "submitted_at": _iso(row.submitted_at),
        "expected_on": _iso(row.expected_on), "description": row.description,
        "resolution": row.resolution, "contact_name": row.contact_name,
        "contact_phone": row.contact_phone, "instructions": row.instructions,
        "reject_reason": row.reject_reason,
        "lines": [{"line_no": ln.line_no, "product_code": ln.product_code,
                   "product_name": ln.product_name, "unit": ln.unit,
                   "quantity": _qty(ln.quantity), "reason": ln.reason,
                   "condition": ln.condition, "approved_quantity": _qty(ln.approved_quantity),
                   "received_quantity": _qty(ln.received_quantity),
                   "credited_quantity": _qty(ln.credited_quantity)} for ln in row.lines],
        "history": [{"status": h.status, "at": _iso(h.at), "message": h.message}
                    for h in row.history],
        "documents": [{"type": d.doc_type, "number": d.number, "issued_on": _iso(d.issued_on)}
                      for d in row.documents],
    }


def _error(field: str, message: str):
    return PayloadError([{"field": field, "message": message}])


LINE_FIELDS = ("approved_quantity", "received_quantity", "credited_quantity")


def upsert_request(session, number: str, data: dict):
    """Apply the ERP's update to an existing request (the portal creates requests)."""
    row = rma.get_by_number(session, number)
    if row is None or row.status == st.DRAFT:
        raise _error("external_id", "No sent RMA request with this number.")
    changed = False
    by_no = {line.line_no: line for line in row.lines}
    for index, item in enumerate(data.get("lines") or []):
        line = by_no.get(item.get("line_no"))
        if line is None:
            raise _error(f"lines[{index}].line_no", "No line with this number.")
        for name in LINE_FIELDS:
            value = item.get(name)
            if value is None:
                continue
            if value < 0 or value > line.quantity:
                raise _error(f"lines[{index}].{name}",
                             "Must be between 0 and the requested quantity.")
            if getattr(line, name) != value:
                setattr(line, name, value)
                changed = True
    for index, ref in enumerate(data.get("documents") or []):
        doc = documents.find_document(session, ref["type"], ref["external_id"])
        if doc is None or doc.company_id != row.company_id:
            raise _error(f"documents[{index}]",
                         "No document of this type and external_id for this customer.")
        if not any(d.document_id == doc.id for d in row.documents):
            processing.link_document(row, doc)
            changed = True
    for name in ("expected_on", "instructions"):
        value = data.get(name)
        if value is not None and getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    status = data["status"]
    if status != row.status:
        if status == st.REJECTED and data.get("message"):
            row.reject_reason = data["message"]
        try:
            change_status(session, row, status, message=data.get("message") or "",
                          by_supplier=True, force=True, source="api")
        except ReturnError as exc:
            raise _error("status", str(exc)) from None
        changed = True
    session.flush()
    return False, changed, row.id


DOCUMENT_TYPES = ("goods_return", "credit_note")

RMA_REQUESTS = ApiResource(
    "rma-requests", "RMA requests",
    fields=(
        ApiField("status", required=True, enum=tuple(s for s in st.STATUSES if s != st.DRAFT),
                 description="The request's new status (steps may be skipped forward)."),
        ApiField("message", max_length=4000,
                 description="Shown to the customer on the request's timeline."),
        ApiField("expected_on", "date", description="Expected completion date."),
        ApiField("instructions", max_length=4000, description="Return instructions."),
        ApiField("lines", "array", description="Quantities per line (by line_no).",
                 items=(ApiField("line_no", "integer", required=True),
                        ApiField("approved_quantity", "decimal"),
                        ApiField("received_quantity", "decimal"),
                        ApiField("credited_quantity", "decimal"))),
        ApiField("documents", "array",
                 description="Documents the ERP created for the request (sent before).",
                 items=(ApiField("type", required=True, enum=DOCUMENT_TYPES),
                        ApiField("external_id", required=True, max_length=100))),
    ),
    upsert=upsert_request, read=read_request,
    description="Return requests customers sent from the portal, by RMA number; the ERP "
                "reads them and updates their status.", order=60,
    feed=ApiFeed("rma", read_requests))
