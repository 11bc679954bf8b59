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
from portal.core.text import search_key

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
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]

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
    description: Mapped[str] = mapped_column(Text, default="")
    profile_id: Mapped[int] = mapped_column(ForeignKey("profile.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    profile: Mapped[Profile] = relationship(lazy="raise")


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
    """Failed sign-ins counted per key (``user:<name>`` or ``ip:<address>``), shared by workers."""

    __tablename__ = "auth_failure"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

