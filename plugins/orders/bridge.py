"""Everything the orders plugin asks of the documents plugin, in one place.

Only the documented service functions of ``plugins.documents.services`` are used; documents'
tables are never written here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import bindparam, select, update

GOODS_ISSUE = "goods_issue"
QUOTATION = "quotation"
ORDER_KIND = "orders.order"
ORDER_LINE_KIND = "orders.order_line"
CLOSED_QUOTATION_STATUSES = {"cancelled", "expired", "rejected", "void", "draft"}


def _services():
    from plugins.documents import services

    return services


def shipped_by_line(session, line_ids) -> dict[int, Decimal]:
    """Quantity shipped per order line id (the maintained ``OrderLine.shipped_quantity``)."""
    from .models import OrderLine

    ids = sorted({int(i) for i in line_ids})
    if not ids:
        return {}
    rows = session.execute(select(OrderLine.id, OrderLine.shipped_quantity)
                           .where(OrderLine.id.in_(ids)))
    return {line_id: Decimal(qty or 0) for line_id, qty in rows}


def recount_shipped(session, line_ids) -> dict[int, Decimal]:
    """Quantity shipped per order line id, summed from scratch over the goods-issue lines
    linked to it (what :func:`refresh_shipped` stores)."""
    refs = [str(i) for i in line_ids]
    if not refs:
        return {}
    found = _services().quantities_by_origin(session, GOODS_ISSUE, ORDER_LINE_KIND, refs)
    return {int(ref): Decimal(qty) for ref, qty in found.items()}


def refresh_shipped(session, refs) -> None:
    """Store the recounted shipped quantity of the order lines ``refs`` (strings, as goods-issue
    lines name their origin). Called by the documents plugin inside the flush that wrote those
    goods-issue lines, so the figure commits (or rolls back) with them."""
    from .models import OrderLine

    ids = sorted({int(ref) for ref in refs if str(ref).isdigit()})
    if not ids:
        return
    table = OrderLine.__table__
    # Lock the order lines first: a shipment of the same line committed meanwhile is then
    # counted (PostgreSQL reads it after the lock), never overwritten by an older count.
    existing = list(session.scalars(select(table.c.id).where(table.c.id.in_(ids))
                                    .order_by(table.c.id).with_for_update()))
    counted = recount_shipped(session, existing)
    if not counted:
        return
    session.execute(update(table).where(table.c.id == bindparam("line_id"))
                    .values(shipped_quantity=bindparam("shipped")),
                    [{"line_id": i, "shipped": q} for i, q in counted.items()])
    for line_id in counted:  # an order line already loaded reads the new figure next time
        loaded = session.identity_map.get(session.identity_key(OrderLine, line_id))
        if loaded is not None:
            session.expire(loaded, ["shipped_quantity"])


def keep_shipped_quantities() -> None:
    """Have the documents plugin call :func:`refresh_shipped` whenever goods-issue lines
    linked to order lines change (idempotent)."""
    _services().on_origin_quantities_changed(GOODS_ISSUE, ORDER_LINE_KIND, refresh_shipped)


def find_goods_issue(session, number: str):
    """The goods issue the ERP numbered ``number`` (its external id), or ``None``."""
    return _services().find_document(session, GOODS_ISSUE, number)


def related_documents(session, order) -> list:
    return _services().documents_by_origin(session, ORDER_KIND, str(order.id))


def get_quotation(session, company_id: int, document_id: int):
    return _services().get_document(session, company_id, document_id, QUOTATION)


def quotation_is_open(quotation, today: dt.date) -> bool:
    if (quotation.status or "").lower() in CLOSED_QUOTATION_STATUSES:
        return False
    return quotation.valid_until is None or quotation.valid_until >= today


def create_goods_issue(session, order, quantities: dict, issued_on: dt.date,
                       number: str | None = None, external_id: str | None = None):
    """A goods issue for ``quantities`` (order line → quantity), linked to the order.

    ``number`` (the ERP's) defaults to the next portal number."""
    services = _services()
    lines = [
        services.LineData(
            product_code=line.product_code, product_name=line.product_name, quantity=qty,
            unit=line.unit, unit_price=line.unit_price, tax_rate=line.tax_rate,
            discount_rate=line.discount_rate, origin_kind=ORDER_LINE_KIND,
            origin_ref=str(line.id))
        for line, qty in quantities.items()
    ]
    return services.create_document(
        session, company_id=order.company_id, doc_type=GOODS_ISSUE,
        number=number or services.next_number(session, GOODS_ISSUE, issued_on.year),
        issued_on=issued_on, lines=lines, currency=order.currency, origin_kind=ORDER_KIND,
        origin_ref=str(order.id), external_id=external_id)


def open_quotations_page(session, company_id: int, today: dt.date, per_page: int):
    """One page (keyset links, :func:`portal.core.paging.paginate`) of the company's
    quotations that can still be ordered, newest first; two queries whatever the page."""
    return _services().page_documents(
        session, company_id, QUOTATION, exclude_statuses=CLOSED_QUOTATION_STATUSES,
        valid_on=today, per_page=per_page)


keep_shipped_quantities()
