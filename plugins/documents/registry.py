"""The document types: the built-in ones, plus those other plugins add through the hook."""

from __future__ import annotations

from flask import abort
from flask_babel import lazy_gettext as _l

from portal.core.db import request_scope
from portal.core.plugins import get_registry

from .types import AMOUNTS, CREDIT, DEBIT, DocumentType

BUILTIN_TYPES: tuple[DocumentType, ...] = (
    DocumentType("quotation", _l("Quotation"), _l("Quotations"), prefix="QT",
                 columns=("status", "valid_until", "total"),
                 statuses=("issued", "accepted", "rejected", "expired", "cancelled"), order=10),
    DocumentType("goods_issue", _l("Goods issue"), _l("Goods issues"), prefix="GI",
                 columns=("status",), order=20),
    DocumentType("invoice", _l("Invoice"), _l("Invoices"), prefix="INV",
                 columns=("status", "due_on", "total"), money=True, sign=DEBIT,
                 statuses=("issued", "paid", "partially_paid", "cancelled"), order=30),
    DocumentType("tax_invoice", _l("Tax invoice"), _l("Tax invoices"), prefix="TI",
                 columns=("status", "total"), order=40),
    DocumentType("reconciliation", _l("Reconciliation statement"),
                 _l("Reconciliation statements"), prefix="RS",
                 columns=("period", "closing_balance"), line_layout=AMOUNTS,
                 statuses=("issued", "confirmed", "disputed"), order=50, announce=True),
    DocumentType("goods_return", _l("Goods return"), _l("Goods returns"), prefix="GR",
                 columns=("status",), order=60),
    DocumentType("credit_note", _l("Credit note"), _l("Credit notes"), prefix="CN",
                 columns=("status", "total"), money=True, sign=CREDIT, order=70),
    DocumentType("payment", _l("Payment"), _l("Payments"), prefix="PAY",
                 columns=("total",), money=True, sign=CREDIT, line_layout=AMOUNTS,
                 statuses=("received", "cancelled"), order=80),
)

STATUS_LABELS = {
    "issued": _l("Issued"), "cancelled": _l("Cancelled"), "accepted": _l("Accepted"),
    "rejected": _l("Rejected"), "expired": _l("Expired"), "paid": _l("Paid"),
    "partially_paid": _l("Partially paid"), "confirmed": _l("Confirmed"),
    "disputed": _l("Disputed"), "received": _l("Received"),
}


def status_label(status: str):
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def document_types() -> dict[str, DocumentType]:
    """Every document type of the enabled plugins, in menu order (cached per request)."""
    cached = request_scope().get("_documents_types")
    if cached is not None:
        return cached
    types: dict[str, DocumentType] = {}
    for item in get_registry().call_flat("portal_document_types"):
        if isinstance(item, DocumentType) and item.key not in types:
            types[item.key] = item
    result = dict(sorted(types.items(), key=lambda kv: (kv[1].order, kv[0])))
    request_scope()["_documents_types"] = result
    return result


def get_type(key: str) -> DocumentType | None:
    return document_types().get(key)


def type_or_404(key: str) -> DocumentType:
    doc_type = get_type(key)
    if doc_type is None:
        abort(404)
    return doc_type
