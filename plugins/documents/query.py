"""The filtered, sorted, paged document list shared by customer pages, staff pages and CSV."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import DateField, Form, HiddenField, SelectField, StringField
from wtforms.validators import Length, Optional

from portal.core.forms import choices
from portal.core.paging import Key, Page, paginate
from portal.core.params import page_arg
from portal.core.text import escape_like

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
    form.status.choices = choices([("", _l("Any status"))]
                                  + [(s, status_label(s)) for s in statuses])
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


def list_statement(company_id: int, doc_type: str, filters: Filters):
    """The documents of one type matching ``filters`` (ordered as :func:`list_order` says)."""
    stmt = select(Document).where(Document.company_id == company_id,
                                  Document.doc_type == doc_type)
    if filters.date_from:
        stmt = stmt.where(Document.issued_on >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(Document.issued_on <= filters.date_to)
    if filters.status:
        stmt = stmt.where(Document.status == filters.status)
    if filters.number:
        pattern = f"%{escape_like(filters.number.upper())}%"
        stmt = stmt.where(func.upper(Document.number).like(pattern, escape="\\"))
    return stmt.order_by(*[key.clause for key in list_order(filters)])


def list_order(filters: Filters) -> list[Key]:
    """The chosen sort column, ties broken by id in the same direction."""
    desc = filters.direction != "asc"
    return [Key(SORTS[filters.sort], desc=desc), Key(Document.id, desc=desc)]


def list_page(session, company_id: int, doc_type: str, filters: Filters,
              per_page: int = PER_PAGE) -> Page:
    """One page of the list (:func:`portal.core.paging.paginate`): keyset next/previous links,
    ``?page=N`` still accepted; flat at deep pages on ``(company_id, doc_type, issued_on, id)``.
    Two queries."""
    return paginate(list_statement(company_id, doc_type, filters), order=list_order(filters),
                    per_page=per_page, session=session)
