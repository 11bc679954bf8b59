"""RMA numbers: ``RMA-2026-000001``, from a counter row per year incremented atomically."""

from __future__ import annotations

from sqlalchemy import update

from ..models import RequestCounter

PREFIX = "RMA"


def dialect_insert(session):
    """The dialect's ``insert`` (for ``on_conflict_do_nothing``) of the session's database."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def next_number(session, year: int) -> str:
    """The next readable number for ``year``; safe under concurrency.

    One ``UPDATE … RETURNING`` bumps the year's row (PostgreSQL locks it until the transaction
    ends; SQLite serialises writers); a new year's row is created with ``INSERT … ON CONFLICT DO
    NOTHING`` so two first requests of a year cannot collide.
    """
    bump = (update(RequestCounter).where(RequestCounter.year == year)
            .values(last_value=RequestCounter.last_value + 1)
            .returning(RequestCounter.last_value))
    value = session.execute(bump).scalar()
    if value is None:
        insert = dialect_insert(session)
        session.execute(insert(RequestCounter).values(year=year, last_value=0)
                        .on_conflict_do_nothing(index_elements=["year"]))
        value = session.execute(bump).scalar_one()
    return f"{PREFIX}-{year}-{value:06d}"
