"""The support plugin's tables: topics, requests, their messages and attachments, read state,
canned replies and the yearly number counter.

A request belongs to one customer company (indexed ``company_id``); its messages and
attachments are reached through the request, so scoping the request scopes everything.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.db import Base, utcnow

# Request statuses, in their usual order.
NEW = "new"
OPEN = "open"
WAITING = "waiting"          # waiting for the customer
CLOSED = "closed"
STATUSES = (NEW, OPEN, WAITING, CLOSED)
ACTIVE_STATUSES = (NEW, OPEN, WAITING)


class Topic(Base):
    """What a request is about; the business edits the list (names in English and Turkish)."""

    __tablename__ = "support_topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(50), unique=True)
    name_en: Mapped[str] = mapped_column(String(100))
    name_tr: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def name(self, locale: str) -> str:
        return self.name_tr if str(locale).startswith("tr") and self.name_tr else self.name_en


class Counter(Base):
    """The last number given in a year (``SR-2026-000001``)."""

    __tablename__ = "support_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class SupportRequest(Base):
    """A customer's question and its conversation with the business."""

    __tablename__ = "support_request"
    __table_args__ = (
        Index("ix_support_request_company_activity", "company_id", "last_activity_at"),
        Index("ix_support_request_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("customer_company.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL"), index=True)
    author_name: Mapped[str] = mapped_column(String(200), default="")
    topic_id: Mapped[int] = mapped_column(ForeignKey("support_topic.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    search_key: Mapped[str] = mapped_column(String(300), default="")  # number + subject, folded
    status: Mapped[str] = mapped_column(String(20), default=NEW)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL"), index=True)
    link_type: Mapped[str] = mapped_column(String(30), default="")
    link_id: Mapped[int | None] = mapped_column(Integer)
    link_label: Mapped[str] = mapped_column(String(200), default="")
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("support_request.id", ondelete="SET NULL"))
    last_public_message_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    first_response_at: Mapped[dt.datetime | None]
    resolved_at: Mapped[dt.datetime | None]


class Message(Base):
    """One message of a thread; ``internal`` notes are for the business's staff only."""

    __tablename__ = "support_message"
    __table_args__ = (Index("ix_support_message_request_id_id", "request_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("support_request.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(200), default="")
    from_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SupportAttachment(Base):
    """A file sent with a message, stored under a generated key (``portal.core.storage``)."""

    __tablename__ = "support_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("support_request.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("support_message.id", ondelete="CASCADE"), index=True)
    stored_key: Mapped[str] = mapped_column(String(100), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReadState(Base):
    """The last message a user has seen in a request (for the unread marker)."""

    __tablename__ = "support_read_state"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("support_request.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("portal_user.id", ondelete="CASCADE"), primary_key=True)
    last_read_message_id: Mapped[int] = mapped_column(Integer, default=0)


class CannedReply(Base):
    """A ready answer staff can start a reply from."""

    __tablename__ = "support_canned_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
