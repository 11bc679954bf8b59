"""Shipping an order: one service for the staff pages and the ERP's integration API.

Status changes go through :func:`plugins.orders.ordering.change_status`; a shipment is a goods
issue document (through the documents plugin) plus its audit entry and an ``orders.shipped``
event, so the customer is told whichever side recorded it. Flushes, never commits.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _

from portal.core import audit
from portal.core.events import record_event

from . import bridge
from .models import IN_PROGRESS, Order, OrderLine
from .ordering import OrderError, event_payload


def remaining_by_line(session, order: Order) -> dict[int, Decimal]:
    """Quantity still to ship per order line id (never below zero)."""
    shipped = bridge.shipped_by_line(session, [line.id for line in order.lines])
    return {line.id: max(line.quantity - shipped.get(line.id, Decimal("0")), Decimal("0"))
            for line in order.lines}


def ship(session, order: Order, quantities: dict[OrderLine, Decimal], *, issued_on: dt.date,
         actor=None, number: str | None = None, external_id: str | None = None):
    """Record a shipment of ``quantities`` (order line → quantity) as a goods issue.

    Raises :class:`OrderError` when the order is not in progress, nothing is shipped, or a line
    would ship more than remains. Returns the goods issue document.
    """
    if order.status != IN_PROGRESS:
        raise OrderError(_("Only an order in progress can be shipped; accept it first."))
    quantities = {line: qty for line, qty in quantities.items() if qty > 0}
    if not quantities:
        raise OrderError(_("Enter the quantity shipped for at least one line."))
    remaining = remaining_by_line(session, order)
    for line, qty in quantities.items():
        if qty > remaining[line.id]:
            raise OrderError(_("Line %(line)s: at most %(max)s remain to ship.",
                               line=line.line_no, max=remaining[line.id].normalize()))
    document = bridge.create_goods_issue(session, order, quantities, issued_on, number=number,
                                         external_id=external_id)
    audit.record("orders.ship", "order", order.id, session=session, actor=actor,
                 number=order.number, goods_issue=document.number)
    record_event("orders.shipped", subject=("order", order.id), company_id=order.company_id,
                 actor=actor, session=session,
                 payload={**event_payload(order), "goods_issue": document.number,
                          "issued_on": issued_on.isoformat()})
    return document
