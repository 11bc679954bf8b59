"""Ids and page numbers read from URLs, forms and query strings, bounded before the database.

Python's ``int()`` accepts any size and Unicode digits (``int("١") == 1``); the database does
not: every id column is an ``Integer``, 32 bits on PostgreSQL, so ``2147483648`` there makes the
driver raise (SQLite would take 64 bits, which hid it). Every id the portal reads goes through
one of these:

- ``<int:…>`` in any route: :class:`IdConverter` replaces Flask's ``int`` converter for the
  whole app (ASCII digits, at most :data:`MAX_ID`; anything else is a 404).
- forms and query strings: ``request.form.get("product_id", type=parse_id)``,
  ``SelectField(coerce=coerce_id)``.
- page numbers: :func:`page_arg` (1 … :data:`MAX_PAGE`).

Text is checked once for the whole app too: a path part, query value or form value holding a
character no column can store (NUL, an unpaired surrogate: :func:`portal.core.text.unstorable`)
is refused with :class:`UnstorableInput` (a 400 page; the API answers 422 naming the field)
before any view sees it.
"""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from portal.core.text import unstorable

MAX_ID = 2**31 - 1
"""The largest value an ``Integer`` column holds on PostgreSQL (ids, sequence numbers)."""
MAX_PAGE = 100_000  # × 100 rows a page still fits any offset; nobody pages further by hand


def parse_id(value) -> int | None:
    """``value`` as a positive database id, or ``None`` (not ASCII digits, 0 or too large)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= MAX_ID else None
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text or not text.isascii() or not text.isdigit() or len(text) > 10:
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
    text = (args.get(name) or "").strip()
    if not text.isascii() or not text.isdigit() or not text.strip("0"):
        return 1
    return MAX_PAGE if len(text) > 9 else min(int(text), MAX_PAGE)  # int() refuses 4,300+ digits


class IdConverter(IntegerConverter):
    """``<int:…>``: ASCII digits only, bounded to :data:`MAX_ID`."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class UnstorableInput(BadRequest):
    """A request value holds a character no text column can store; ``field`` names it."""

    def __init__(self, field: str):
        super().__init__(f"{field} holds a character that cannot be stored (NUL or an unpaired "
                         "surrogate).")
        self.field = field


FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def refuse_unstorable() -> None:
    """``before_request``: refuse NUL and unpaired surrogates in the path, query and form."""
    sources = [(request.view_args or {}).items(), request.args.items(multi=True)]
    if request.method != "GET" and request.mimetype in FORM_TYPES:
        sources.append(request.form.items(multi=True))
    for items in sources:
        for name, value in items:
            if isinstance(value, str) and (unstorable(value) or unstorable(name)):
                raise UnstorableInput(name)


def init_app(app) -> None:
    app.url_map.converters["int"] = IdConverter
