"""Statement periods: the presets (this month, last month, this quarter, this year) and custom."""

from __future__ import annotations

import datetime as dt

PRESETS = ("this_month", "last_month", "this_quarter", "this_year", "custom")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def preset_range(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of a preset period around ``today``."""
    if preset == "last_month":
        last = month_start(today) - dt.timedelta(days=1)
        return month_start(last), last
    if preset == "this_quarter":
        first_month = (today.month - 1) // 3 * 3 + 1
        start = today.replace(month=first_month, day=1)
        return start, month_end(start.replace(month=first_month + 2))
    if preset == "this_year":
        return today.replace(month=1, day=1), today.replace(month=12, day=31)
    return month_start(today), month_end(today)


def last_month_ends(today: dt.date, count: int = 12) -> list[dt.date]:
    """The last day of each of the ``count`` months up to this one (this month: today)."""
    ends = [today]
    day = month_start(today)
    while len(ends) < count:
        day = day - dt.timedelta(days=1)
        ends.append(day)
        day = month_start(day)
    return list(reversed(ends))
