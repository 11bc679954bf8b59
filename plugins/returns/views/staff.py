"""Staff pages: the inbox of requests by status (new first), one request with the step that is
due (approve or reject, register the goods received, credit or replace / repair, close)."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.core.db import get_session
from portal.core.models import CustomerCompany
from portal.core.rendering import render_page

from ..services import processing, queries
from ..services import requests as rma
from ..services import statuses as st
from ..services.quantities import QuantityError, parse_quantity, whole_units
from ..services.status import ReturnError
from .blueprints import locale, page_number, per_page, staff_bp
from .forms import ApproveForm, FilterForm, MessageForm, RejectForm, ResolveForm

INBOX_ID = "rma-inbox"


@staff_bp.route("/")
def inbox():
    form = FilterForm(request.args)
    form.validate()
    filters = queries.Filters(page=page_number())
    if not form.status.errors and form.status.data:
        filters.status = form.status.data
    if not form.number.errors and form.number.data:
        filters.number = form.number.data.strip()
    if not form.date_from.errors:
        filters.date_from = form.date_from.data
    if not form.date_to.errors:
        filters.date_to = form.date_to.data
    session = get_session()
    page = queries.inbox_page(session, filters, per_page())
    now = dt.datetime.now(dt.UTC)
    return render_page("returns/staff/inbox.html", {INBOX_ID: "returns/staff/_inbox.html"},
                       form=form, filters=filters, rows=page.items, total=page.total,
                       page=page, counts=queries.status_counts(session), now=now,
                       age=lambda row: _age(row, now))


def _age(row, now) -> int:
    started = row.submitted_at or row.created_at
    if started.tzinfo is None:
        started = started.replace(tzinfo=dt.UTC)
    return max((now - started).days, 0)


def _load(rma_id: int):
    row = rma.get_request(get_session(), rma_id, None)
    if row is None or row.status == st.DRAFT:
        abort(404)
    return row


def _page(row, status: int = 200, **forms):
    company = get_session().get(CustomerCompany, row.company_id)
    context = {"approve_form": ApproveForm(prefix="approve"),
               "reject_form": RejectForm(prefix="reject"),
               "message_form": MessageForm(prefix="msg"),
               "resolve_form": ResolveForm(prefix="resolve"),
               "line_values": {}, "line_errors": {}}
    context.update(forms)
    return render_page("returns/staff/show.html", rma=row, company=company, staff=True,
                       **context), status


@staff_bp.route("/<int:rma_id>")
def show(rma_id: int):
    return _page(_load(rma_id))


def _line_quantities(row, prefix: str):
    """Per-line quantities typed on a staff form: ``(values, texts, errors)``."""
    values, texts, errors = {}, {}, {}
    for line in row.lines:
        text = request.form.get(f"{prefix}-{line.id}", "").strip()
        texts[line.id] = text
        try:
            value = parse_quantity(text, whole=whole_units(line.unit, line.invoiced_quantity),
                                   locale=locale())
        except QuantityError as exc:
            errors[line.id] = str(exc)
            continue
        values[line.id] = value
    return values, texts, errors


def _done(row, message: str):
    flash(message, "success")
    return redirect(url_for("returns_staff.show", rma_id=row.id), code=303)


def _refused(row, exc: ReturnError, **forms):
    get_session().rollback()
    forms.setdefault("line_errors", {}).update(exc.line_errors)
    form = next((f for f in forms.values() if hasattr(f, "form_errors")), None)
    if form is not None:
        form.form_errors.append(str(exc))
    else:
        flash(str(exc), "error")
    return _page(_load(row.id), 422, **forms)


@staff_bp.route("/<int:rma_id>/approve", methods=["POST"])
def approve(rma_id: int):
    row = _load(rma_id)
    form = ApproveForm(prefix="approve")
    values, texts, errors = _line_quantities(row, "approve")
    if not form.validate_on_submit() or errors:
        return _page(row, 422, approve_form=form, line_values=texts, line_errors=errors)
    try:
        processing.approve(get_session(), row, current_user, approved=values,
                           expected_on=form.expected_on.data,
                           instructions=form.instructions.data or "")
        get_session().commit()
    except ReturnError as exc:
        return _refused(row, exc, approve_form=form, line_values=texts)
    return _done(row, _("Request %(number)s approved.", number=row.number))


@staff_bp.route("/<int:rma_id>/reject", methods=["POST"])
def reject(rma_id: int):
    row = _load(rma_id)
    form = RejectForm(prefix="reject")
    if not form.validate_on_submit():
        return _page(row, 422, reject_form=form)
    try:
        processing.reject(get_session(), row, current_user, form.reason.data)
        get_session().commit()
    except ReturnError as exc:
        return _refused(row, exc, reject_form=form)
    return _done(row, _("Request %(number)s rejected.", number=row.number))


@staff_bp.route("/<int:rma_id>/receive", methods=["POST"])
def receive(rma_id: int):
    row = _load(rma_id)
    form = MessageForm(prefix="msg")
    values, texts, errors = _line_quantities(row, "receive")
    conditions = {line.id: request.form.get(f"received-condition-{line.id}", "")
                  for line in row.lines}
    conditions = {k: (v if v in st.CONDITIONS else "") for k, v in conditions.items()}
    if not form.validate_on_submit() or errors:
        return _page(row, 422, message_form=form, line_values=texts, line_errors=errors)
    try:
        goods_return = processing.receive(get_session(), row, current_user, received=values,
                                          conditions=conditions,
                                          message=form.message.data or "")
        get_session().commit()
    except ReturnError as exc:
        return _refused(row, exc, message_form=form, line_values=texts)
    return _done(row, _("Goods received; goods return %(number)s created.",
                        number=goods_return.number))


@staff_bp.route("/<int:rma_id>/credit", methods=["POST"])
def credit(rma_id: int):
    row = _load(rma_id)
    form = MessageForm(prefix="msg")
    if not form.validate_on_submit():
        return _page(row, 422, message_form=form)
    try:
        note = processing.credit(get_session(), row, current_user,
                                 message=form.message.data or "")
        get_session().commit()
    except ReturnError as exc:
        return _refused(row, exc, message_form=form)
    return _done(row, _("Credit note %(number)s issued.", number=note.number))


@staff_bp.route("/<int:rma_id>/resolve", methods=["POST"])
def resolve(rma_id: int):
    row = _load(rma_id)
    form = ResolveForm(prefix="resolve")
    if not form.validate_on_submit():
        return _page(row, 422, resolve_form=form)
    try:
        processing.resolve(get_session(), row, current_user, form.outcome.data,
                           form.message.data or "")
        get_session().commit()
    except ReturnError as exc:
        return _refused(row, exc, resolve_form=form)
    return _done(row, _("Request %(number)s marked %(status)s.", number=row.number,
                        status=st.label(row.status).lower()))


@staff_bp.route("/<int:rma_id>/close", methods=["POST"])
def close(rma_id: int):
    row = _load(rma_id)
    form = MessageForm(prefix="close")
    if not form.validate_on_submit():
        abort(400)
    try:
        processing.close(get_session(), row, current_user, form.message.data or "")
        get_session().commit()
    except ReturnError as exc:
        get_session().rollback()
        flash(str(exc), "error")
        return redirect(url_for("returns_staff.show", rma_id=row.id), code=303)
    return _done(row, _("Request %(number)s closed.", number=row.number))
