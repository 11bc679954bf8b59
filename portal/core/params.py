"""Ids and page numbers read from URLs, forms and query strings, bounded before the database.

Python's ``int()`` accepts any size and Unicode digits (``int("١") == 1``); the database does
not (a 64-bit column, and ``9223372036854775808`` makes the driver raise). Every id the portal
reads goes through one of these:

- ``<int:…>`` in any route: :class:`IdConverter` replaces Flask's ``int`` converter for the
  whole app (ASCII digits, at most ``2**63 - 1``; anything else is a 404).
- forms and query strings: ``request.form.get("product_id", type=parse_id)``,
  ``SelectField(coerce=coerce_id)``.
- page numbers: :func:`page_arg` (1 … :data:`MAX_PAGE`).
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**63 - 1
MAX_PAGE = 100_000  # × 100 rows a page still fits any offset; nobody pages further by hand


def parse_id(value) -> int | None:
    """``value`` as a positive database id, or ``None`` (not ASCII digits, 0 or too large)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= MAX_ID else None
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text or not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def coerce_id(value) -> int:
    """``coerce=`` for a ``SelectField`` of ids (``0`` is the usual "none" choice): raises
    ``ValueError`` for anything else, which the field reports as an invalid choice."""
    if value in (0, "0"):
        return 0
    number = parse_id(value)
    if number is None:
        raise ValueError("not an id")
    return number


def page_arg(args, name: str = "page") -> int:
    """The page number of a list: 1 when missing or unreadable, at most :data:`MAX_PAGE`."""
    number = parse_id(args.get(name))
    return min(number, MAX_PAGE) if number else 1


class IdConverter(IntegerConverter):
    """``<int:…>``: ASCII digits only, bounded to a signed 64-bit id."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app) -> None:
    app.url_map.converters["int"] = IdConverter
