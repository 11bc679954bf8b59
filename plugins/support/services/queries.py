"""Read side: the customer's list, the staff inbox and its counts, one thread.

Each returns a fixed number of queries whatever the number of rows (tested).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from portal.core.models import CustomerCompany, User
from portal.core.paging import Key, Page, paginate
from portal.core.text import search_key

from ..models import (
    ACTIVE_STATUSES,
    STATUSES,
    WAITING,
    Message,
    ReadState,
    SupportAttachment,
    SupportRequest,
    Topic,
)

PAGE_SIZE = 25


@dataclass
class Row:
    request: SupportRequest
    topic: Topic
    unread: bool = False
    company_name: str = ""
    assignee_name: str = ""
    company_code: str | None = None


@dataclass
class Thread:
    request: SupportRequest
    topic: Topic
    messages: list[Message]
    attachments: dict[int, list[SupportAttachment]] = field(default_factory=dict)

    @property
    def last_message_id(self) -> int:
        return max((m.id for m in self.messages), default=0)


def _paged(session, stmt, order, page_size: int, make_row) -> Page:
    """One page through :func:`portal.core.paging.paginate` (keyset links), its items made
    into :class:`Row`; two queries."""
    found = paginate(stmt, order=order, per_page=page_size, scalars=False, session=session)
    found.items = [make_row(row) for row in found.items]
    return found


def _unread(user_id: int):
    read = aliased(ReadState)
    flag = and_(SupportRequest.last_public_message_id.is_not(None),
                SupportRequest.last_public_message_id > func.coalesce(
                    read.last_read_message_id, 0))
    join = and_(read.request_id == SupportRequest.id, read.user_id == user_id)
    return read, join, case((flag, True), else_=False).label("unread")


def _search(stmt, q: str):
    q = (q or "").strip()
    if not q:
        return stmt
    return stmt.where(SupportRequest.search_key.like(f"%{search_key(q)}%"))


def customer_page(session, *, company_id: int, user_id: int, own_only: bool, status: str = "",
                  topic_id: int | None = None, q: str = "", unread_only: bool = False,
                  page: int = 1, page_size: int = PAGE_SIZE) -> Page:
    """The company's requests (only the user's own with ``own_only``), latest activity first.
    Two queries."""
    read, join, unread = _unread(user_id)
    stmt = (select(SupportRequest, Topic, unread)
            .join(Topic, Topic.id == SupportRequest.topic_id)
            .outerjoin(read, join)
            .where(SupportRequest.company_id == company_id))
    if own_only:
        stmt = stmt.where(SupportRequest.author_id == user_id)
    if status in STATUSES:
        stmt = stmt.where(SupportRequest.status == status)
    if topic_id:
        stmt = stmt.where(SupportRequest.topic_id == topic_id)
    if unread_only:
        stmt = stmt.where(unread.element)
    order = (Key(SupportRequest.last_activity_at, desc=True), Key(SupportRequest.id, desc=True))
    return _paged(session, _search(stmt, q), order, page_size,
                  lambda row: Row(row[0], row[1], bool(row[2])))


@dataclass
class PanelSummary:
    active: int
    waiting: int
    rows: list[Row]


def customer_panel(session, *, company_id: int, user_id: int, own_only: bool,
                   limit: int = 5) -> PanelSummary:
    """The dashboard panel: how many requests are active and how many wait for the customer,
    and the latest active ones (unread flagged). Two queries."""
    counted = select(SupportRequest.status, func.count()).where(
        SupportRequest.company_id == company_id,
        SupportRequest.status.in_(ACTIVE_STATUSES)).group_by(SupportRequest.status)
    if own_only:
        counted = counted.where(SupportRequest.author_id == user_id)
    counts = dict(session.execute(counted).all())
    read, join, unread = _unread(user_id)
    stmt = (select(SupportRequest, Topic, unread)
            .join(Topic, Topic.id == SupportRequest.topic_id)
            .outerjoin(read, join)
            .where(SupportRequest.company_id == company_id,
                   SupportRequest.status.in_(ACTIVE_STATUSES)))
    if own_only:
        stmt = stmt.where(SupportRequest.author_id == user_id)
    rows = session.execute(stmt.order_by(SupportRequest.last_activity_at.desc(),
                                         SupportRequest.id.desc()).limit(limit)).all()
    return PanelSummary(sum(counts.values()), counts.get(WAITING, 0),
                        [Row(r, t, bool(u)) for r, t, u in rows])


UNASSIGNED = "none"


def staff_page(session, *, status: str = "", topic_id: int | None = None,
               company_id: int | None = None, assignee: str | int | None = None, q: str = "",
               page: int = 1, page_size: int = PAGE_SIZE) -> Page:
    """The staff inbox: unassigned first, then the oldest. Two queries."""
    assignee_user = aliased(User)
    stmt = (select(SupportRequest, Topic, CustomerCompany.name, assignee_user.full_name,
                   assignee_user.username, CustomerCompany.external_id)
            .join(Topic, Topic.id == SupportRequest.topic_id)
            .join(CustomerCompany, CustomerCompany.id == SupportRequest.company_id)
            .outerjoin(assignee_user, assignee_user.id == SupportRequest.assignee_id))
    if status in STATUSES:
        stmt = stmt.where(SupportRequest.status == status)
    if topic_id:
        stmt = stmt.where(SupportRequest.topic_id == topic_id)
    if company_id:
        stmt = stmt.where(SupportRequest.company_id == company_id)
    if assignee == UNASSIGNED:
        stmt = stmt.where(SupportRequest.assignee_id.is_(None))
    elif assignee:
        stmt = stmt.where(SupportRequest.assignee_id == int(assignee))
    order = (Key(case((SupportRequest.assignee_id.is_(None), 0), else_=1)),
             Key(SupportRequest.created_at), Key(SupportRequest.id))
    return _paged(session, _search(stmt, q), order, page_size,
                  lambda row: Row(row[0], row[1], False, row[2], row[3] or row[4] or "",
                                  row[5]))


def status_counts(session, **filters) -> dict[str, int]:
    """How many requests are in each status (one query), for the inbox's tabs."""
    stmt = select(SupportRequest.status, func.count()).group_by(SupportRequest.status)
    if filters.get("company_id"):
        stmt = stmt.where(SupportRequest.company_id == filters["company_id"])
    counts = dict(session.execute(stmt).all())
    return {status: counts.get(status, 0) for status in STATUSES}


