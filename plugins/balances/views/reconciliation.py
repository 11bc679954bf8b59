"""Answering a reconciliation statement: confirm it, or dispute it saying which lines differ.

The form sits on the statement's document page (a ``portal_document_sections`` block); it
posts here. A confirmation is final; a second submit of the same answer is harmless.
"""

from __future__ import annotations

import logging

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.core import audit
from portal.core.access import current_company_id, require_permission
from portal.core.events import record_event
from portal.core.forms import choices
from portal.core.plugins import get_registry
from portal.core.rendering import render_page

from ..services.account import ledger, services
from . import bp
from .common import session
from .forms import AnswerForm

log = logging.getLogger(__name__)


def answer_form(statement, data=None) -> AnswerForm:
    form = AnswerForm(formdata=data, prefix="rs")
    form.lines.choices = choices((line.line_no, f"{line.line_no}. {line.product_code} "
                                                f"{line.product_name}")
                                 for line in statement.lines)
    return form


def _statement(document_id: int):
    doc = services().get_document(session(), current_company_id(), document_id,
                                  "reconciliation")
    if doc is None:
        abort(404)
    return doc


@bp.route("/reconciliations/<int:document_id>/answer", methods=["GET", "POST"])
@require_permission("balances.reconcile")
def answer(document_id: int):
    from flask import request

    statement = _statement(document_id)
    book = ledger()
    existing = book.reconciliation_answer(session(), statement.id)
    back = url_for("documents.show", document_id=statement.id)
    if request.method == "GET":
        return redirect(back + "#reconciliation-answer")
    if existing is not None and existing.answer == book.CONFIRMED:
        flash(_("This statement was confirmed already; it cannot be answered again."),
              "warning")
        return redirect(back, code=303)
    form = answer_form(statement, request.form)
    if not form.validate():
        return render_page("balances/answer.html", statement=statement, form=form,
                           answer=existing), 422
    try:
        saved = book.answer_reconciliation(
            session(), statement, answer=form.answer.data, reason=form.reason.data or "",
            disputed_lines=form.lines.data or () if form.answer.data == book.DISPUTED else (),
            user=current_user)
    except book.AlreadyConfirmed:
        session().rollback()
        flash(_("This statement was confirmed already; it cannot be answered again."),
              "warning")
        return redirect(back, code=303)
    record_event("balances.reconciliation_answered", subject=("reconciliation", statement.id),
                 company_id=statement.company_id,
                 payload={"number": statement.number, "answer": saved.answer,
                          "reason": saved.reason})
    audit.record(f"balances.reconciliation_{saved.answer}", "document", statement.id,
                 number=statement.number, lines=saved.disputed_lines)
    if saved.answer == book.DISPUTED:
        _open_support_request(statement, saved)
    session().commit()
    flash(_("Thank you: your answer was sent to the supplier.") if saved.answer == book.CONFIRMED
          else _("Your dispute was sent to the supplier."), "success")
    return redirect(back, code=303)


def _open_support_request(statement, saved) -> None:
    """With the support plugin on, a dispute also opens a support request on the statement."""
    if not get_registry().is_enabled("support"):
        return
    try:
        from plugins.support.services import open_request
    except ImportError:
        return
    lines = saved.disputed_lines or "—"
    body = _("Lines that differ: %(lines)s\n\n%(reason)s", lines=lines, reason=saved.reason)
    open_request(session(), company_id=statement.company_id,
                 author=current_user._get_current_object(),
                 topic="invoice",
                 subject=_("Dispute of reconciliation statement %(number)s",
                           number=statement.number),
                 body=body, link=("document", statement.id))
