"""Reading quantities typed by people: locale-aware, positive, whole where the unit needs it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal
from flask import has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _

MAX_QUANTITY = Decimal("1000000000")


class QuantityError(ValueError):
    """The text is not an acceptable quantity; ``str(error)`` is the message for the user."""


def parse_quantity(text: str | None, whole: bool, locale: str | None = None) -> Decimal:
    """Parse ``text`` in the user's locale (``2,5`` in Turkish, ``2.5`` in English)."""
    text = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        raise QuantityError(_("Enter a quantity."))
    if locale is None:
        locale = str(get_locale()) if has_request_context() else "en"
    try:
        value = parse_decimal(text, locale=locale, strict=True)
    except (NumberFormatError, InvalidOperation, ValueError):
        raise QuantityError(_("Enter the quantity as a number, e.g. %(example)s.",
                              example="2" if whole else _example(locale))) from None
    if not value.is_finite():
        raise QuantityError(_("Enter the quantity as a number."))
    if value <= 0:
        raise QuantityError(_("The quantity must be more than zero."))
    if value >= MAX_QUANTITY:
        raise QuantityError(_("The quantity is too large."))
    if whole and value != value.to_integral_value():
        raise QuantityError(_("This product is sold in whole units only."))
    if value.as_tuple().exponent < -4:
        raise QuantityError(_("Use at most four decimal places."))
    return value.normalize() if value == value.to_integral_value() else value


def _example(locale: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(Decimal("2.5"), locale=locale)
