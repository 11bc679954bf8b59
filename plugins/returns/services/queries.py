"""Lists of requests: the customer's (filtered, paged, CSV), the staff inbox, the panel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, select

from portal.core.models import CustomerCompany
from portal.core.paging import Key, Page, paginate
from portal.core.text import escape_like

from ..models import ReturnRequest
from . import statuses as st

PER_PAGE = 20


@dataclass
class Filters:
    status: str = ""  # a status, "open", or "" for any
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    number: str = ""
    page: int = 1

    def args(self, **override) -> dict:
        values = {"status": self.status, "number": self.number,
                  "date_from": self.date_from.isoformat() if self.date_from else None,
                  "date_to": self.date_to.isoformat() if self.date_to else None,
                  "page": self.page if self.page > 1 else None}
        values.update(override)
        return {k: v for k, v in values.items() if v not in (None, "")}


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def filtered(stmt, filters: Filters):
    if filters.status == "open":
        stmt = stmt.where(ReturnRequest.status.in_(st.OPEN))
    elif filters.status:
        stmt = stmt.where(ReturnRequest.status == filters.status)
    if filters.date_from:
        stmt = stmt.where(ReturnRequest.created_at >= _day_start(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(ReturnRequest.created_at
                          < _day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.number.strip():
        escaped = escape_like(filters.number.strip().upper())
        stmt = stmt.where(func.upper(ReturnRequest.number).like(f"%{escaped}%", escape="\\")
                          | func.upper(ReturnRequest.invoice_number).like(f"%{escaped}%",
                                                                          escape="\\"))
    return stmt


NEWEST = (Key(ReturnRequest.created_at, desc=True), Key(ReturnRequest.id, desc=True))


def company_statement(company_id: int, filters: Filters):
    """The customer's requests matching ``filters`` (paged newest first: :data:`NEWEST`)."""
    stmt = select(ReturnRequest).where(ReturnRequest.company_id == company_id)
    return filtered(stmt, filters)


def company_page(session, company_id: int, filters: Filters, per_page: int = PER_PAGE) -> Page:
    """One page of the customer's requests, newest first (keyset links); two queries."""
    return paginate(company_statement(company_id, filters), order=NEWEST, per_page=per_page,
                    session=session)


def csv_rows(session, company_id: int, filters: Filters):
    """Plain tuples for the CSV export (no ORM objects), streamed."""
    stmt = filtered(select(ReturnRequest.number, ReturnRequest.created_at,
                           ReturnRequest.invoice_number, ReturnRequest.status,
                           ReturnRequest.resolution, ReturnRequest.expected_on,
                           ReturnRequest.created_by_name)
                    .where(ReturnRequest.company_id == company_id), filters)
    stmt = stmt.order_by(ReturnRequest.created_at.desc(), ReturnRequest.id.desc())
    return session.execute(stmt.execution_options(yield_per=500))


INBOX_ORDER = case({st.SUBMITTED: 0, st.APPROVED: 1, st.RECEIVED: 2, st.CREDITED: 3,
                    st.REPLACED: 3, st.REPAIRED: 3}, value=ReturnRequest.status, else_=9)


SENT_AT = func.coalesce(ReturnRequest.submitted_at, ReturnRequest.created_at)
INBOX = (Key(INBOX_ORDER), Key(SENT_AT), Key(ReturnRequest.id))


def inbox_statement(filters: Filters):
    """Every company's sent requests with the company name (paged as :data:`INBOX` says:
    new ones first, oldest first)."""
    stmt = (select(ReturnRequest, CustomerCompany.name)
            .join(CustomerCompany, CustomerCompany.id == ReturnRequest.company_id)
            .where(ReturnRequest.status != st.DRAFT))
    return filtered(stmt, filters)


def inbox_page(session, filters: Filters, per_page: int = PER_PAGE) -> Page:
    """One page of the staff inbox (keyset links); two queries."""
    return paginate(inbox_statement(filters), order=INBOX, per_page=per_page, scalars=False,
                    session=session)


def status_counts(session) -> dict[str, int]:
    rows = session.execute(select(ReturnRequest.status, func.count())
                           .where(ReturnRequest.status != st.DRAFT)
                           .group_by(ReturnRequest.status))
    return dict(rows.all())


def open_requests(session, company_id: int, limit: int = 5):
    """``(count, newest open requests)`` for the dashboard panel; two queries."""
    stmt = select(ReturnRequest).where(ReturnRequest.company_id == company_id,
                                       ReturnRequest.status.in_(st.OPEN))
    count = session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = list(session.scalars(stmt.order_by(ReturnRequest.created_at.desc(),
                                              ReturnRequest.id.desc()).limit(limit)))
    return count, rows
