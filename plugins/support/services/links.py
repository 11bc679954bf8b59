"""What a request can be about: a document, an order or an RMA of the same company.

:func:`resolve` proves the record is the company's (``None`` otherwise) and gives the label
kept on the request, so the link still reads right if the record changes later. Each lookup
goes through the owning plugin's own service and is skipped when that plugin is absent.
"""

from __future__ import annotations

from sqlalchemy import select

LINK_TYPES = ("document", "order", "rma")


def parse(value: str | None) -> tuple[str, int] | None:
    """``"order:42"`` → ``("order", 42)``; anything else → ``None``."""
    kind, _sep, ident = (value or "").partition(":")
    if kind not in LINK_TYPES or not ident.isdigit() or len(ident) > 12:
        return None
    return kind, int(ident)


def _document(session, company_id: int, ident: int) -> str | None:
    try:
        from plugins.documents.services import get_document
    except ImportError:  # pragma: no cover - documents is not installed
        return None
    doc = get_document(session, company_id, ident)
    return doc.number if doc is not None else None


def _order(session, company_id: int, ident: int) -> str | None:
    try:
        from plugins.orders.models import Order
    except ImportError:  # pragma: no cover - orders is not installed
        return None
    return session.scalar(select(Order.number).where(Order.id == ident,
                                                     Order.company_id == company_id))


def _rma(session, company_id: int, ident: int) -> str | None:
    try:
        from plugins.returns.services import get_request
    except ImportError:
        return None
    rma = get_request(session, ident, company_id)
    return getattr(rma, "number", None) if rma is not None else None


LOOKUPS = {"document": _document, "order": _order, "rma": _rma}


def resolve(session, company_id: int, link: tuple[str, int] | None) -> tuple[str, int, str] | None:
    """``(type, id, label)`` when the record exists and is the company's, else ``None``."""
    if link is None:
        return None
    kind, ident = link
    label = LOOKUPS[kind](session, company_id, ident)
    return (kind, ident, label) if label else None
