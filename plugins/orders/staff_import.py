"""Staff bulk import of products or prices: upload → preview with row-level errors → confirm.

The uploaded file is kept in the storage (area ``orders_import``) between preview and confirm; the
confirm form carries a signed token naming it (valid for an hour, for the same staff user). The
confirm re-reads and re-checks the file, applies it in one transaction with its audit entry, and
deletes the file; a cancel deletes it too.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.core import audit
from portal.core.access import require_staff
from portal.core.db import get_session
from portal.core.forms import Form
from portal.core.rendering import render_page
from portal.core.storage import UploadRefused, get_storage, save_upload, valid_key

from . import catalogue_import as ci
from .blueprint import staff_bp
from .forms import ImportForm

TOKEN_AGE = 3600
PREVIEW_ROWS = 50


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="orders.import")


def _plan(data: bytes, ext: str, kind: str):
    columns = ci.PRODUCT_COLUMNS if kind == "products" else ci.PRICE_COLUMNS
    table = ci.read_table(data, ext, columns, str(get_locale()))
    session = get_session()
    return ci.plan_products(session, table) if kind == "products" else ci.plan_prices(session,
                                                                                        table)


def _read_stored(key: str) -> bytes | None:
    handle = get_storage().open(key)
    if handle is None:
        return None
    with handle:
        return handle.read()


@staff_bp.route("/import", methods=["GET", "POST"])
@require_staff
def catalogue_import():
    form = ImportForm()
    if form.validate_on_submit():
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            form.file.errors.append(_("Choose a file."))
        else:
            try:
                stored = save_upload(upload, area="orders_import", extensions=ci.EXTENSIONS,
                                     max_bytes=ci.MAX_BYTES)
            except UploadRefused as exc:
                form.file.errors.append(str(exc))
            else:
                return _preview(stored.key, stored.original_name, form.kind.data)
    return (render_page("orders/staff_import.html", form=form, max_rows=ci.MAX_ROWS),
            422 if form.errors else 200)


def _preview(key: str, name: str, kind: str):
    data = _read_stored(key) or b""
    try:
        plan = _plan(data, name.rsplit(".", 1)[-1].lower(), kind)
    except ci.ImportRefused as exc:
        get_storage().delete(key)
        form = ImportForm(formdata=None, kind=kind)
        form.file.errors = [str(exc)]
        return render_page("orders/staff_import.html", form=form, max_rows=ci.MAX_ROWS), 422
    if plan.errors:
        get_storage().delete(key)  # nothing can be confirmed; the corrected file is uploaded anew
        token = None
    else:
        token = _serializer().dumps({"key": key, "name": name, "kind": kind,
                                     "user": current_user.id})
    return render_page("orders/staff_import_preview.html", plan=plan, name=name, token=token,
                       confirm_form=Form(), preview_rows=PREVIEW_ROWS,
                       max_errors=200), 422 if plan.errors else 200


def _token_data(token: str) -> dict | None:
    try:
        data = _serializer().loads(token or "", max_age=TOKEN_AGE)
    except BadSignature:
        return None
    if data.get("user") != current_user.id or not valid_key(data.get("key", "")):
        return None
    return data


@staff_bp.route("/import/confirm", methods=["POST"])
@require_staff
def confirm_import():
    form = Form()
    data = _token_data(request.form.get("token", ""))
    if not form.validate_on_submit() or data is None:
        flash(_("This import has expired or was already applied; upload the file again."),
              "error")
        return redirect(url_for("orders_staff.catalogue_import"), code=303)
    storage = get_storage()
    if request.form.get("cancel"):
        storage.delete(data["key"])
        flash(_("The import was cancelled; nothing was changed."), "success")
        return redirect(url_for("orders_staff.catalogue_import"), code=303)
    content = _read_stored(data["key"])
    if content is None:
        flash(_("This import has expired or was already applied; upload the file again."),
              "error")
        return redirect(url_for("orders_staff.catalogue_import"), code=303)
    session = get_session()
    plan = _plan(content, data["name"].rsplit(".", 1)[-1].lower(), data["kind"])
    if plan.errors:  # the catalogue changed since the preview
        session.rollback()
        storage.delete(data["key"])
        return render_page("orders/staff_import_preview.html", plan=plan, name=data["name"],
                           token=None, confirm_form=form, preview_rows=PREVIEW_ROWS,
                           max_errors=200), 422
    ci.apply_plan(session, plan)
    audit.record(f"orders.import.{plan.kind}", "import", None, file=data["name"],
                 created=len(plan.creates), updated=len(plan.updates), unchanged=plan.unchanged)
    session.commit()
    storage.delete(data["key"])
    flash(_("Import applied: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.",
            created=len(plan.creates), updated=len(plan.updates), unchanged=plan.unchanged),
          "success")
    target = "orders_staff.products" if plan.kind == "products" else "orders_staff.price_lists"
    return redirect(url_for(target), code=303)
