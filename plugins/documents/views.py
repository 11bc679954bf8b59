"""Customer pages: one list per document type, document pages, print view, PDF and CSV."""

from __future__ import annotations

import csv
import io
from functools import partial

from flask import Blueprint, Response, request, stream_with_context, url_for
from flask_babel import gettext as _

from portal.core.access import current_company_id, require_permission
from portal.core.db import get_session
from portal.core.models import CustomerCompany
from portal.core.plugins import get_registry
from portal.core.rendering import render_page

from .formatting import template_helpers
from .models import Document
from .query import list_statement, paginate, read_filters
from .registry import status_label, type_or_404
from .services import get_document, linked_documents

bp = Blueprint("documents", __name__, template_folder="templates", url_prefix="/documents")
bp.context_processor(template_helpers)

TABLE_ID = "document-table"


def list_context(doc_type_key: str, owner_id: int, list_endpoint: str, show_endpoint: str,
                 **url_values) -> dict:
    """What a list page needs, for customers and for staff alike."""
    doc_type = type_or_404(doc_type_key)
    form, filters = read_filters(request.args, doc_type.statuses, status_label)
    session = get_session()
    page = paginate(session, list_statement(owner_id, doc_type.key, filters), filters.page,
                    per_page=_per_page())
    filters.page = page.page
    list_url = partial(url_for, list_endpoint, doc_type=doc_type.key, **url_values)
    return {"doc_type": doc_type, "form": form, "filters": filters, "page": page,
            "list_url": list_url, "table_id": TABLE_ID,
            "doc_url": lambda doc: url_for(show_endpoint, document_id=doc.id)}


def _per_page() -> int:
    from flask import current_app

    return int(current_app.config.get("DOCUMENTS_PER_PAGE", 50))


@bp.route("/<doc_type>/")
@require_permission("documents.view")
def index(doc_type: str):
    context = list_context(doc_type, current_company_id(), "documents.index", "documents.show")
    context["export_url"] = url_for("documents.export", doc_type=doc_type,
                                    **context["filters"].args(page=None))
    return render_page("documents/index.html", partials={TABLE_ID: "documents/_table.html"},
                       **context)


@bp.route("/<doc_type>/export.csv")
@require_permission("documents.view")
def export(doc_type: str):
    doc_type_def = type_or_404(doc_type)
    _form, filters = read_filters(request.args, doc_type_def.statuses, status_label)
    stmt = list_statement(current_company_id(), doc_type_def.key, filters)
    filename = f"{doc_type_def.resource}.csv"
    return csv_response(stmt, doc_type_def, filename)


def csv_response(stmt, doc_type, filename: str) -> Response:
    """Stream the documents of ``stmt`` as CSV (UTF-8 with BOM, so Excel reads Turkish)."""
    session = get_session()
    header = [_("Number"), _("Date"), _("Status"), _("Due date"), _("Valid until"),
              _("Period start"), _("Period end"), _("Currency"), _("Net"), _("Tax"), _("Total"),
              _("Closing balance")]

    def iso(value):
        return value.isoformat() if value else ""

    def rows():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow(header)
        for doc in session.scalars(stmt.execution_options(yield_per=500)):
            writer.writerow([doc.number, iso(doc.issued_on), str(status_label(doc.status)),
                             iso(doc.due_on), iso(doc.valid_until), iso(doc.period_start),
                             iso(doc.period_end), doc.currency, doc.net_total, doc.tax_total,
                             doc.gross_total, "" if doc.closing_balance is None
                             else doc.closing_balance])
            if buffer.tell() > 8192:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = Response(stream_with_context(rows()), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def document_context(doc: Document, show_endpoint: str, **url_values) -> dict:
    session = get_session()
    based_on, based_on_by = linked_documents(session, doc.id)
    company = session.get(CustomerCompany, doc.company_id)
    return {"doc": doc, "doc_type": type_or_404(doc.doc_type), "company": company,
            "based_on": based_on, "based_on_by": based_on_by,
            "doc_url": lambda d: url_for(show_endpoint, document_id=d.id, **url_values)}


def _own_document(document_id: int) -> Document:
    from flask import abort

    doc = get_document(get_session(), current_company_id(), document_id)
    if doc is None:
        abort(404)
    return doc


@bp.route("/<int:document_id>")
@require_permission("documents.view")
def show(document_id: int):
    doc = _own_document(document_id)
    context = document_context(doc, "documents.show")
    context["print_url"] = url_for("documents.print_view", document_id=doc.id)
    context["pdf_url"] = url_for("documents.pdf", document_id=doc.id)
    context["list_url"] = url_for("documents.index", doc_type=doc.doc_type)
    context["actions"] = document_actions(doc)
    return render_page("documents/show.html", **context)


def document_actions(doc: Document) -> list[tuple[object, str]]:
    """``(label, url)`` of the actions other plugins offer on this document."""
    from flask_login import current_user

    from portal.core.access import has_permission

    actions = get_registry().call_flat("portal_document_actions", document=doc,
                                       user=current_user)
    return [(action.label, url_for(action.endpoint, **dict(action.url_values)))
            for action in sorted(actions, key=lambda a: (a.order, str(a.label)))
            if has_permission(action.permission)]


@bp.route("/<int:document_id>/print")
@require_permission("documents.view")
def print_view(document_id: int):
    doc = _own_document(document_id)
    context = document_context(doc, "documents.show")
    context["back_url"] = url_for("documents.show", document_id=doc.id)
    return render_page("documents/print.html", **context)


@bp.route("/<int:document_id>/pdf")
@require_permission("documents.view")
def pdf(document_id: int):
    doc = _own_document(document_id)
    return pdf_response(doc)


def pdf_response(doc: Document) -> Response:
    from .pdf import render_pdf

    session = get_session()
    based_on, _by = linked_documents(session, doc.id)
    company = session.get(CustomerCompany, doc.company_id)
    data = render_pdf(doc, type_or_404(doc.doc_type), company, based_on)
    response = Response(data, mimetype="application/pdf")
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in doc.number)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}.pdf"'
    return response

