"""Support requests and their threads: open, reply, note, assign, change status, merge, read.

Every function takes the SQLAlchemy session, flushes and never commits (the caller owns the
transaction); each change is audited and each event a person should hear about goes through
:func:`~plugins.support.services.events.notify`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select, update

from portal.core import audit
from portal.core.db import utcnow
from portal.core.text import search_key

from ..models import (
    ACTIVE_STATUSES,
    CLOSED,
    NEW,
    OPEN,
    STATUSES,
    WAITING,
    Message,
    ReadState,
    SupportAttachment,
    SupportRequest,
    Topic,
)
from . import events
from .numbers import next_number
from .topics import topic_by_key

SUBJECT_MAX = 200
BODY_MAX = 20_000


class SupportError(ValueError):
    """A change the rules refuse; the message is for the user."""


@dataclass(frozen=True)
class NewAttachment:
    """A file already stored (``portal.core.storage.save_upload``) to attach to a message."""

    key: str
    original_name: str
    size: int
    content_type: str


def _clean(text: str) -> str:
    """Plain text as typed: Windows line ends unified, trailing blanks dropped."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _as_topic(session, topic) -> Topic:
    found = topic if isinstance(topic, Topic) else topic_by_key(session, str(topic))
    if found is None:
        found = topic_by_key(session, "other")
    if found is None:  # every topic deleted: the defaults come back rather than a lost request
        from .topics import ensure_default_topics

        ensure_default_topics(session)
        session.flush()
        found = topic_by_key(session, "other")
    if found is None:
        raise SupportError(_l("Choose a topic."))
    return found


def find_by_key(session, company_id: int, key: str) -> SupportRequest | None:
    return session.scalar(select(SupportRequest).where(
        SupportRequest.idempotency_key == key, SupportRequest.company_id == company_id))


def open_request(session, *, company_id: int, author, topic, subject: str, body: str,
                 link=None, attachments=(), idempotency_key: str | None = None,
                 now: dt.datetime | None = None) -> SupportRequest:
    """Open a request with its first message (status "new"); flushes, never commits.

    ``topic`` is a :class:`Topic` or a topic key (unknown keys fall back to "other"); ``link`` is
    ``(record_type, id)`` or ``(record_type, id, label)`` with ``record_type`` one of
    ``"document"``, ``"order"``, ``"rma"`` (checked by the caller to be the company's).
    Records ``support.created`` for staff. Other plugins call it, e.g. the balances plugin when
    a customer disputes a reconciliation statement.
    """
    subject, body = " ".join((subject or "").split()), _clean(body)
    if not subject:
        raise SupportError(_l("Write a subject."))
    if not body:
        raise SupportError(_l("Write a message."))
    now = now or utcnow()
    link_type, link_id, link_label = "", None, ""
    if link:
        link_type, link_id = str(link[0]), int(link[1])
        link_label = str(link[2]) if len(link) > 2 else ""
    request = SupportRequest(
        number=next_number(session, now.year), company_id=company_id,
        author_id=author.id if author is not None else None,
        author_name=author.display_name if author is not None else "",
        topic_id=_as_topic(session, topic).id, subject=subject[:SUBJECT_MAX], status=NEW,
        link_type=link_type, link_id=link_id, link_label=link_label[:200],
        idempotency_key=idempotency_key, created_at=now, last_activity_at=now)
    request.search_key = search_key(f"{request.number} {request.subject}")
    session.add(request)
    session.flush()
    message = _add(session, request, author, body, internal=False, attachments=attachments,
                   now=now)
    if author is not None:
        mark_read(session, request.id, author.id, message.id)
    audit.record("support.open", "support_request", request.id, session=session, actor=author,
                 number=request.number)
    events.notify(session, events.CREATED, request, actor=author, body=body)
    return request


def _add(session, request, author, body, *, internal, attachments, now,
         idempotency_key=None) -> Message:
    from_staff = bool(author is not None and author.is_staff)
    message = Message(request_id=request.id, author_id=author.id if author else None,
                      author_name=author.display_name if author else "", from_staff=from_staff,
                      internal=internal, body=body[:BODY_MAX], created_at=now,
                      idempotency_key=idempotency_key)
    session.add(message)
    session.flush()
    for item in attachments:
        session.add(SupportAttachment(request_id=request.id, message_id=message.id,
                               stored_key=item.key, original_name=item.original_name,
                               size=item.size, content_type=item.content_type, created_at=now))
    request.last_activity_at = now
    if not internal:
        request.last_public_message_id = message.id
    session.flush()
    return message


