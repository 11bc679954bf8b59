"""The core's tables: people, companies, access, plugin states, settings, audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.db import Base, utcnow
from portal.core.text import name_key, search_key

STAFF = "staff"
CUSTOMER = "customer"


class CustomerCompany(Base):
    """A counterparty of the business whose people use the portal."""

    __tablename__ = "customer_company"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    search_key: Mapped[str] = mapped_column(String(200), index=True, default="")
    tax_number: Mapped[str] = mapped_column(String(50), default="")
    billing_address: Mapped[str] = mapped_column(Text, default="")
    delivery_address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The ERP code folded like search_key (kept by _company_code_key): typed look-ups.
    code_key: Mapped[str | None] = mapped_column(String(100), index=True)

    __table_args__ = (
        # PostgreSQL only (core_0007_company_lookup): ``LIKE 'prefix%'`` under any collation.
        Index("ix_customer_company_search_prefix", "search_key",
              postgresql_ops={"search_key": "varchar_pattern_ops"},
              info={"only_on": "postgresql"}).ddl_if(dialect="postgresql"),
        Index("ix_customer_company_code_prefix", "code_key",
              postgresql_ops={"code_key": "varchar_pattern_ops"},
              info={"only_on": "postgresql"}).ddl_if(dialect="postgresql"),
    )


@event.listens_for(CustomerCompany, "before_insert")
@event.listens_for(CustomerCompany, "before_update")
def _company_code_key(_mapper, _connection, company: CustomerCompany) -> None:
    """Keep the folded ERP code for the look-up (``portal.core.lookup``)."""
    company.code_key = search_key(company.external_id)[:100] or None


class User(Base):
    """A person who signs in: the business's staff, or a customer company's external user."""

    __tablename__ = "portal_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # STAFF or CUSTOMER
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_company.id"), index=True
    )
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    search_key: Mapped[str] = mapped_column(String(600), default="")  # see _user_search_key
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    activation_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    activation_expires_at: Mapped[dt.datetime | None]
    # "Forgot password?": a separate one-time link, so asking for one locks nobody out.
    reset_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    reset_expires_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
    # Signed into known-device cookies; one more ends them all (portal.core.known_device).
    device_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    company: Mapped[CustomerCompany | None] = relationship(lazy="raise")

    # Flask-Login's user protocol; the user loader sets ``session_id`` to the cookie's token.
    session_id = None
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str | None:
        return self.session_id

    @property
    def is_staff(self) -> bool:
        return self.kind == STAFF

    @property
    def is_customer(self) -> bool:
        return self.kind == CUSTOMER

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


@event.listens_for(User, "before_insert")
@event.listens_for(User, "before_update")
def _user_search_key(_mapper, _connection, user: User) -> None:
    """Keep the folded user name, name and e-mail for Turkish-correct search."""
    user.search_key = search_key(" ".join(
        filter(None, (user.username, user.full_name, user.email))))[:600]


class UserSession(Base):
    """A signed-in browser. Deleting the row ends that session on the server side."""

    __tablename__ = "user_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie token
    user_id: Mapped[int] = mapped_column(
        ForeignKey("portal_user.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")

    user: Mapped[User] = relationship(lazy="raise")


class Profile(Base):
    """A named set of permissions that access groups are based on."""

    __tablename__ = "profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(50), unique=True)  # "customer" when built in
    name: Mapped[str] = mapped_column(String(100), unique=True)
    name_key: Mapped[str] = mapped_column(String(200), unique=True)  # see _name_keys
    description: Mapped[str] = mapped_column(Text, default="")
    is_builtin: Mapped[bool] = mapped_column(Boolean, default=False)


class ProfilePermission(Base):
    __tablename__ = "profile_permission"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), primary_key=True
    )
    permission: Mapped[str] = mapped_column(String(100), primary_key=True)


class AccessGroup(Base):
    """Customers grouped by what they may see: a profile, narrowed, plus restrictions."""

    __tablename__ = "access_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    name_key: Mapped[str] = mapped_column(String(200), unique=True)  # see _name_keys
    description: Mapped[str] = mapped_column(Text, default="")
    profile_id: Mapped[int] = mapped_column(ForeignKey("profile.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    profile: Mapped[Profile] = relationship(lazy="raise")


@event.listens_for(Profile, "before_insert")
@event.listens_for(Profile, "before_update")
@event.listens_for(AccessGroup, "before_insert")
@event.listens_for(AccessGroup, "before_update")
def _name_keys(_mapper, _connection, target: Profile | AccessGroup) -> None:
    """Keep the folded name whose unique index refuses "IŞIK" beside "Işık" (see name_key)."""
    target.name_key = name_key(target.name)[:200]


class AccessGroupExclusion(Base):
    """A permission of the group's profile that the group does not grant (narrowing)."""

    __tablename__ = "access_group_exclusion"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("access_group.id", ondelete="CASCADE"), primary_key=True
    )
    permission: Mapped[str] = mapped_column(String(100), primary_key=True)


