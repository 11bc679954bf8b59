"""One way to write a date, a moment and an amount in each language, for every page and plugin.

Templates use the filters ``date`` (``Dec 1, 2026`` · ``1 Ara 2026``), ``datetime``
(``Dec 1, 2026, 8:24 PM`` · ``1 Ara 2026 20:24``) and ``money`` (``TRY 10,127.76`` ·
``₺10.127,76``), and ``code`` for a record number or product code (``SO-2026-000123``,
``AY-1006``), which is wrapped in ``<span class="code">`` so a line never breaks inside it;
Python code calls the functions below. Moments are shown in the portal's
time zone (Flask-Babel's ``BABEL_DEFAULT_TIMEZONE``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import get_datetime_format
from babel.numbers import get_currency_symbol
from flask_babel import format_currency, format_time, get_locale
from flask_babel import format_date as babel_date
from markupsafe import Markup

DATE_FORMAT = "medium"
"""Dates everywhere: month in letters, so 12/1 and 1/12 can never be confused."""


def format_date(value, format: str | None = None) -> str:  # noqa: A002 (Babel's name)
    """A day, ``Dec 1, 2026``; a datetime is shown as its day. ``format`` is ignored on purpose:
    the portal writes dates in one style (kept as a parameter for old ``|date("short")`` calls).
    An ISO string (``"2026-12-01"``, as event payloads carry dates) is read as that day."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return babel_date(value, DATE_FORMAT)


def format_datetime(value, format: str | None = None) -> str:  # noqa: A002
    """A moment: the date as :func:`format_date` writes it and the time to the minute."""
    if value is None:
        return ""
    pattern = get_datetime_format(DATE_FORMAT, locale=get_locale())
    return pattern.replace("{1}", babel_date(value, DATE_FORMAT)).replace(
        "{0}", format_time(value, "short"))


def money(value, currency: str = "TRY") -> str:
    """An amount in its currency, in the reader's language.

    Where the language has no symbol for the currency (English for TRY), the code is kept apart
    from the number by a no-break space: ``TRY 10,127.76``, never ``TRY10,127.76``.
    Empty for ``None``.
    """
    if value is None:
        return ""
    locale = get_locale()
    pattern = None
    if get_currency_symbol(currency, locale=locale) == currency:
        standard = locale.currency_formats["standard"].pattern
        pattern = standard.replace("¤#", "¤\xa0#").replace("¤0", "¤\xa00")
    return format_currency(Decimal(value), currency, format=pattern)


def code(value) -> Markup:
    """A record number or product code as one unbreakable piece: ``<span class="code">…</span>``
    (the text escaped). Empty for ``None``, so optional numbers need no ``if``."""
    if value is None or value == "":
        return Markup("")
    return Markup('<span class="code">%s</span>') % value


def init_app(app) -> None:
    app.jinja_env.filters.update(date=format_date, datetime=format_datetime, money=money,
                                 code=code)
