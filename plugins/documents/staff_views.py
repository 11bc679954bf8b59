"""Staff pages under /admin/documents: customers' documents, supplier files, API tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, func, select

from portal.core import audit
from portal.core.access import require_admin, staff_only
from portal.core.db import get_session, utcnow
from portal.core.forms import choices
from portal.core.models import AccessGroup, CustomerCompany
from portal.core.paging import Key, paginate
from portal.core.rendering import render_page
from portal.core.text import search_key

from . import files as file_store
from .api import new_token
from .formatting import template_helpers
from .forms import ApiTokenForm, SupplierFileForm
from .models import ApiToken, Document, SupplierFile, SupplierFileGroup
from .query import list_statement, read_filters
from .registry import document_types, status_label, type_or_404
from .views import (
    TABLE_ID,
    document_context,
    document_sections,
    documents_export,
    list_context,
    pdf_response,
)

bp = Blueprint("documents_staff", __name__, template_folder="templates",
               url_prefix="/admin/documents")
bp.context_processor(template_helpers)


staff_only(bp)


# -- customers' documents ---------------------------------------------------------------------


@bp.route("/")
def index():
    session = get_session()
    q = (request.args.get("q") or "").strip()[:100]
    stmt = select(CustomerCompany)
    if q:
        stmt = stmt.where(CustomerCompany.search_key.contains(search_key(q), autoescape=True))
    page = paginate(stmt, order=[Key(CustomerCompany.name), Key(CustomerCompany.id)],
                    per_page=50, session=session)
    return render_page("documents/staff/index.html",
                       {"company-list": "documents/staff/_companies.html"},
                       page=page, q=q, types=document_types())


def _company(company_id: int) -> CustomerCompany:
    company = get_session().get(CustomerCompany, company_id)
    if company is None:
        abort(404)
    return company


@bp.route("/companies/<int:company_id>/<doc_type>/")
def company_documents(company_id: int, doc_type: str):
    company = _company(company_id)
    context = list_context(doc_type, company.id, "documents_staff.company_documents",
                           "documents_staff.show", company_id=company.id)
    args = context["filters"].args(page=None)
    context["export_url"] = url_for("documents_staff.export", company_id=company.id,
                                    doc_type=doc_type, **args)
    context["xlsx_url"] = url_for("documents_staff.export", company_id=company.id,
                                  doc_type=doc_type, fmt="xlsx", **args)
    return render_page("documents/index.html", {TABLE_ID: "documents/_table.html"},
                       company=company, staff=True, **context)


@bp.route("/companies/<int:company_id>/<doc_type>/export.csv", defaults={"fmt": "csv"})
@bp.route("/companies/<int:company_id>/<doc_type>/export.<any(xlsx):fmt>")
def export(company_id: int, doc_type: str, fmt: str):
    company = _company(company_id)
    doc_type_def = type_or_404(doc_type)
    _form, filters = read_filters(request.args, doc_type_def.statuses, status_label)
    stmt = list_statement(company.id, doc_type_def.key, filters)
    return documents_export(fmt, stmt, doc_type_def,
                            f"{company.external_id or company.id}-{doc_type_def.resource}")


def _document(document_id: int) -> Document:
    from sqlalchemy.orm import selectinload

    doc = get_session().scalar(select(Document).options(selectinload(Document.lines))
                               .where(Document.id == document_id))
    if doc is None:
        abort(404)
    return doc


@bp.route("/<int:document_id>")
def show(document_id: int):
    doc = _document(document_id)
    context = document_context(doc, "documents_staff.show")
    context["pdf_url"] = url_for("documents_staff.pdf", document_id=doc.id)
    context["list_url"] = url_for("documents_staff.company_documents",
                                  company_id=doc.company_id, doc_type=doc.doc_type)
    context["sections"] = document_sections(doc)
    return render_page("documents/show.html", staff=True, **context)


@bp.route("/<int:document_id>/pdf")
def pdf(document_id: int):
    return pdf_response(_document(document_id))


# -- supplier files ---------------------------------------------------------------------------


def _file_form(item: SupplierFile | None = None) -> SupplierFileForm:
    form = SupplierFileForm(obj=item)
    form.category.choices = choices(file_store.CATEGORIES.items())
    form.groups.choices = choices((g.id, g.name) for g in get_session().scalars(
        select(AccessGroup).order_by(AccessGroup.name)))
    if item is not None and request.method == "GET":
        form.groups.data = list(get_session().scalars(
            select(SupplierFileGroup.group_id).where(SupplierFileGroup.file_id == item.id)))
    return form


def _limits() -> dict:
    return {"max_size": file_store.human_size(file_store.max_bytes()),
            "extensions": ", ".join(file_store.allowed_extensions())}


@bp.route("/files/")
def files():
    session = get_session()
    items = session.scalars(select(SupplierFile).order_by(
        SupplierFile.withdrawn_at.is_not(None), SupplierFile.category, SupplierFile.title)).all()
    group_names = {}
    for file_id, name in session.execute(
            select(SupplierFileGroup.file_id, AccessGroup.name)
            .join(AccessGroup, AccessGroup.id == SupplierFileGroup.group_id)):
        group_names.setdefault(file_id, []).append(name)
    return render_page("documents/staff/files.html", items=items, group_names=group_names,
                       categories=file_store.CATEGORIES, human_size=file_store.human_size)


def _save_groups(session, item: SupplierFile, group_ids) -> None:
    session.execute(delete(SupplierFileGroup).where(SupplierFileGroup.file_id == item.id))
    for group_id in sorted(set(group_ids or ())):
        session.add(SupplierFileGroup(file_id=item.id, group_id=group_id))


@bp.route("/files/new", methods=["GET", "POST"])
def new_file():
    form = _file_form()
    status = 200
    if request.method == "POST":
        status = 422
        upload = form.file.data
        valid = form.validate()
        if valid and not (upload and upload.filename):
            form.file.errors = [_("Choose a file to upload.")]
        elif valid:
            try:
                stored, original, size, content_type = file_store.store_upload(upload)
            except file_store.UploadRefused as exc:
                form.file.errors = [str(exc)]
            else:
                session = get_session()
                item = SupplierFile(title=form.title.data.strip(), category=form.category.data,
                                    description=form.description.data or "",
                                    original_name=original, stored_name=stored, size=size,
                                    content_type=content_type, uploaded_by_id=current_user.id)
                session.add(item)
                session.flush()
                _save_groups(session, item, form.groups.data)
                audit.record("documents.file_upload", "supplier_file", item.id,
                             name=original, size=size)
                session.commit()
                flash(_("The file %(title)s is now available to customers.",
                        title=item.title), "success")
                return redirect(url_for("documents_staff.files"), code=303)
    return render_page("documents/staff/file_form.html", form=form, item=None,
                       **_limits()), status


def _file(file_id: int) -> SupplierFile:
    item = get_session().get(SupplierFile, file_id)
    if item is None:
        abort(404)
    return item


@bp.route("/files/<int:file_id>", methods=["GET", "POST"])
def edit_file(file_id: int):
    item = _file(file_id)
    form = _file_form(item)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            upload = form.file.data
            replaced = None
            try:
                if upload and upload.filename:
                    replaced = file_store.store_upload(upload)
            except file_store.UploadRefused as exc:
                form.file.errors = [str(exc)]
            else:
                session = get_session()
                old_stored = item.stored_name
                item.title = form.title.data.strip()
                item.category = form.category.data
                item.description = form.description.data or ""
                if replaced:
                    (item.stored_name, item.original_name, item.size,
                     item.content_type) = replaced
                    item.uploaded_at = utcnow()
                    item.uploaded_by_id = current_user.id
                _save_groups(session, item, form.groups.data)
                audit.record("documents.file_replace" if replaced else "documents.file_edit",
                             "supplier_file", item.id)
                session.commit()
                if replaced:
                    file_store.remove_stored(old_stored)
                flash(_("The file %(title)s is saved.", title=item.title), "success")
                return redirect(url_for("documents_staff.files"), code=303)
    return render_page("documents/staff/file_form.html", form=form, item=item,
                       **_limits()), status


@bp.route("/files/<int:file_id>/withdraw", methods=["POST"])
def withdraw_file(file_id: int):
    item = _file(file_id)
    restore = request.form.get("restore") == "1"
    item.withdrawn_at = None if restore else utcnow()
    audit.record("documents.file_restore" if restore else "documents.file_withdraw",
                 "supplier_file", item.id)
    get_session().commit()
    flash(_("%(title)s is available again.", title=item.title) if restore
          else _("%(title)s is withdrawn: customers no longer see it.", title=item.title),
          "success")
    return redirect(url_for("documents_staff.files"), code=303)


@bp.route("/files/<int:file_id>/download")
def download_file(file_id: int):
    return file_store.send_stored(_file(file_id))


# -- API tokens -------------------------------------------------------------------------------


def _tokens():
    return get_session().scalars(select(ApiToken).order_by(
        ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())).all()


@bp.route("/api-tokens/", methods=["GET", "POST"])
@require_admin
def api_tokens():
    form = ApiTokenForm()
    shown = None
    status = 200
    if request.method == "POST":
        if form.validate():
            session = get_session()
            row, shown = new_token(session, form.name.data.strip(), current_user.id)
            audit.record("documents.api_token_create", "api_token", row.id, name=row.name)
            session.commit()
            form = ApiTokenForm(formdata=None)
        else:
            status = 422
    active = get_session().scalar(select(func.count()).select_from(ApiToken)
                                  .where(ApiToken.revoked_at.is_(None)))
    return render_page("documents/staff/api_tokens.html", form=form,
                       tokens=_tokens(), shown=shown, active=active), status


@bp.route("/api-tokens/<int:token_id>/revoke", methods=["POST"])
@require_admin
def revoke_token(token_id: int):
    session = get_session()
    row = session.get(ApiToken, token_id)
    if row is None:
        abort(404)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record("documents.api_token_revoke", "api_token", row.id, name=row.name)
        session.commit()
        flash(_("The token %(name)s is revoked; requests using it are refused.",
                name=row.name), "success")
    return redirect(url_for("documents_staff.api_tokens"), code=303)