class AccessGroupMember(Base):
    __tablename__ = "access_group_member"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("access_group.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("portal_user.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class AccessGroupRestriction(Base):
    """One allowed value of a restriction kind (e.g. category "Fasteners") for a group."""

    __tablename__ = "access_group_restriction"
    __table_args__ = (UniqueConstraint("group_id", "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("access_group.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(100))
    value: Mapped[str] = mapped_column(String(200))


class PluginState(Base):
    """Whether an installed plugin is enabled; read on every request by every worker."""

    __tablename__ = "plugin_state"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Setting(Base):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditLog(Base):
    """Who did what and when."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL"), index=True
    )
    actor_name: Mapped[str] = mapped_column(String(150), default="")
    action: Mapped[str] = mapped_column(String(100), index=True)
    target_type: Mapped[str] = mapped_column(String(50), default="")
    target_id: Mapped[str] = mapped_column(String(100), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    ip: Mapped[str] = mapped_column(String(64), default="")


class AuthFailure(Base):
    """Failed sign-ins counted per key (see :mod:`portal.core.throttle`), shared by workers."""

    __tablename__ = "auth_failure"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[dt.datetime] = mapped_column(default=utcnow)



class Event(Base):
    """Something that happened, recorded in the same transaction as the change (the outbox).

    Delivery (e-mail, webhooks, the change feed) reads from here after the commit; a rolled-back
    change leaves no event. ``subject_type``/``subject_id`` name the record (``"order"``, 42).
    """

    __tablename__ = "event"
    __table_args__ = (Index("ix_event_subject", "subject_type", "subject_id"),
                      Index("ix_event_feed", "subject_type", "seq"))  # the change feeds

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_company.id", ondelete="SET NULL"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL")
    )
    subject_type: Mapped[str] = mapped_column(String(50), default="")
    subject_id: Mapped[str] = mapped_column(String(100), default="")
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    # Stamped by the dispatcher, in commit order: the change feed's cursor (see delivery.py).
    seq: Mapped[int | None] = mapped_column(Integer, unique=True)


class OutboxLock(Base):
    """One row per serialised step (``"dispatch"``): updating it first makes copies take turns."""

    __tablename__ = "outbox_lock"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
EMAIL, WEBHOOK = "email", "webhook"


class Delivery(Base):
    """One message to one recipient on one channel: a rendered e-mail or a webhook call.

    The dispatcher creates them from events (at most one per event, channel and recipient: the
    unique key keeps copies of the worker from doubling them); the core's own mails (invitation,
    password reset) are created directly in the transaction of the change. A sender claims a row
    by moving it from ``pending`` to ``sending`` in one statement, so only one copy sends it.
    """

    __tablename__ = "delivery"
    __table_args__ = (UniqueConstraint("event_id", "channel", "recipient"),
                      Index("ix_delivery_due", "status", "next_attempt_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(300))  # e-mail address, or the webhook's id
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL"), index=True)
    webhook_id: Mapped[int | None] = mapped_column(
        ForeignKey("webhook.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(100), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[dt.datetime | None]


class Webhook(Base):
    """A URL the administrator registered, with the event kinds it wants and its signing secret."""

    __tablename__ = "webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(String(200), default="")
    secret: Mapped[str] = mapped_column(String(100))
    kinds: Mapped[list] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class NotificationPreference(Base):
    """A user's choice for one event kind; without a row the kind's default applies."""

    __tablename__ = "notification_preference"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("portal_user.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(100), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
