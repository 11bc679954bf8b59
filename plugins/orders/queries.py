"""Order queries shared by the customer and staff pages."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.core.db import get_session
from portal.core.paging import Key, paginate
from portal.core.text import escape_like

from .models import Order

PAGE_SIZE = 20


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def filter_orders(stmt, *, status: str = "", date_from=None, date_to=None, number: str = ""):
    if status == "open":
        stmt = stmt.where(Order.status.in_(("sent", "in_progress")))
    elif status:
        stmt = stmt.where(Order.status == status)
    if date_from:
        stmt = stmt.where(Order.created_at >= day_start(date_from))
    if date_to and date_to < dt.date.max:  # the last day has no end to compare with
        stmt = stmt.where(Order.created_at < day_start(date_to + dt.timedelta(days=1)))
    if number:
        escaped = escape_like(number.strip().upper())
        stmt = stmt.where(func.upper(Order.number).like(f"%{escaped}%", escape="\\"))
    return stmt


NEWEST = (Key(Order.created_at, desc=True), Key(Order.id, desc=True))


def page_of(stmt, *, scalars: bool = False):
    """One page of a select of orders, newest first (:func:`portal.core.paging.paginate`:
    keyset links, two queries on any page)."""
    return paginate(stmt, order=NEWEST, per_page=PAGE_SIZE, scalars=scalars)


def load_order(order_id: int, company_id: int | None = None) -> Order | None:
    stmt = (select(Order).where(Order.id == order_id)
            .options(selectinload(Order.lines), selectinload(Order.history)))
    if company_id is not None:
        stmt = stmt.where(Order.company_id == company_id)
    return get_session().scalar(stmt)
