"""``support-requests`` in the integration API: read a request by its number (never with
internal notes), or what changed through the change feed (``GET /api/v1/support-requests
?since=``). Requests are opened in the portal, so ``PUT`` is refused."""

from __future__ import annotations

from sqlalchemy import select

from portal.core.models import CustomerCompany

from .models import Message, SupportAttachment, SupportRequest, Topic
from .services import queries


def _moment(value):
    return value.isoformat() if value is not None else None


def read_request(session, number: str) -> dict | None:
    found = queries.by_number(session, number)
    return _read(session, [found])[0] if found is not None else None


def read_requests(session, ids: list[str]) -> dict[str, dict]:
    """The change feed's bulk read: requests by id, in six queries however many."""
    wanted = [int(i) for i in ids if i.isdigit()]
    if not wanted:
        return {}
    rows = list(session.scalars(select(SupportRequest).where(SupportRequest.id.in_(wanted))))
    return {str(row.id): record for row, record in zip(rows, _read(session, rows), strict=True)}


def _read(session, rows: list[SupportRequest]) -> list[dict]:
    """API records of ``rows``: customer-visible messages only, a fixed number of queries."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    topics = {t.id: t.key for t in session.scalars(
        select(Topic).where(Topic.id.in_({row.topic_id for row in rows})))}
    companies = {c.id: c for c in session.execute(
        select(CustomerCompany.id, CustomerCompany.name, CustomerCompany.external_id)
        .where(CustomerCompany.id.in_({row.company_id for row in rows})))}
    merged = {row.merged_into_id for row in rows if row.merged_into_id}
    merged_numbers = dict(session.execute(
        select(SupportRequest.id, SupportRequest.number)
        .where(SupportRequest.id.in_(merged)))) if merged else {}
    visible = (select(Message.id).where(Message.request_id.in_(ids),
                                        Message.internal.is_(False)))
    messages: dict[int, list[Message]] = {}
    for message in session.scalars(select(Message).where(Message.id.in_(visible))
                                   .order_by(Message.created_at, Message.id)):
        messages.setdefault(message.request_id, []).append(message)
    attachments: dict[int, list[SupportAttachment]] = {}
    for item in session.scalars(select(SupportAttachment)
                                .where(SupportAttachment.message_id.in_(visible))
                                .order_by(SupportAttachment.id)):
        attachments.setdefault(item.message_id, []).append(item)
    return [_as_dict(row, topics.get(row.topic_id), companies.get(row.company_id),
                     merged_numbers.get(row.merged_into_id), messages.get(row.id, []),
                     attachments) for row in rows]


def _as_dict(found, topic, company, merged_into, messages, attachments) -> dict:
    return {
        "number": found.number, "subject": found.subject, "status": found.status,
        "topic": topic,
        "customer": {"name": company.name, "external_id": company.external_id}
        if company else None,
        "link": {"type": found.link_type, "id": found.link_id, "label": found.link_label}
        if found.link_type else None,
        "merged_into": merged_into,
        "created_at": _moment(found.created_at),
        "last_activity_at": _moment(found.last_activity_at),
        "first_response_at": _moment(found.first_response_at),
        "resolved_at": _moment(found.resolved_at),
        "messages": [{"id": m.id, "author": m.author_name, "from_staff": m.from_staff,
                      "body": m.body, "created_at": _moment(m.created_at),
                      "attachments": [{"name": a.original_name, "size": a.size,
                                       "content_type": a.content_type}
                                      for a in attachments.get(m.id, ())]}
                     for m in messages],
    }


def refuse_write(session, external_id: str, data: dict):
    from plugins.documents.types import PayloadError

    raise PayloadError([{"field": "", "message": "Support requests are opened in the portal; "
                                                 "this resource is read-only."}])


def resources():
    from plugins.documents.types import ApiFeed, ApiResource

    return [ApiResource("support-requests", "Support requests", fields=(),
                        upsert=refuse_write, read=read_request,
                        description="Support requests by number (SR-2026-000001), with their "
                                    "messages to and from the customer; read-only.",
                        order=90, feed=ApiFeed("support_request", read_requests))]
