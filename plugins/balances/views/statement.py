"""Account statement: opening balance, movements with the running balance, totals, closing
balance, per currency and period; paged by keyset; PDF, CSV and XLSX."""

from __future__ import annotations

import datetime as dt

from flask import Response, request, stream_with_context, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from portal.core.access import current_company_id, require_permission
from portal.core.db import get_session
from portal.core.forms import choices
from portal.core.models import CustomerCompany
from portal.core.rendering import render_page

from ..services import exports
from ..services.account import ledger
from ..services.periods import PRESETS, preset_range
from . import amount, bp
from .common import doc_label, session, signs, today
from .forms import PRESET_LABELS, StatementForm

PER_PAGE = 100
TARGET = "statement"


def read_period(company_id: int):
    """The form, currency and period asked for (a bad custom date falls back to the preset)."""
    form = StatementForm(request.args)
    currencies = ledger().currencies(session(), company_id, signs=signs())
    form.currency.choices = choices((c, c) for c in currencies or ["TRY"])
    form.validate()
    preset = form.period.data if form.period.data in PRESETS else "this_month"
    form.period.data = preset
    date_from, date_to = preset_range(preset, today())
    if preset == "custom":
        if form.date_from.data and not form.date_from.errors:
            date_from = form.date_from.data
        if form.date_to.data and not form.date_to.errors:
            date_to = form.date_to.data
        if date_to < date_from:
            form.date_to.errors = [*form.date_to.errors,
                                   _("The end must not be before the start.")]
            date_to = date_from
    if preset == "custom":
        form.date_from.data, form.date_to.data = date_from, date_to
    else:  # the preset decides; the date fields stay for choosing a custom period
        form.date_from.data = form.date_to.data = None
    currency = form.currency.data if form.currency.data in currencies else (
        currencies[0] if currencies else "TRY")
    form.currency.data = currency
    return form, currency, date_from, date_to


def _cursor() -> tuple[dt.date, int] | None:
    raw = request.args.get("after", "")
    try:
        day, ident = raw.split("_", 1)
        return dt.date.fromisoformat(day), min(int(ident), 2**62)
    except ValueError:
        return None


def _args(form, currency) -> dict:
    values = {"period": form.period.data, "currency": currency}
    if form.period.data == "custom":
        values.update(date_from=form.date_from.data.isoformat(),
                      date_to=form.date_to.data.isoformat())
    return values


@bp.route("/statement")
@require_permission("balances.view")
def statement():
    company_id = current_company_id()
    form, currency, date_from, date_to = read_period(company_id)
    after = _cursor()
    page = ledger().statement(session(), company_id, currency, date_from, date_to,
                              after=after, limit=PER_PAGE, signs=signs())
    args = _args(form, currency)
    next_url = (url_for("balances.statement", after=f"{page.next_cursor[0].isoformat()}_"
                        f"{page.next_cursor[1]}", **args) if page.next_cursor else None)
    return render_page("balances/statement.html", {TARGET: "balances/_statement.html"},
                       form=form, page=page, currency=currency, first_page=after is None,
                       next_url=next_url, first_url=url_for("balances.statement", **args),
                       export_args=args, doc_label=doc_label,
                       presets=PRESET_LABELS, target=TARGET)


def _export_data(company_id: int):
    form, currency, date_from, date_to = read_period(company_id)
    book = ledger()
    head = book.statement(session(), company_id, currency, date_from, date_to, limit=0,
                          signs=signs())
    rows = book.iter_movements(session(), company_id, currency, date_from, date_to,
                               signs=signs())
    return head, rows


def _labels() -> exports.Labels:
    return exports.Labels(
        date=_("Date"), document=_("Document"), number=_("Number"), due=_("Due date"),
        order=_("Order"), debit=_("Debit"), credit=_("Credit"), balance=_("Balance"),
        opening=_("Opening balance"), totals=_("Totals"), closing=_("Closing balance"),
        title=_("Account statement"), currency=_("Currency"), period=_("Period"))


def _filename(head, ext: str) -> str:
    return (f"statement-{head.currency}-{head.date_from.isoformat()}-"
            f"{head.date_to.isoformat()}.{ext}")


@bp.route("/statement.csv")
@require_permission("balances.view")
def statement_csv():
    head, rows = _export_data(current_company_id())
    from portal.core.exports import csv_delimiter, decimal_mark

    body = exports.statement_csv(head, rows, _labels(), doc_label, delimiter=csv_delimiter(),
                                 mark=decimal_mark())
    response = Response(stream_with_context(body), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(head, "csv")}"'
    return response


@bp.route("/statement.xlsx")
@require_permission("balances.view")
def statement_xlsx():
    head, rows = _export_data(current_company_id())
    data = exports.statement_xlsx(head, rows, _labels(), doc_label)
    response = Response(data, mimetype="application/vnd.openxmlformats-officedocument."
                                         "spreadsheetml.sheet")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{_filename(head, "xlsx")}"')
    return response


@bp.route("/statement.pdf")
@require_permission("balances.view")
def statement_pdf():
    from .statement_pdf import render_statement_pdf

    company_id = current_company_id()
    head, rows = _export_data(company_id)
    company = get_session().get(CustomerCompany, company_id)
    data = render_statement_pdf(head, rows, company, _labels(), doc_label, amount, format_date)
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(head, "pdf")}"'
    return response
