"""Demo announcements (idempotent: loading them twice changes nothing)."""

from __future__ import annotations

from sqlalchemy import select

from .models import Announcement

DEMO = (
    ("Holiday opening hours",
     "Our warehouse is closed on 29 October; orders placed that day ship on the 30th."),
    ("New price lists from 1 January",
     "The new price lists are in the catalogue; quotations issued before stay valid."),
)


def load(session) -> None:
    have = set(session.scalars(select(Announcement.title).where(
        Announcement.company_id.is_(None))))
    for title, body in DEMO:
        if title not in have:
            session.add(Announcement(title=title, body=body))
