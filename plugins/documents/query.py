"""The filtered, sorted, paged document list shared by customer pages, staff pages and CSV."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import DateField, Form, HiddenField, SelectField, StringField
from wtforms.validators import Length, Optional

from portal.core.params import page_arg

from .models import Document

SORTS = {"date": Document.issued_on, "number": Document.number, "total": Document.gross_total}
PER_PAGE = 50


class FilterForm(Form):
    """The GET filter of a document list (no CSRF: it changes nothing)."""

    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=[], validate_choice=True,
                         validators=[Optional()])
    number = StringField(_l("Number"), validators=[Optional(), Length(max=50)])
    sort = HiddenField(default="date")
    dir = HiddenField(default="desc")


@dataclass
class Filters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str | None = None
    number: str | None = None
    sort: str = "date"
    direction: str = "desc"
    page: int = 1

    def args(self, **override) -> dict:
        """Query-string values for links (sort headers, pager, export)."""
        values = {"date_from": self.date_from.isoformat() if self.date_from else None,
                  "date_to": self.date_to.isoformat() if self.date_to else None,
                  "status": self.status, "number": self.number, "sort": self.sort,
                  "dir": self.direction, "page": self.page if self.page > 1 else None}
        values.update(override)
        return {k: v for k, v in values.items() if v not in (None, "")}


def read_filters(args, statuses, status_label) -> tuple[FilterForm, Filters]:
    """Build the form from the query string; invalid fields show an error and are ignored."""
    form = FilterForm(args)
    form.status.choices = [("", _l("Any status"))] + [(s, status_label(s)) for s in statuses]
    form.validate()
    filters = Filters()
    if not form.date_from.errors:
        filters.date_from = form.date_from.data
    if not form.date_to.errors:
        filters.date_to = form.date_to.data
    if not form.status.errors and form.status.data:
        filters.status = form.status.data
    if not form.number.errors and (form.number.data or "").strip():
        filters.number = form.number.data.strip()
    filters.sort = args.get("sort") if args.get("sort") in SORTS else "date"
    filters.direction = "asc" if args.get("dir") == "asc" else "desc"
    form.sort.data, form.dir.data = filters.sort, filters.direction
    filters.page = page_arg(args)
    return form, filters


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_statement(company_id: int, doc_type: str, filters: Filters):
    stmt = select(Document).where(Document.company_id == company_id,
                                  Document.doc_type == doc_type)
    if filters.date_from:
        stmt = stmt.where(Document.issued_on >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(Document.issued_on <= filters.date_to)
    if filters.status:
        stmt = stmt.where(Document.status == filters.status)
    if filters.number:
        pattern = f"%{_escape_like(filters.number.upper())}%"
        stmt = stmt.where(func.upper(Document.number).like(pattern, escape="\\"))
    column = SORTS[filters.sort]
    order = column.asc() if filters.direction == "asc" else column.desc()
    tiebreak = Document.id.asc() if filters.direction == "asc" else Document.id.desc()
    return stmt.order_by(order, tiebreak)


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(session, stmt, page: int, per_page: int = PER_PAGE) -> Page:
    """One page of ``stmt`` (a select of one entity with an ``id``, ordered), linkable by number.

    Flat at deep pages: the count and the page's ids are read from the index alone
    (``(company_id, doc_type, issued_on, id)`` covers the default list), skipping rows there;
    only the page's rows are then loaded, by id. Three queries.
    """
    key = stmt.column_descriptions[0]["entity"].id
    total = session.scalar(select(func.count()).select_from(
        stmt.with_only_columns(key).order_by(None).subquery()))
    page = min(page, max(1, -(-total // per_page)))
    ids = stmt.with_only_columns(key).limit(per_page).offset((page - 1) * per_page)
    items = list(session.scalars(stmt.where(key.in_(ids.scalar_subquery())))) if total else []
    return Page(items, total, page, per_page)
