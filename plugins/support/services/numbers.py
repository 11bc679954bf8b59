"""Readable request numbers from a yearly counter: ``SR-2026-000001``."""

from __future__ import annotations

from sqlalchemy import update

from ..models import Counter

PREFIX = "SR"


def next_number(session, year: int) -> str:
    """The next number of ``year``; safe under concurrency.

    One ``UPDATE … RETURNING`` bumps the counter: PostgreSQL holds the row lock until the
    transaction ends and SQLite serialises writers, so two requests never share a number. The
    year's row is created with ``INSERT … ON CONFLICT DO NOTHING`` first when it is missing.
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    bump = (update(Counter).where(Counter.year == year)
            .values(last_value=Counter.last_value + 1).returning(Counter.last_value))
    value = session.execute(bump).scalar()
    if value is None:
        session.execute(insert(Counter).values(year=year, last_value=0)
                        .on_conflict_do_nothing(index_elements=["year"]))
        value = session.execute(bump).scalar_one()
    return f"{PREFIX}-{year}-{value:06d}"