def get_request(session, request_id: int, company_id: int | None = None):
    """``(request, topic)`` by id, limited to ``company_id`` when given; ``None`` otherwise."""
    stmt = (select(SupportRequest, Topic).join(Topic, Topic.id == SupportRequest.topic_id)
            .where(SupportRequest.id == request_id))
    if company_id is not None:
        stmt = stmt.where(SupportRequest.company_id == company_id)
    row = session.execute(stmt).first()
    return tuple(row) if row else None


def by_number(session, number: str) -> SupportRequest | None:
    return session.scalar(select(SupportRequest).where(SupportRequest.number == number))


def thread(session, request: SupportRequest, topic: Topic, *, include_internal: bool,
           after_id: int = 0) -> Thread:
    """The messages (internal notes only for staff) and their attachments. Two queries."""
    stmt = (select(Message).where(Message.request_id == request.id, Message.id > after_id)
            .order_by(Message.created_at, Message.id))
    if not include_internal:
        stmt = stmt.where(Message.internal.is_(False))
    messages = list(session.scalars(stmt))
    attachments: dict[int, list[SupportAttachment]] = {}
    if messages:
        ids = select(Message.id).where(Message.request_id == request.id,
                                       Message.id > after_id)
        if not include_internal:
            ids = ids.where(Message.internal.is_(False))
        stmt = (select(SupportAttachment).where(SupportAttachment.message_id.in_(ids))
                .order_by(SupportAttachment.id))
        for item in session.scalars(stmt):
            attachments.setdefault(item.message_id, []).append(item)
    return Thread(request, topic, messages, attachments)


def attachment_for(session, attachment_id: int, *, company_id: int | None,
                   include_internal: bool) -> SupportAttachment | None:
    """An attachment the viewer may download: its request is the company's and, for a
    customer, its message is not an internal note."""
    stmt = (select(SupportAttachment).join(Message, Message.id == SupportAttachment.message_id)
            .join(SupportRequest, SupportRequest.id == Message.request_id)
            .where(SupportAttachment.id == attachment_id))
    if company_id is not None:
        stmt = stmt.where(SupportRequest.company_id == company_id)
    if not include_internal:
        stmt = stmt.where(Message.internal.is_(False))
    return session.scalar(stmt)


def staff_users(session) -> list[User]:
    return list(session.scalars(select(User).where(User.kind == "staff",
                                                   User.is_active.is_(True))
                                .order_by(User.full_name, User.username)))


def merge_candidates(session, request: SupportRequest, limit: int = 20):
    """Other unmerged requests of the same company, newest first (for "merge into")."""
    return list(session.scalars(
        select(SupportRequest).where(SupportRequest.company_id == request.company_id,
                                     SupportRequest.id != request.id,
                                     SupportRequest.merged_into_id.is_(None))
        .order_by(SupportRequest.created_at.desc()).limit(limit)))


def last_read(session, request_id: int, user_id: int) -> int:
    """The last message id ``user_id`` had seen in the request (0: none)."""
    return session.scalar(select(ReadState.last_read_message_id).where(
        ReadState.request_id == request_id, ReadState.user_id == user_id)) or 0


def number_of(session, request_id: int) -> tuple[int, str] | None:
    row = session.execute(select(SupportRequest.id, SupportRequest.number)
                          .where(SupportRequest.id == request_id)).first()
    return tuple(row) if row else None
