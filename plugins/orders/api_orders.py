"""The ``orders`` resource of the integration API: the ERP reads orders and moves them along.

``GET /api/v1/orders/{number}`` reads an order with its lines (and the quantity shipped per
line); ``GET /api/v1/orders?since=<cursor>`` is the change feed of orders placed or changed in the
portal. ``PUT /api/v1/orders/{number}`` is the ERP's status update, the same changes the staff
pages make (:func:`~plugins.orders.ordering.change_status` and
:func:`~plugins.orders.fulfilment.ship`):

- ``{"status": "accepted"}``; ``{"status": "completed"}``;
  ``{"status": "cancelled", "note": "…"}``;
- ``{"status": "shipped", "goods_issue_number": "GI-1", "issued_on": "2026-12-01",
  "lines": [{"line_no": 1, "quantity": "2"}]}``: a goods issue with the ERP's number (a sent order
  is accepted first).

Sending an update again changes nothing (``changed: false``); a change the order's state does not
allow answers 422 with the reason.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import g
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.core.models import CustomerCompany

from . import bridge, fulfilment
from .models import CANCELLED, COMPLETED, IN_PROGRESS, SENT, Order
from .ordering import OrderError, change_status

STATUS_BY_WORD = {"accepted": IN_PROGRESS, "completed": COMPLETED, "cancelled": CANCELLED}


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return str(value)
    return value.isoformat()


def _as_dict(order: Order, customer: str | None, shipped: dict[int, Decimal]) -> dict:
    return {
        "number": order.number, "status": order.status, "customer": customer,
        "source": order.source, "placed_by": order.placed_by_name,
        "created_at": _text(order.created_at), "updated_at": _text(order.updated_at),
        "po_number": order.po_number, "comment": order.comment,
        "delivery_address": order.delivery_address,
        "requested_delivery_on": _text(order.requested_delivery_on),
        "quotation_number": order.quotation_number or None,
        "cancel_reason": order.cancel_reason or None, "currency": order.currency,
        "net_total": _text(order.net_total), "tax_total": _text(order.tax_total),
        "gross_total": _text(order.gross_total),
        "lines": [{"line_no": line.line_no, "product_code": line.product_code,
                   "product_name": line.product_name, "unit": line.unit,
                   "quantity": _text(line.quantity),
                   "shipped_quantity": _text(shipped.get(line.id, Decimal("0"))),
                   "unit_price": _text(line.unit_price),
                   "discount_rate": _text(line.discount_rate), "tax_rate": _text(line.tax_rate),
                   "net_amount": _text(line.net_amount), "tax_amount": _text(line.tax_amount),
                   "gross_amount": _text(line.gross_amount)} for line in order.lines],
    }


def _read(session, where) -> list[tuple[Order, dict]]:
    """Orders matching ``where`` as API records, in four queries however many there are."""
    orders = session.scalars(select(Order).where(where)
                             .options(selectinload(Order.lines))).all()
    if not orders:
        return []
    customers = dict(session.execute(
        select(CustomerCompany.id, CustomerCompany.external_id)
        .where(CustomerCompany.id.in_({o.company_id for o in orders}))).all())
    shipped = bridge.shipped_by_line(session, [line.id for o in orders for line in o.lines])
    return [(o, _as_dict(o, customers.get(o.company_id), shipped)) for o in orders]


def read_order(session, number: str) -> dict | None:
    found = _read(session, Order.number == number)
    return found[0][1] if found else None


def read_orders(session, ids: list[str]) -> dict[str, dict]:
    numbers = [int(i) for i in ids if i.isdigit()]
    return {str(order.id): record for order, record in _read(session, Order.id.in_(numbers))}


def _error(field: str, message: str):
    from plugins.documents.types import PayloadError

    return PayloadError([{"field": field, "message": str(message)}])


def _erp_name() -> str:
    token = getattr(g, "api_token", None)
    return f"ERP ({token.name})" if token is not None else "ERP"


def upsert_order(session, number: str, data: dict):
    order = session.scalar(select(Order).where(Order.number == number)
                           .options(selectinload(Order.lines)))
    if order is None:
        raise _error("external_id", "No order with this number.")
    word = data["status"]
    try:
        if word == "shipped":
            changed = _ship(session, order, data)
        else:
            changed = _move(session, order, STATUS_BY_WORD[word], data.get("note") or "")
    except OrderError as exc:
        raise _error("status", exc) from exc
    return False, changed, order.id


def _move(session, order: Order, status: str, note: str) -> bool:
    if order.status == status or (status == IN_PROGRESS and order.status == COMPLETED):
        return False  # already there (or past it): the same update again changes nothing
    change_status(session, order, status, None, note, by_name=_erp_name())
    return True


def _ship(session, order: Order, data: dict) -> bool:
    number = (data.get("goods_issue_number") or "").strip()
    if not number:
        raise _error("goods_issue_number", "A shipment needs the goods issue's number.")
    existing = bridge.find_goods_issue(session, number)
    if existing is not None:
        if existing.origin_ref == str(order.id):
            return False  # this shipment was recorded already
        raise _error("goods_issue_number", "This goods issue number belongs to another order.")
    by_no = {line.line_no: line for line in order.lines}
    quantities = {}
    for index, item in enumerate(data.get("lines") or []):
        line = by_no.get(item["line_no"])
        if line is None:
            raise _error(f"lines[{index}].line_no", "The order has no line with this number.")
        quantity = Decimal(str(item["quantity"]))
        if quantity <= 0:
            raise _error(f"lines[{index}].quantity", "The quantity must be above zero.")
        quantities[line] = quantities.get(line, Decimal("0")) + quantity
    if not quantities:
        raise _error("lines", "A shipment needs at least one line with its quantity.")
    if order.status == SENT:
        change_status(session, order, IN_PROGRESS, None, by_name=_erp_name())
    fulfilment.ship(session, order, quantities, issued_on=data.get("issued_on") or
                    dt.date.today(), number=number, external_id=number)
    return True


def resource():
    from plugins.documents.types import ApiFeed, ApiField, ApiResource

    fields = (
        ApiField("status", required=True, enum=("accepted", "shipped", "completed", "cancelled"),
                 description="What the ERP did: accepted the order, shipped goods of it "
                             "(with goods_issue_number and lines), completed or cancelled it."),
        ApiField("note", max_length=2000, description="Why it was cancelled (shown to the "
                                                      "customer)."),
        ApiField("goods_issue_number", max_length=50,
                 description="For shipped: the ERP's goods issue number (its id too)."),
        ApiField("issued_on", "date", description="For shipped: the day of the goods issue "
                                                  "(default today)."),
        ApiField("lines", "array", description="For shipped: the quantity shipped per order line.",
                 items=(ApiField("line_no", "integer", required=True),
                        ApiField("quantity", "decimal", required=True))),
    )
    return ApiResource(
        "orders", "Orders", fields, upsert=upsert_order, read=read_order,
        description="Orders placed in the portal, by number (ORD-2026-000001). PUT moves an "
                    "order along as the staff pages do; orders are created only in the portal.",
        order=52, feed=ApiFeed("order", read_orders))
