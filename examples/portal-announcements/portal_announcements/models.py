"""The plugin's one table (names start with the plugin's name)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.db import Base, utcnow


class Announcement(Base):
    """A message from the supplier; ``company_id`` None means every customer."""

    __tablename__ = "announcements_announcement"
    __table_args__ = (Index("ix_announcements_announcement_company_published", "company_id",
                            "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_company.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL"))
    published_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(default=None)
