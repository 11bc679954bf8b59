"""Supplier files ("Downloads"): storage under generated names, visibility, safe download."""

from __future__ import annotations

import os
import secrets
import unicodedata
from pathlib import Path

from flask import abort, current_app, send_file
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, or_, select

from portal.core.access import current_grants, require_permission
from portal.core.db import get_session
from portal.core.rendering import render_page

from .models import SupplierFile, SupplierFileGroup
from .views import bp

CATEGORIES = {
    "catalogue": _l("Catalogues"),
    "price_list": _l("Price lists"),
    "advertising": _l("Advertising material"),
    "certificate": _l("Certificates"),
    "other": _l("Other files"),
}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "gif", "webp", "zip", "csv", "txt", "xls",
                      "xlsx", "doc", "docx", "ppt", "pptx", "odt", "ods")
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg",
                 "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
                 "zip": "application/zip", "csv": "text/csv", "txt": "text/plain"}


class UploadRefused(ValueError):
    """The upload breaks a configured limit; the message says which, for the user."""


def max_bytes() -> int:
    return int(current_app.config.get("DOCUMENTS_MAX_FILE_BYTES", DEFAULT_MAX_BYTES))


def allowed_extensions() -> tuple[str, ...]:
    value = current_app.config.get("DOCUMENTS_ALLOWED_EXTENSIONS", DEFAULT_EXTENSIONS)
    if isinstance(value, str):
        value = value.split(",")
    return tuple(sorted({v.strip().lower().lstrip(".") for v in value if v.strip()}))


def storage_dir() -> Path:
    folder = Path(current_app.config.get("DOCUMENTS_FILES_DIR")
                  or Path(current_app.instance_path) / "documents_files")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def clean_name(name: str | None) -> str:
    """The original file name reduced to a harmless display name (no folders, no controls)."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and ch not in '"<>|*?:')
    name = name.strip(" .")[:200]
    return name or "file"


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def human_size(size: int) -> str:
    from flask_babel import format_decimal

    if size >= 1024 * 1024:
        return f"{format_decimal(round(size / 1024 / 1024, 1))} MB"
    if size >= 1024:
        return f"{format_decimal(round(size / 1024, 1))} KB"
    return f"{size} B"


def store_upload(upload) -> tuple[str, str, int, str]:
    """Check and save an uploaded file; returns ``(stored_name, original_name, size, type)``.

    Raises :class:`UploadRefused` (nothing kept) when its type or size is not allowed.
    """
    original = clean_name(upload.filename)
    ext = extension(original)
    allowed = allowed_extensions()
    if ext not in allowed:
        raise UploadRefused(_("Files of this type (%(ext)s) are not accepted. Accepted types: "
                              "%(allowed)s.", ext=f".{ext}" if ext else _("no extension"),
                              allowed=", ".join(allowed)))
    limit = max_bytes()
    stored = secrets.token_hex(16)
    path = storage_dir() / stored
    size = 0
    try:
        with open(path, "wb") as out:
            while chunk := upload.stream.read(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise UploadRefused(_("The file is larger than the limit of %(limit)s.",
                                          limit=human_size(limit)))
                out.write(chunk)
        if size == 0:
            raise UploadRefused(_("The file is empty."))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return stored, original, size, CONTENT_TYPES.get(ext, "application/octet-stream")


def remove_stored(stored_name: str) -> None:
    if stored_name and all(ch in "0123456789abcdef" for ch in stored_name):
        (storage_dir() / stored_name).unlink(missing_ok=True)


def visible_files_statement():
    """Files the current customer may see: not withdrawn, unrestricted or shared with a group
    of theirs."""
    group_ids = current_grants().group_ids
    restricted = exists().where(SupplierFileGroup.file_id == SupplierFile.id)
    allowed = exists().where(SupplierFileGroup.file_id == SupplierFile.id,
                             SupplierFileGroup.group_id.in_(group_ids or (-1,)))
    return (select(SupplierFile).where(SupplierFile.withdrawn_at.is_(None))
            .where(or_(~restricted, allowed)))


@bp.route("/downloads/")
@require_permission("documents.download")
def downloads():
    files = get_session().scalars(visible_files_statement().order_by(
        SupplierFile.category, SupplierFile.title, SupplierFile.id)).all()
    grouped: dict[str, list[SupplierFile]] = {}
    for item in files:
        grouped.setdefault(item.category, []).append(item)
    sections = [(CATEGORIES.get(key, key), grouped[key])
                for key in list(CATEGORIES) + sorted(set(grouped) - set(CATEGORIES))
                if key in grouped]
    return render_page("documents/downloads.html", sections=sections, human_size=human_size)


@bp.route("/downloads/<int:file_id>")
@require_permission("documents.download")
def download(file_id: int):
    item = get_session().scalar(visible_files_statement().where(SupplierFile.id == file_id))
    if item is None:
        abort(404)
    return send_stored(item)


def send_stored(item: SupplierFile):
    path = storage_dir() / item.stored_name
    if not os.path.isfile(path):
        abort(404)
    response = send_file(path, mimetype=item.content_type, as_attachment=True,
                         download_name=item.original_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
