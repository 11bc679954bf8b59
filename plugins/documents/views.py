"""Customer pages: one list per document type, document pages, print view, PDF and CSV."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, Response, request, url_for
from flask_babel import gettext as _

from portal.core.access import current_company_id, require_permission
from portal.core.db import get_session
from portal.core.exports import export_response
from portal.core.models import CustomerCompany
from portal.core.plugins import get_registry
from portal.core.rendering import render_page

from .formatting import template_helpers
from .models import Document
from .query import list_page, list_statement, read_filters
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
    page = list_page(session, owner_id, doc_type.key, filters, per_page=_per_page())
    filters.page = page.page
    list_url = partial(url_for, list_endpoint, doc_type=doc_type.key, **url_values)
    return {"doc_type": doc_type, "form": form, "filters": filters, "page": page,
            "list_url": list_url, "table_id": TABLE_ID,
            "doc_url": lambda doc: url_for(show_endpoint, document_id=doc.id)}


def _per_page() -> int:
    from flask import current_app

    return current_app.config["DOCUMENTS_PER_PAGE"]


@bp.route("/<doc_type>/")
@require_permission("documents.view")
def index(doc_type: str):
    context = list_context(doc_type, current_company_id(), "documents.index", "documents.show")
    args = context["filters"].args(page=None)
    context["export_url"] = url_for("documents.export", doc_type=doc_type, **args)
    context["xlsx_url"] = url_for("documents.export", doc_type=doc_type, fmt="xlsx", **args)
    return render_page("documents/index.html", {TABLE_ID: "documents/_table.html"}, **context)


RECENT = 5


@bp.route("/recent")
@require_permission("documents.view")
def recent_panel():
    """The dashboard panel: the newest documents of every type (one query)."""
    from sqlalchemy import select

    from .registry import document_types

    types = document_types()
    rows = get_session().scalars(
        select(Document).where(Document.company_id == current_company_id(),
                               Document.doc_type.in_(sorted(types)))
        .order_by(Document.issued_on.desc(), Document.id.desc()).limit(RECENT)).all()
    return render_page("documents/recent_panel.html",
                       {"panel-recent-documents": "documents/_recent_panel.html"},
                       documents=rows, types=types)


@bp.route("/<doc_type>/export.csv", defaults={"fmt": "csv"})
@bp.route("/<doc_type>/export.<any(xlsx):fmt>")
@require_permission("documents.view")
def export(doc_type: str, fmt: str):
    doc_type_def = type_or_404(doc_type)
    _form, filters = read_filters(request.args, doc_type_def.statuses, status_label)
    stmt = list_statement(current_company_id(), doc_type_def.key, filters)
    return documents_export(fmt, stmt, doc_type_def, doc_type_def.resource)


EXPORT_COLUMNS = ("number", "issued_on", "status", "due_on", "valid_until", "period_start",
                  "period_end", "currency", "net_total", "tax_total", "gross_total",
                  "closing_balance")


def documents_export(fmt: str, stmt, doc_type, name: str) -> Response:
    """The documents of ``stmt`` as CSV (streamed) or XLSX, read as plain column tuples."""
    header = [_("Number"), _("Date"), _("Status"), _("Due date"), _("Valid until"),
              _("Period start"), _("Period end"), _("Currency"), _("Net"), _("Tax"), _("Total"),
              _("Closing balance")]
    labels = {status: str(status_label(status)) for status in doc_type.statuses}
    columns = [getattr(Document, name) for name in EXPORT_COLUMNS]
    plain = stmt.with_only_columns(*columns, maintain_column_froms=True)
    status_index = EXPORT_COLUMNS.index("status")

    def rows(session):
        for row in session.execute(plain.execution_options(yield_per=1000)):
            row = list(row)
            status = row[status_index]
            row[status_index] = labels.get(status) or str(status_label(status))
            yield row

    return export_response(fmt, name, header, rows, title=str(doc_type.plural))


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
    context["sections"] = document_sections(doc)
    return render_page("documents/show.html", **context)


def document_sections(doc: Document) -> list:
    """The :class:`~.types.DocumentSection` blocks other plugins add to the document's page."""
    from flask_login import current_user

    sections = get_registry().call_flat("portal_document_sections", document=doc,
                                        user=current_user)
    return sorted(sections, key=lambda s: (s.order, s.template))


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
    response.headers["Cache-Control"] = "private, no-store"
    return response

