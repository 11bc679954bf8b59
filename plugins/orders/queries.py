"""Order queries shared by the customer and staff pages."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.core.db import get_session

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
        escaped = number.strip().upper().replace("\\", "\\\\").replace("%", "\\%")
        stmt = stmt.where(func.upper(Order.number).like(f"%{escaped}%", escape="\\"))
    return stmt


def page_of(stmt, page: int, page_size: int = PAGE_SIZE):
    """``(rows, total, pages)`` for a select of orders, newest first; three queries at most.

    Deep pages stay flat: the count and the page's ids come from ``(company_id, created_at)`` /
    ``(company_id, status, created_at)`` alone, skipping rows there; only the page's rows are
    then loaded, by id.
    """
    session = get_session()
    newest = (Order.created_at.desc(), Order.id.desc())
    ids = stmt.with_only_columns(Order.id).order_by(None)
    total = session.scalar(select(func.count()).select_from(ids.subquery()))
    pages = max((total + page_size - 1) // page_size, 1)
    if not total:
        return [], total, pages
    chosen = ids.order_by(*newest).limit(page_size).offset((page - 1) * page_size)
    rows = session.execute(stmt.where(Order.id.in_(chosen.scalar_subquery()))
                           .order_by(*newest)).all()
    return rows, total, pages


def load_order(order_id: int, company_id: int | None = None) -> Order | None:
    stmt = (select(Order).where(Order.id == order_id)
            .options(selectinload(Order.lines), selectinload(Order.history)))
    if company_id is not None:
        stmt = stmt.where(Order.company_id == company_id)
    return get_session().scalar(stmt)
