"""Customer pages: the request list (filters, paging, CSV), choosing an invoice, the request
form (draft, edit, send), the request page, withdrawing, the dashboard panel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import (
    abort,
    flash,
    redirect,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from plugins.documents import services as documents
from portal.core.access import current_company_id, require_permission
from portal.core.db import get_session
from portal.core.models import CustomerCompany
from portal.core.rendering import render_page
from portal.core.storage import UploadRefused, get_storage, human_size, save_upload

from ..models import RmaAttachment
from ..services import queries
from ..services import requests as rma
from ..services import statuses as st
from ..services.quantities import QuantityError, parse_quantity
from ..services.status import ReturnError
from .blueprints import (
    FILE_EXTENSIONS,
    allowed_codes,
    bp,
    locale,
    max_file_bytes,
    max_files,
    page_number,
    per_page,
    window_days,
)
from .forms import FilterForm, RequestForm, WithdrawForm

RESULTS_ID = "rma-results"
LINES_ID = "rma-lines"


def _filters() -> tuple[FilterForm, queries.Filters]:
    form = FilterForm(request.args)
    form.validate()
    filters = queries.Filters(page=page_number())
    if not form.status.errors and form.status.data:
        filters.status = form.status.data
    if not form.date_from.errors:
        filters.date_from = form.date_from.data
    if not form.date_to.errors:
        filters.date_to = form.date_to.data
    if not form.number.errors and form.number.data:
        filters.number = form.number.data.strip()
    return form, filters


@bp.route("/")
@require_permission("returns.view")
def index():
    form, filters = _filters()
    session = get_session()
    page = queries.company_page(session, current_company_id(), filters, per_page())
    return render_page("returns/index.html", {RESULTS_ID: "returns/_results.html"},
                       form=form, filters=filters, items=page.items, total=page.total,
                       page=page, export_url=url_for("returns.export",
                                                       **filters.args(page=None)),
                       xlsx_url=url_for("returns.export", fmt="xlsx",
                                        **filters.args(page=None)))


@bp.route("/export.csv", defaults={"fmt": "csv"})
@bp.route("/export.<any(xlsx):fmt>")
@require_permission("returns.view")
def export(fmt: str):
    """The filtered requests as CSV or XLSX (the core's one convention for exports)."""
    from portal.core.exports import export_response

    _form, filters = _filters()
    company_id = current_company_id()
    header = [_("RMA number"), _("Date"), _("Invoice"), _("Status"), _("Resolution asked"),
              _("Expected completion"), _("Requested by")]

    def rows(session):
        for number, created, invoice, status, resolution, expected, by in queries.csv_rows(
                session, company_id, filters):
            yield (number, created.date(), invoice, str(st.label(status)),
                   str(st.RESOLUTIONS.get(resolution, resolution)), expected, by or "")

    return export_response(fmt, "rma-requests", header, rows, title=_("RMA requests"))


# -- choosing the invoice ---------------------------------------------------------------------


@bp.route("/new")
@require_permission("returns.create")
def choose_invoice():
    """"Create" starts here: the invoices to request a return against (newest first)."""
    invoice_id = request.args.get("invoice", type=int)
    if invoice_id is not None:
        return redirect(url_for("returns.new", invoice_id=invoice_id))
    session = get_session()
    page = documents.page_documents(session, current_company_id(), "invoice",
                                    exclude_statuses=("cancelled",), per_page=per_page())
    today = dt.date.today()
    days = window_days()
    rows = [(doc, rma.refusal(doc, today, days)) for doc in page.items]
    return render_page("returns/choose_invoice.html", rows=rows, page=page)


# -- the request form -------------------------------------------------------------------------


class LineState:
    """What the form shows for one invoice line: the figures and what the user typed."""

    def __init__(self, row: rma.Returnable):
        self.row = row
        self.text = ""
        self.reason = "defective"
        self.condition = "unopened"
        self.error = ""
        self.left: Decimal | None = None  # what another request left (after a refused send)
        self.value: Decimal | None = None

    @property
    def line(self):
        return self.row.line

    @property
    def amount(self) -> Decimal | None:
        if not self.value:
            return None
        line = self.line
        net = self.value * line.unit_price * (Decimal(100) - line.discount_rate) / Decimal(100)
        return (net * (Decimal(100) + line.tax_rate) / Decimal(100)).quantize(Decimal("0.01"))


def _load_invoice(invoice_id: int, exclude_request_id: int | None = None):
    found = rma.returnable_lines(get_session(), current_company_id(), invoice_id,
                                 allowed_codes=allowed_codes(),
                                 exclude_request_id=exclude_request_id)
    if found is None:
        abort(404)
    return found


def _read_lines(states: list[LineState]) -> tuple[dict, bool]:
    """Parse the per-line inputs; returns ``({invoice line id: LineInput}, ok)``."""
    ok = True
    chosen = {}
    for state in states:
        line_id = state.line.id
        state.text = request.form.get(f"qty-{line_id}", "").strip()
        state.reason = request.form.get(f"reason-{line_id}", "defective")
        state.condition = request.form.get(f"condition-{line_id}", "unopened")
        if not state.text:
            continue
        try:
            state.value = parse_quantity(state.text, whole=state.row.whole, locale=locale())
        except QuantityError as exc:
            state.error = str(exc)
            ok = False
            continue
        if state.value and state.value > state.row.remaining:
            state.error = _("At most %(left)s can be returned.",
                            left=_qty(state.row.remaining))
            ok = False
            continue
        if state.value:
            chosen[line_id] = rma.LineInput(state.value, state.reason, state.condition)
    return chosen, ok


def _qty(value) -> str:
    from .blueprints import qty

    return qty(value)


def _input(form: RequestForm, chosen: dict) -> rma.RequestInput:
    return rma.RequestInput(description=form.description.data or "",
                            resolution=form.resolution.data or "credit",
                            contact_name=form.contact_name.data or "",
                            contact_phone=form.contact_phone.data or "", lines=chosen)


def _uploads(form: RequestForm) -> list:
    return [f for f in (form.attachments.data or []) if getattr(f, "filename", "")]


def _store_files(form: RequestForm, request_row, existing: int) -> list[str] | None:
    """Store the uploaded files; on a refusal the field gets the message and nothing is kept."""
    uploads = _uploads(form)
    if existing + len(uploads) > max_files():
        form.attachments.errors = [_("Attach at most %(num)d files.", num=max_files())]
        return None
    keys = []
    for upload in uploads:
        try:
            stored = save_upload(upload, area="returns", extensions=FILE_EXTENSIONS,
                                 max_bytes=max_file_bytes())
        except UploadRefused as exc:
            _delete(keys)
            form.attachments.errors = [f"{upload.filename}: {exc}"]
            return None
        keys.append(stored.key)
        request_row.attachments.append(RmaAttachment(
            stored_key=stored.key, original_name=stored.original_name,
            content_type=stored.content_type, size=stored.size,
            uploaded_by_id=current_user.id))
    return keys


def _remove_files(row) -> list[str]:
    """Drop the attachments the user ticked for removal; their keys are deleted after commit."""
    ids = {int(x) for x in request.form.getlist("remove_file") if x.isdigit()}
    removed = []
    for attachment in list(row.attachments):
        if attachment.id in ids:
            row.attachments.remove(attachment)
            removed.append(attachment.stored_key)
    return removed


def _delete(keys) -> None:
    storage = get_storage()
    for key in keys:
        storage.delete(key)


def _form_page(invoice, states, form, existing=None, status: int = 200):
    company = get_session().get(CustomerCompany, current_company_id())
    if request.method == "GET" and existing is None and not form.contact_name.data:
        form.contact_name.data = current_user.display_name
    total = sum((s.amount or Decimal("0") for s in states), Decimal("0"))
    response = render_page(
        "returns/form.html", {LINES_ID: "returns/_form_lines.html"}, form=form,
        invoice=invoice, states=states, rma=existing, company=company, total=total,
        refusal=rma.refusal(invoice, dt.date.today(), window_days()),
        limits={"count": max_files(), "size": human_size(max_file_bytes()),
                "types": ", ".join(FILE_EXTENSIONS)})
    return response, status


def _handle_form(invoice, rows, existing=None):
    form = RequestForm()
    states = [LineState(row) for row in rows]
    if existing is not None and request.method == "GET":
        by_line = {line.invoice_line_id: line for line in existing.lines}
        for state in states:
            line = by_line.get(state.line.id)
            if line is not None:
                state.text = _input_qty(line.quantity)
                state.value = line.quantity
                state.reason, state.condition = line.reason, line.condition
        form.description.data = existing.description
        form.resolution.data = existing.resolution
        form.contact_name.data = existing.contact_name
        form.contact_phone.data = existing.contact_phone
    if request.method != "POST":
        return _form_page(invoice, states, form, existing)
    chosen, lines_ok = _read_lines(states)
    if request.form.get("preview"):  # htmx: live totals and hints, nothing saved
        return _form_page(invoice, states, form, existing)
    form_ok = form.validate()
    if not (form_ok and lines_ok):
        return _form_page(invoice, states, form, existing, 422)
    session = get_session()
    send = request.form.get("action") == "send"
    keys: list[str] = []
    try:
        row = rma.save_draft(session, company_id=current_company_id(), user=current_user,
                             invoice_id=invoice.id, data=_input(form, chosen),
                             allowed_codes=allowed_codes(), request=existing,
                             window_days=window_days())
        removed = _remove_files(row) if existing is not None else []
        keys = _store_files(form, row, len(row.attachments))
        if keys is None:
            session.rollback()
            return _form_page(invoice, states, form, existing, 422)
        if send:
            rma.submit(session, row, current_user, allowed_codes=allowed_codes(),
                       window_days=window_days())
        session.commit()
        _delete(removed)
    except ReturnError as exc:
        session.rollback()
        _delete(keys)
        if existing is not None:  # the rollback expired it: read it again
            existing = _own(existing.id)
        for state in states:
            if state.line.id in exc.line_errors:
                state.error = exc.line_errors[state.line.id]
            left = getattr(exc, "left", {})
            if state.line.id in left:
                state.left = left[state.line.id]
                state.error = _("Only %(left)s is left to return.", left=_qty(left[state.line.id]))
        form.form_errors.append(str(exc))
        return _form_page(invoice, states, form, existing, 422)
    except Exception:
        session.rollback()
        _delete(keys)
        raise
    if send:
        flash(_("Return request %(number)s was sent. We will answer it soon.",
                number=row.number), "success")
    else:
        flash(_("Return request %(number)s was saved as a draft. Send it when it is complete.",
                number=row.number), "success")
    return redirect(url_for("returns.show", rma_id=row.id), code=303)


def _input_qty(value) -> str:
    from .blueprints import qty_input

    return qty_input(value)


@bp.route("/new/<int:invoice_id>", methods=["GET", "POST"])
@require_permission("returns.create")
def new(invoice_id: int):
    invoice, rows = _load_invoice(invoice_id)
    return _handle_form(invoice, rows)


def _own(rma_id: int):
    found = rma.get_request(get_session(), rma_id, current_company_id())
    if found is None:
        abort(404)
    return found


@bp.route("/<int:rma_id>/edit", methods=["GET", "POST"])
@require_permission("returns.create")
def edit(rma_id: int):
    existing = _own(rma_id)
    if existing.status != st.DRAFT:
        flash(_("Only a draft can be edited."), "warning")
        return redirect(url_for("returns.show", rma_id=existing.id), code=303)
    invoice, rows = _load_invoice(existing.invoice_id, exclude_request_id=existing.id)
    return _handle_form(invoice, rows, existing)


@bp.route("/<int:rma_id>/send", methods=["POST"])
@require_permission("returns.create")
def send(rma_id: int):
    row = _own(rma_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_session()
    try:
        rma.submit(session, row, current_user, allowed_codes=allowed_codes(),
                   window_days=window_days())
        session.commit()
    except ReturnError as exc:
        session.rollback()
        flash(str(exc), "error")
        target = "returns.edit" if row.status == st.DRAFT else "returns.show"
        return redirect(url_for(target, rma_id=row.id), code=303)
    flash(_("Return request %(number)s was sent. We will answer it soon.", number=row.number),
          "success")
    return redirect(url_for("returns.show", rma_id=row.id), code=303)


@bp.route("/<int:rma_id>/withdraw", methods=["POST"])
@require_permission("returns.create")
def withdraw(rma_id: int):
    row = _own(rma_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _show(row, withdraw_form=form, status=422)
    session = get_session()
    try:
        rma.withdraw(session, row, current_user, form.message.data or "")
        session.commit()
    except ReturnError as exc:
        session.rollback()
        flash(str(exc), "error")
    else:
        flash(_("Return request %(number)s was withdrawn.", number=row.number), "success")
    return redirect(url_for("returns.show", rma_id=row.id), code=303)


# -- the request page -------------------------------------------------------------------------


def _show(row, withdraw_form=None, status: int = 200):
    return render_page("returns/show.html", rma=row,
                       withdraw_form=withdraw_form or WithdrawForm(),
                       pdf_ready=row.status not in (st.DRAFT, st.SUBMITTED, st.REJECTED,
                                                    st.WITHDRAWN)), status


@bp.route("/<int:rma_id>")
@require_permission("returns.view")
def show(rma_id: int):
    return _show(_own(rma_id))


@bp.route("/panel")
@require_permission("returns.view")
def panel():
    count, rows = queries.open_requests(get_session(), current_company_id())
    return render_page("returns/panel.html", {"panel-open-returns": "returns/_panel.html"},
                       open_count=count, open_requests=rows)