def can_reopen(request: SupportRequest, reopen_days: int, now: dt.datetime | None = None) -> bool:
    """A closed request may be reopened by the customer within ``reopen_days`` of closing."""
    if request.status != CLOSED or request.merged_into_id is not None:
        return False
    closed = request.resolved_at or request.last_activity_at
    return (now or utcnow()) - _aware(closed) <= dt.timedelta(days=reopen_days)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def reply(session, request: SupportRequest, *, author, body: str, internal: bool = False,
          attachments=(), reopen_days: int = 14, idempotency_key: str | None = None,
          now: dt.datetime | None = None) -> Message:
    """Add a message. A staff reply answers (first response, "waiting for customer"); a
    customer's reply reopens a request waiting for them. A customer's reply to a closed request
    reopens it within ``reopen_days`` and is refused after (:class:`SupportError`, nothing
    written). ``internal`` notes are staff-only and tell nobody."""
    body = _clean(body)
    if not body:
        raise SupportError(_l("Write a message."))
    if request.merged_into_id is not None:
        raise SupportError(_l("This request was merged into another one; reply there."))
    from_staff = bool(author.is_staff)
    if internal and not from_staff:
        raise SupportError(_l("Only staff can write internal notes."))
    now = now or utcnow()
    if idempotency_key:
        existing = session.scalar(select(Message).where(Message.idempotency_key ==
                                                        idempotency_key,
                                                        Message.request_id == request.id))
        if existing is not None:
            return existing
    reopened = False
    if request.status == CLOSED and not internal:
        if not from_staff and not can_reopen(request, reopen_days, now):
            raise SupportError(_l("This request was closed more than %(days)d days ago. "
                                  "Please open a new request.", days=reopen_days))
        reopened = True
    message = _add(session, request, author, body, internal=internal, attachments=attachments,
                   now=now, idempotency_key=idempotency_key)
    before = request.status
    if internal:
        audit.record("support.note", "support_request", request.id, session=session,
                     actor=author, number=request.number)
        return message
    if from_staff:
        if request.first_response_at is None:
            request.first_response_at = now
        request.status = WAITING
    else:
        request.status = OPEN if before in (WAITING, CLOSED) else before
        mark_read(session, request.id, author.id, message.id)
    if reopened:
        request.resolved_at = None
    session.flush()
    audit.record("support.reply", "support_request", request.id, session=session, actor=author,
                 number=request.number, status=request.status)
    events.notify(session, events.REPLIED if from_staff else events.CUSTOMER_REPLIED, request,
                  actor=author, body=body)
    if from_staff and before == CLOSED:
        events.notify(session, events.STATUS_CHANGED, request, actor=author)
    return message


def change_status(session, request: SupportRequest, status: str, *, actor,
                  now: dt.datetime | None = None) -> bool:
    """Set the status (closing records the resolution time; reopening clears it). Returns
    whether anything changed; the customer is told."""
    if status not in STATUSES:
        raise SupportError(_l("Unknown status."))
    if status == request.status:
        return False
    now = now or utcnow()
    before = request.status
    request.status = status
    request.last_activity_at = now
    request.resolved_at = now if status == CLOSED else None
    session.flush()
    audit.record("support.status", "support_request", request.id, session=session, actor=actor,
                 number=request.number, before=before, after=status)
    events.notify(session, events.STATUS_CHANGED, request, actor=actor)
    return True


def close_by_customer(session, request: SupportRequest, *, actor) -> bool:
    return change_status(session, request, CLOSED, actor=actor)


def reopen_by_customer(session, request: SupportRequest, *, actor, reopen_days: int) -> None:
    if not can_reopen(request, reopen_days):
        raise SupportError(_l("This request can no longer be reopened. Please open a new "
                              "request."))
    change_status(session, request, OPEN, actor=actor)


def assign(session, request: SupportRequest, assignee, *, actor) -> None:
    """Give the request to a staff member (``None``: nobody); a new request becomes open."""
    if assignee is not None and not assignee.is_staff:
        raise SupportError(_l("Requests can only be assigned to staff."))
    request.assignee_id = assignee.id if assignee is not None else None
    audit.record("support.assign", "support_request", request.id, session=session, actor=actor,
                 number=request.number,
                 assignee=assignee.username if assignee is not None else "")
    if request.status == NEW and assignee is not None:
        change_status(session, request, OPEN, actor=actor)
    session.flush()


def merge(session, duplicate: SupportRequest, target: SupportRequest, *, actor) -> None:
    """Move the duplicate's messages and files into ``target`` (same company) and close it."""
    if duplicate.id == target.id or duplicate.company_id != target.company_id:
        raise SupportError(_l("Choose another request of the same customer."))
    if target.merged_into_id is not None or duplicate.merged_into_id is not None:
        raise SupportError(_l("A merged request cannot be merged again."))
    session.execute(update(Message).where(Message.request_id == duplicate.id)
                    .values(request_id=target.id))
    session.execute(update(SupportAttachment).where(SupportAttachment.request_id == duplicate.id)
                    .values(request_id=target.id))
    session.flush()
    _add(session, target, actor, str(_l("Merged %(number)s (%(subject)s) into this request.",
                                        number=duplicate.number, subject=duplicate.subject)),
         internal=True, attachments=(), now=utcnow())
    target.last_public_message_id = max(filter(None, (target.last_public_message_id,
                                                      duplicate.last_public_message_id)),
                                        default=None)
    duplicate.merged_into_id = target.id
    duplicate.last_public_message_id = None
    if target.first_response_at is None:
        target.first_response_at = duplicate.first_response_at
    if duplicate.status != CLOSED:
        duplicate.status = CLOSED
        duplicate.resolved_at = utcnow()
    session.flush()
    audit.record("support.merge", "support_request", duplicate.id, session=session,
                 actor=actor, number=duplicate.number, into=target.number)


def mark_read(session, request_id: int, user_id: int, message_id: int | None) -> None:
    """Remember that ``user_id`` has seen the thread up to ``message_id`` (never goes back)."""
    if not message_id:
        return
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(ReadState).values(request_id=request_id, user_id=user_id,
                                    last_read_message_id=message_id)
    stmt = stmt.on_conflict_do_update(
        index_elements=["request_id", "user_id"],
        set_={"last_read_message_id": case(
            (ReadState.last_read_message_id < message_id, message_id),
            else_=ReadState.last_read_message_id)})
    session.execute(stmt)


def is_active(request: SupportRequest) -> bool:
    return request.status in ACTIVE_STATUSES
