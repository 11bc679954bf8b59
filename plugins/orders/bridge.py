"""Everything the orders plugin asks of the documents plugin, in one place.

Only the documented service functions of ``plugins.documents.services`` are used; documents'
tables are never written here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

GOODS_ISSUE = "goods_issue"
QUOTATION = "quotation"
ORDER_KIND = "orders.order"
ORDER_LINE_KIND = "orders.order_line"
CLOSED_QUOTATION_STATUSES = {"cancelled", "expired", "rejected", "void", "draft"}


def _services():
    from plugins.documents import services

    return services


def shipped_by_line(session, line_ids) -> dict[int, Decimal]:
    """Quantity shipped per order line id, from goods-issue lines linked to it."""
    refs = [str(i) for i in line_ids]
    if not refs:
        return {}
    found = _services().quantities_by_origin(session, GOODS_ISSUE, ORDER_LINE_KIND, refs)
    return {int(ref): Decimal(qty) for ref, qty in found.items()}


def shipped_quantity(order_line_id):
    """SQL expression: the quantity shipped of the order line ``order_line_id`` (a column)."""
    return _services().quantity_of_origin(GOODS_ISSUE, ORDER_LINE_KIND, order_line_id)


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


def open_quotations_page(session, company_id: int, today: dt.date, page: int, page_size: int):
    """The company's quotations that can still be ordered, newest first: ``(rows, total)``."""
    return _services().list_documents(
        session, company_id, QUOTATION, exclude_statuses=CLOSED_QUOTATION_STATUSES,
        valid_on=today, limit=page_size, offset=(page - 1) * page_size)
