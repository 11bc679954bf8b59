"""Issue 13: one style for dates, moments and amounts in each language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import force_locale

from portal.core.formatting import format_date, format_datetime, money

MOMENT = dt.datetime(2026, 12, 1, 20, 24, tzinfo=dt.UTC)


def test_english_amounts_keep_the_currency_code_apart_from_the_number(app):
    with app.test_request_context(), force_locale("en"):
        assert money(Decimal("10127.76"), "TRY") == "TRY\u00a010,127.76"
        assert money(Decimal("-400"), "TRY") == "-TRY\u00a0400.00"
        assert money(Decimal("5"), "USD") == "$5.00"
        assert money(None) == ""


def test_turkish_amounts_use_the_lira_sign(app):
    with app.test_request_context(), force_locale("tr"):
        assert money(Decimal("10127.76"), "TRY") == "₺10.127,76"


def test_dates_and_moments_share_one_style_per_language(app):
    with app.test_request_context():
        with force_locale("en"):
            assert format_date(MOMENT.date()) == "Dec 1, 2026"
            assert format_datetime(MOMENT) == "Dec 1, 2026, 8:24\u202fPM"
            assert format_date(MOMENT.date(), "short") == "Dec 1, 2026"
        with force_locale("tr"):
            assert format_date(MOMENT.date()) == "1 Ara 2026"
            assert format_datetime(MOMENT) == "1 Ara 2026 20:24"
