"""One way to page a list: keyset links that stay linkable, page numbers still accepted.

Every list of the portal (and of a plugin) pages through :func:`paginate`::

    from portal.core.paging import Key, paginate

    page = paginate(select(Order).where(Order.company_id == company_id),
                    order=[Key(Order.created_at, desc=True), Key(Order.id, desc=True)])
    # page.items, page.total, page.number, page.next_url, page.prev_url

and renders its links with the shared macro ``{% from "_pager.html" import pager %}``
``{{ pager(page, _("Order pages"), target="order-results") }}`` (plain links without
JavaScript; with htmx they replace ``#target`` and push the URL, so the same partial serves the
full page and the swap).

The rule:

- The list is ordered by ``order``: sort keys ending with a unique one (the id). The helper sets
  the ``ORDER BY`` itself; keys must not be NULL (``coalesce`` a nullable column).
- "Next" and "previous" are **keyset** links: ``?after=<cursor>`` / ``?before=<cursor>``, where
  the cursor holds the sort values of the last (first) row shown and the page number, signed
  with the app's secret key. A page deep in the list costs what the first one costs
  (``WHERE (key, id) < (:k, :i) ORDER BY key DESC, id DESC LIMIT n`` on an index). A cursor
  that is not ours, was made for another sort, or cannot be read gives the first page, never
  an error.
- ``?page=N`` is still accepted (old links, typed URLs): it is mapped to an OFFSET over the
  page's ids alone (an index-only skip), bounded by :func:`portal.core.params.page_arg` and
  clamped to the last page; its next/previous links are keyset ones again. Pass
  ``links="offset"`` for a list whose links must be page numbers (e.g. a page re-rendered by a
  POST handler, a short staff list).
- The count is capped: at most ``count_cap`` rows are counted (``page.total_capped`` says
  there are more), so counting never scans a big company's whole history.
- Two queries per page, whichever page: the (capped) count and the page's rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import namedtuple
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from math import ceil

from flask import current_app, request, url_for
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import and_, func, literal, or_, select, tuple_

from portal.core.db import get_session
from portal.core.params import page_arg

PER_PAGE = 25
COUNT_CAP = 10_000
AFTER, BEFORE, PAGE = "after", "before", "page"
_SALT = "portal.paging"


@dataclass(frozen=True)
class Key:
    """One sort key of a list: a column or SQL expression and its direction."""

    expr: object
    desc: bool = False

    @property
    def clause(self):
        return self.expr.desc() if self.desc else self.expr.asc()


# -- cursors ---------------------------------------------------------------------------------


def _dump(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | str):
        return value
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    if isinstance(value, float):
        return {"n": repr(value)}
    raise TypeError(f"cannot page on a {type(value).__name__} key")


def _load(value):
    if isinstance(value, dict) and len(value) == 1:
        (tag, text), = value.items()
        if not isinstance(text, str):
            raise ValueError("bad cursor value")
        if tag == "t":
            return dt.datetime.fromisoformat(text)
        if tag == "d":
            return dt.date.fromisoformat(text)
        if tag == "n":
            return Decimal(text)
        raise ValueError("bad cursor tag")
    if isinstance(value, bool | int | str):
        return value
    raise ValueError("bad cursor value")


def _fingerprint(order) -> str:
    text = "|".join(f"{k.expr}:{int(k.desc)}" for k in order)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=_SALT)


def make_cursor(order, values, number: int) -> str:
    """A signed cursor for the row with sort ``values`` on page ``number`` of list ``order``."""
    return _serializer().dumps({"s": _fingerprint(order), "n": number,
                                "v": [_dump(v) for v in values]})


def read_cursor(order, text: str | None) -> tuple[list, int] | None:
    """``(values, page number)`` from a cursor of this list, or ``None`` when it is not one."""
    if not text or len(text) > 1000:
        return None
    try:
        data = _serializer().loads(text)
        if (not isinstance(data, dict) or data.get("s") != _fingerprint(order)
                or not isinstance(data.get("v"), list) or len(data["v"]) != len(order)):
            return None
        number = data.get("n")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            return None
        return [_load(v) for v in data["v"]], number
    except (BadData, ValueError, TypeError, InvalidOperation):
        return None


def _beyond(order, values, forward: bool):
    """Rows strictly after (``forward``) or before ``values`` in the list's order."""
    values = [literal(v, k.expr.type) for k, v in zip(order, values, strict=True)]
    directions = {k.desc for k in order}
    if len(directions) == 1:  # one row-value comparison, which an index on the keys serves
        left, right = tuple_(*[k.expr for k in order]), tuple_(*values)
        return (left < right) if (directions == {True}) == forward else (left > right)
    terms = []
    for i, key in enumerate(order):
        later = (key.expr < values[i]) if key.desc == forward else (key.expr > values[i])
        terms.append(and_(*[order[j].expr == values[j] for j in range(i)], later))
    return or_(*terms)


# -- the page --------------------------------------------------------------------------------


