"""Quantities typed by people: parsed in their locale, whole where the unit needs it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, format_decimal, parse_decimal
from flask_babel import gettext as _

MAX_QUANTITY = Decimal("1000000000")

FRACTIONAL_UNITS = frozenset({
    "kg", "g", "gr", "t", "ton", "m", "cm", "mm", "km", "m2", "m²", "m3", "m³", "l", "lt",
    "litre", "liter", "ml", "metre", "meter", "metrekare", "metreküp", "kilogram",
})
"""Units sold in fractions (kg, m, l…); every other unit (pcs, adet, torba, rulo…) is counted
in whole units."""


class QuantityError(ValueError):
    """Not an acceptable quantity; ``str(error)`` is the message shown beside the field."""


def whole_units(unit: str, invoiced: Decimal) -> bool:
    """Whether a line must be returned in whole units: its unit is counted, not measured, and
    it was invoiced in whole units."""
    fractional = (unit or "").strip().lower().rstrip(".") in FRACTIONAL_UNITS
    return not fractional and Decimal(invoiced) == Decimal(invoiced).to_integral_value()


def parse_quantity(text: str | None, *, whole: bool, locale: str) -> Decimal | None:
    """The quantity in ``text`` (``2,5`` in Turkish, ``2.5`` in English); ``None`` when empty.

    Zero is allowed (the line is not returned); negative, non-numeric, too precise and (for
    ``whole``) fractional values raise :class:`QuantityError`.
    """
    text = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    try:
        value = parse_decimal(text, locale=locale, strict=True)
    except (NumberFormatError, InvalidOperation, ValueError):
        raise QuantityError(_("Enter the quantity as a number, e.g. %(example)s.",
                              example="2" if whole else format_decimal(Decimal("2.5"),
                                                                       locale=locale))) from None
    if not value.is_finite() or value < 0:
        raise QuantityError(_("The quantity cannot be negative."))
    if value >= MAX_QUANTITY:
        raise QuantityError(_("The quantity is too large."))
    if whole and value != value.to_integral_value():
        raise QuantityError(_("This product is returned in whole units only."))
    if value.as_tuple().exponent < -4:
        raise QuantityError(_("Use at most four decimal places."))
    return value.normalize() if value == value.to_integral_value() else value
