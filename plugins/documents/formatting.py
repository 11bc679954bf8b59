"""Locale-aware formatting helpers handed to the plugin's templates (blueprint context)."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_percent as babel_percent
from flask_babel import format_decimal, get_locale

from portal.core.formatting import format_date
from portal.core.formatting import money as format_money

from .registry import document_types, status_label


def money(value, currency: str = "TRY") -> str:
    """``₺1.234,50`` in Turkish, ``TRY 1,234.50`` in English; empty for ``None``."""
    return format_money(value, currency)


def quantity(value) -> str:
    if value is None:
        return ""
    value = Decimal(value).normalize()
    if value == value.to_integral():
        value = value.quantize(Decimal("1"))
    return format_decimal(value, format="#,##0.####")


def percent(value) -> str:
    """``%18`` in Turkish, ``18%`` in English."""
    if value is None:
        return ""
    return babel_percent(Decimal(value) / 100, locale=get_locale(), decimal_quantization=False)


def template_helpers() -> dict:
    return {"money": money, "quantity": quantity, "percent": percent,
            "status_label": status_label, "document_types": document_types,
            "format_date": format_date}
