"""Announcements without Flask: what a customer may read, publishing and withdrawing."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from portal.core.db import utcnow

from .models import Announcement


def _visible(company_id: int):
    return (Announcement.withdrawn_at.is_(None),
            or_(Announcement.company_id.is_(None), Announcement.company_id == company_id))


def visible_page(session, company_id: int, page: int = 1, per_page: int = 20):
    """One page of what the company's people may read, newest first, and the page count."""
    total = session.scalar(select(func.count()).select_from(Announcement)
                           .where(*_visible(company_id)))
    rows = session.scalars(
        select(Announcement).where(*_visible(company_id))
        .order_by(Announcement.published_at.desc(), Announcement.id.desc())
        .limit(per_page).offset((max(page, 1) - 1) * per_page)).all()
    return rows, max(1, -(-total // per_page))


def get_visible(session, company_id: int, announcement_id: int) -> Announcement | None:
    return session.scalar(select(Announcement).where(Announcement.id == announcement_id,
                                                     *_visible(company_id)))


def staff_page(session, page: int = 1, per_page: int = 20):
    total = session.scalar(select(func.count()).select_from(Announcement))
    rows = session.scalars(select(Announcement)
                           .order_by(Announcement.published_at.desc(), Announcement.id.desc())
                           .limit(per_page).offset((max(page, 1) - 1) * per_page)).all()
    return rows, max(1, -(-total // per_page))


def publish(session, title: str, body: str, company_id: int | None = None,
            author_id: int | None = None) -> Announcement:
    row = Announcement(title=title.strip(), body=body.strip(), company_id=company_id,
                       author_id=author_id)
    session.add(row)
    session.flush()
    return row


def withdraw(row: Announcement) -> bool:
    """Withdraw an announcement; False when it was withdrawn already."""
    if row.withdrawn_at is not None:
        return False
    row.withdrawn_at = utcnow()
    return True
