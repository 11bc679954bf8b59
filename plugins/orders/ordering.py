"""Ordering services: numbering, placing an order, status changes, "order again".

Every function adds to the current transaction and never commits; the view commits once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.core import audit
from portal.core.db import utcnow
from portal.core.events import record_event

from . import cart as carts
from . import catalogue
from .catalogue import line_amounts
from .models import (
    CANCELLED,
    COMPLETED,
    FROM_CART,
    IN_PROGRESS,
    SENT,
    Order,
    OrderCounter,
    OrderLine,
    OrderStatusChange,
)
from .quantities import QuantityError

NUMBER_PREFIX = "SO"

# Which status may follow which (the customer may only cancel a "sent" order).
TRANSITIONS = {
    SENT: {IN_PROGRESS, CANCELLED},
    IN_PROGRESS: {COMPLETED, CANCELLED},
    COMPLETED: set(),
    CANCELLED: set(),
}


class OrderError(Exception):
    """The order cannot be placed or changed; ``str(error)`` is the message for the user."""


def next_order_number(session, year: int) -> str:
    """The next readable number for ``year``, e.g. ``SO-2026-000042``; safe under concurrency.

    The counter row is incremented with one ``UPDATE … RETURNING``: PostgreSQL locks the row
    (like ``SELECT … FOR UPDATE``) until the transaction ends, so a concurrent order waits and
    then sees the new value; SQLite serialises writers with its database lock. The row of a new
    year is created with ``INSERT … ON CONFLICT DO NOTHING`` so two first orders cannot collide.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    bump = (update(OrderCounter).where(OrderCounter.year == year)
            .values(last_value=OrderCounter.last_value + 1)
            .returning(OrderCounter.last_value))
    value = session.execute(bump).scalar()
    if value is None:
        session.execute(insert(OrderCounter).values(year=year, last_value=0)
                        .on_conflict_do_nothing(index_elements=["year"]))
        value = session.execute(bump).scalar_one()
    return f"{NUMBER_PREFIX}-{year}-{value:06d}"


@dataclass
class NewLine:
    product_id: int | None
    product_code: str
    product_name: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal
    discount_rate: Decimal = Decimal("0")


@dataclass
class OrderDetails:
    idempotency_key: str
    delivery_address: str = ""
    requested_delivery_on: dt.date | None = None
    po_number: str = ""
    comment: str = ""


def find_by_key(session, company_id: int, key: str) -> Order | None:
    return session.scalar(select(Order).where(Order.idempotency_key == key,
                                              Order.company_id == company_id))


def place_order(session, *, company_id: int, user, lines: list[NewLine], details: OrderDetails,
                currency: str = "TRY", source: str = FROM_CART, quotation=None) -> Order:
    """Create and number an order with status "sent" (flushed; the caller commits)."""
    if not lines:
        raise OrderError(_("The order has no lines."))
    today = utcnow().date()
    if details.requested_delivery_on is not None and details.requested_delivery_on < today:
        raise OrderError(_("The requested delivery date cannot be in the past."))
    order = Order(
        company_id=company_id, status=SENT, source=source,
        idempotency_key=details.idempotency_key, placed_by_id=user.id,
        placed_by_name=user.display_name, delivery_address=details.delivery_address,
        requested_delivery_on=details.requested_delivery_on,
        po_number=details.po_number.strip(), comment=details.comment.strip(), currency=currency,
        quotation_id=quotation.id if quotation is not None else None,
        quotation_number=quotation.number if quotation is not None else "",
    )
    net_total = tax_total = Decimal("0")
    for no, data in enumerate(lines, start=1):
        net, tax, gross = line_amounts(data.quantity, data.unit_price, data.tax_rate,
                                       data.discount_rate)
        net_total += net
        tax_total += tax
        order.lines.append(OrderLine(
            line_no=no, product_id=data.product_id, product_code=data.product_code,
            product_name=data.product_name, unit=data.unit, quantity=data.quantity,
            unit_price=data.unit_price, discount_rate=data.discount_rate, tax_rate=data.tax_rate,
            net_amount=net, tax_amount=tax, gross_amount=gross))
    order.net_total, order.tax_total = net_total, tax_total
    order.gross_total = net_total + tax_total
    order.history.append(OrderStatusChange(status=SENT, by_id=user.id,
                                           by_name=user.display_name))
    order.number = next_order_number(session, today.year)
    session.add(order)
    session.flush()
    audit.record("orders.place", "order", order.id, session=session, actor=user,
                 number=order.number, source=source)
    record_event("orders.placed", subject=("order", order.id), company_id=company_id,
                 actor=user, session=session, payload=event_payload(order))
    return order


class CartAlreadySent(OrderError):
    """The cart a checkout page showed was placed meanwhile (from another tab or session)."""

    def __init__(self, order: Order):
        super().__init__(_("This cart was already sent as order %(number)s.",
                           number=order.number))
        self.order_id = order.id


