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
    if date_to:
        stmt = stmt.where(Order.created_at < day_start(date_to + dt.timedelta(days=1)))
    if number:
        escaped = number.strip().upper().replace("\\", "\\\\").replace("%", "\\%")
        stmt = stmt.where(func.upper(Order.number).like(f"%{escaped}%", escape="\\"))
    return stmt


def page_of(stmt, page: int, page_size: int = PAGE_SIZE):
    """``(rows, total, pages)`` for a select of orders, newest first; two queries."""
    session = get_session()
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = session.execute(stmt.order_by(Order.created_at.desc(), Order.id.desc())
                           .limit(page_size).offset((page - 1) * page_size)).all()
    pages = max((total + page_size - 1) // page_size, 1)
    return rows, total, pages


def load_order(order_id: int, company_id: int | None = None) -> Order | None:
    stmt = (select(Order).where(Order.id == order_id)
            .options(selectinload(Order.lines), selectinload(Order.history)))
    if company_id is not None:
        stmt = stmt.where(Order.company_id == company_id)
    return get_session().scalar(stmt)