@dataclass
class Page:
    """One page of a list and its links.

    ``number`` is the page's position (1 = first), ``total`` the rows counted (at most the cap;
    ``total_capped`` when there are more), ``pages`` the pages known so far.
    """

    items: list
    number: int
    per_page: int
    total: int
    total_capped: bool = False
    has_prev: bool = False
    has_next: bool = False
    prev_args: dict = field(default_factory=dict)
    next_args: dict = field(default_factory=dict)
    endpoint: str | None = None
    url_values: dict | None = None

    @property
    def page(self) -> int:  # the name some templates use
        return self.number

    @property
    def pages(self) -> int:
        counted = max(1, ceil(self.total / self.per_page))
        return max(counted, self.number + (1 if self.has_next else 0))

    @property
    def first(self) -> int:
        """The position (1-based) of the page's first row."""
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    def _url(self, args: dict) -> str:
        if self.endpoint:
            return url_for(self.endpoint, **(self.url_values or {}), **args)
        values = {k: v for k, v in request.args.to_dict().items()
                  if k not in (AFTER, BEFORE, PAGE)}
        values.update(args)
        return url_for(request.endpoint, **(request.view_args or {}), **values)

    @property
    def next_url(self) -> str | None:
        return self._url(self.next_args) if self.has_next else None

    @property
    def prev_url(self) -> str | None:
        return self._url(self.prev_args) if self.has_prev else None

    def url(self, number: int) -> str:
        """A link to page ``number`` by its number (an OFFSET page)."""
        return self._url({PAGE: number} if number > 1 else {})


def _split(rows, extra: int, scalars: bool):
    """The items without the trailing sort-key columns, and each row's key values."""
    if not rows:
        return [], []
    keys = [tuple(row[-extra:]) for row in rows]
    if scalars:
        return [row[0] for row in rows], keys
    fields = rows[0]._fields[:-extra]
    shape = namedtuple("Row", fields, rename=True)
    return [shape(*row[:-extra]) for row in rows], keys


def paginate(stmt, *, order, per_page: int = PER_PAGE, scalars: bool = True,
             args=None, links: str = "keyset", count_cap: int = COUNT_CAP,
             endpoint: str | None = None, session=None, **url_values) -> Page:
    """One page of ``stmt`` ordered by ``order`` (a list of :class:`Key`, the last unique).

    ``args`` are the query-string values (default: this request's); ``scalars`` returns the
    first entity of each row, else the rows (tuples with the same field names). Links go to
    ``endpoint`` with ``url_values`` when given, else to this request's view with its
    arguments. Two queries.
    """
    session = session or get_session()
    args = request.args if args is None else args
    order = list(order)
    stmt = stmt.order_by(None)
    ident = order[-1].expr
    counted = stmt.with_only_columns(ident).order_by(None).limit(count_cap + 1)
    total = session.scalar(select(func.count()).select_from(counted.subquery()))
    capped = total > count_cap
    total = min(total, count_cap)
    labelled = [k.expr.label(f"_paging_key{i}") for i, k in enumerate(order)]
    keyed = stmt.add_columns(*labelled)

    cursor = None
    forward = True
    if links == "keyset":
        for name, direction in ((AFTER, True), (BEFORE, False)):
            cursor = read_cursor(order, args.get(name))
            if cursor:
                forward = direction
                break

    if cursor:
        values, number = cursor
        seek = keyed.where(_beyond(order, values, forward))
        if forward:
            rows = session.execute(seek.order_by(*[k.clause for k in order])
                                   .limit(per_page + 1)).all()
            more_after, more_before = len(rows) > per_page, True
            rows = rows[:per_page]
        else:
            reverse = [Key(k.expr, not k.desc).clause for k in order]
            rows = session.execute(seek.order_by(*reverse).limit(per_page + 1)).all()
            more_before, more_after = len(rows) > per_page, True
            rows = list(reversed(rows[:per_page]))
            if not more_before:
                number = 1
        if not rows:  # the list moved under the cursor: show where it ends
            more_after = False
    else:
        number = page_arg(args) if links == "offset" or PAGE in args else 1
        last = max(1, ceil(total / per_page))
        if not capped:
            number = min(number, last)
        ids = (stmt.with_only_columns(ident).order_by(*[k.clause for k in order])
               .limit(per_page + 1).offset((number - 1) * per_page))
        # the page's ids from the index alone, then only those rows: one statement for page 1
        # and page 300 alike
        rows = session.execute(keyed.where(ident.in_(ids.scalar_subquery()))
                               .order_by(*[k.clause for k in order])).all() if total else []
        more_after, more_before = len(rows) > per_page, number > 1
        rows = rows[:per_page]
        if not rows and number > 1:  # past the end of a capped count: back to the start
            number, more_before = 1, False
            rows = session.execute(keyed.where(ident.in_(ids.offset(0).scalar_subquery()))
                                   .order_by(*[k.clause for k in order])).all()
            more_after = len(rows) > per_page
            rows = rows[:per_page]

    items, keys = _split(rows, len(order), scalars)
    prev_args: dict = {}
    next_args: dict = {}
    if links == "offset":
        prev_args = {PAGE: number - 1} if number > 2 else {}
        next_args = {PAGE: number + 1}
    elif keys:
        prev_args = {BEFORE: make_cursor(order, keys[0], number - 1)} if number > 2 else {}
        next_args = {AFTER: make_cursor(order, keys[-1], number + 1)}
    return Page(items, number, per_page, total, capped, more_before, more_after, prev_args,
                next_args, endpoint, url_values or None)