def shown_at_from(text: str) -> dt.datetime | None:
    """The checkout page's "shown at" field (ISO 8601, UTC); ``None`` when missing or bad."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except (ValueError, TypeError):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        return None


def place_from_cart(session, user, details: OrderDetails,
                    shown_at: dt.datetime | None = None) -> Order:
    """Place the user's cart as an order and empty the cart, all or nothing.

    The cart is claimed first (:func:`cart.claim`), so of several placements at once only one
    gets its lines. ``shown_at`` is when the checkout page was shown: an order placed from the
    cart by this user since then means the page's cart was already sent (from another tab or
    session, whatever their idempotency keys) and :class:`CartAlreadySent` names it.
    """
    cart = carts.claim(user)
    if shown_at is not None:
        earlier = session.scalar(
            select(Order).where(Order.company_id == user.company_id,
                                Order.placed_by_id == user.id, Order.source == FROM_CART,
                                Order.created_at >= shown_at)
            .order_by(Order.created_at.desc(), Order.id.desc()).limit(1))
        if earlier is not None:
            raise CartAlreadySent(earlier)
    if not cart.rows:
        raise OrderError(_("Your cart is empty."))
    if cart.has_problems:
        raise OrderError(_("Some products in your cart can no longer be ordered. "
                           "Remove them, then submit again."))
    lines = [NewLine(r.product.id, r.product.code, r.product.name, r.product.unit,
                     r.line.quantity, r.price, r.product.tax_rate) for r in cart.rows]
    return place_order(session, company_id=user.company_id, user=user, lines=lines,
                       details=details, currency=cart.currency)


def submit_once(session, company_id: int, key: str, create) -> tuple[Order, bool]:
    """Run ``create()`` unless an order with this idempotency key exists; commit.

    Returns ``(order, created)``. A concurrent duplicate with the same key loses on the unique
    key; a placement of a cart that another tab already sent (:class:`CartAlreadySent`) gets
    that tab's order. Both answer the existing order with ``created=False``.
    """
    existing = find_by_key(session, company_id, key)
    if existing is not None:
        return existing, False
    try:
        order = create()
        session.commit()
    except CartAlreadySent as exc:
        session.rollback()
        return session.get(Order, exc.order_id), False
    except (IntegrityError, OrderError):
        session.rollback()
        existing = find_by_key(session, company_id, key)
        if existing is None:
            raise
        return existing, False
    return order, True


def change_status(session, order: Order, status: str, user, note: str = "",
                  by_name: str = "") -> None:
    """Move ``order`` to ``status`` (history, audit entry, event). ``user`` is the staff member or
    customer who did it, or ``None`` for the ERP (then ``by_name`` says who)."""
    if status not in TRANSITIONS.get(order.status, set()):
        raise OrderError(_("This order cannot be changed any more."))
    order.status = status
    order.updated_at = utcnow()
    if status == CANCELLED:
        order.cancel_reason = note
    session.add(OrderStatusChange(order_id=order.id, status=status,
                                  by_id=user.id if user is not None else None,
                                  by_name=user.display_name if user is not None else by_name,
                                  note=note))
    audit.record(f"orders.{status}", "order", order.id, session=session, actor=user,
                 number=order.number, note=note)
    record_event("orders.status_changed", subject=("order", order.id),
                 company_id=order.company_id, actor=user, session=session,
                 payload={**event_payload(order), "note": note})


def event_payload(order: Order) -> dict:
    """What a notification about the order says (JSON: amounts as strings)."""
    return {"number": order.number, "status": order.status,
            "gross_total": str(order.gross_total), "currency": order.currency,
            "po_number": order.po_number}


def cancel_by_customer(session, order: Order, user, reason: str = "") -> None:
    """The customer may cancel only while the business has not accepted the order yet."""
    if order.status != SENT:
        raise OrderError(_("Only an order that was not yet accepted can be cancelled. "
                           "Please contact us."))
    change_status(session, order, CANCELLED, user, reason or _("Cancelled by the customer."))


@dataclass
class ReorderReport:
    added: list[str] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)
    price_changes: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)


def copy_to_cart(order: Order, user) -> ReorderReport:
    """"Order again": the order's lines go into the cart at today's prices."""
    report = ReorderReport()
    visible = catalogue.visible_by_ids(line.product_id for line in order.lines if line.product_id)
    for line in order.lines:
        row = visible.get(line.product_id)
        if row is None or row.price is None:
            report.unavailable.append(f"{line.product_code} {line.product_name}")
            continue
        try:
            carts.add(row, line.quantity, user)
        except QuantityError:
            report.unavailable.append(f"{line.product_code} {line.product_name}")
            continue
        report.added.append(row.product.code)
        if row.price != line.unit_price:
            report.price_changes.append((f"{row.product.code} {row.product.name}",
                                         line.unit_price, row.price))
    return report
