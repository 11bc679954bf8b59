"""Supplier files ("Downloads"): stored through ``portal.core.storage``, visibility, download.

New files live under storage keys ``documents/<32 hex>`` (a folder by default, object storage
when ``STORAGE_URL`` says so, so every web host sees them). Files uploaded before that were
kept as ``<32 hex>`` in ``DOCUMENTS_FILES_DIR`` (``instance/documents_files``): they are still
served from there, and ``portal documents-move-files`` copies them into the storage.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import abort, current_app, send_file
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, or_, select

from portal.core import storage
from portal.core.access import current_grants, require_permission
from portal.core.db import get_session
from portal.core.rendering import render_page
from portal.core.storage import UploadRefused, clean_name, extension, human_size

from .models import SupplierFile, SupplierFileGroup
from .views import bp

CATEGORIES = {
    "catalogue": _l("Catalogues"),
    "price_list": _l("Price lists"),
    "advertising": _l("Advertising material"),
    "certificate": _l("Certificates"),
    "other": _l("Other files"),
}
AREA = "documents"

__all__ = ["UploadRefused", "clean_name", "extension", "human_size"]


def max_bytes() -> int:
    return current_app.config["DOCUMENTS_MAX_FILE_BYTES"]


def allowed_extensions() -> tuple[str, ...]:
    value = current_app.config["DOCUMENTS_ALLOWED_EXTENSIONS"]
    if isinstance(value, str):
        value = value.split(",")
    return tuple(sorted({v.strip().lower().lstrip(".") for v in value if v.strip()}))


def legacy_dir() -> Path:
    """Where files uploaded before the storage interface were kept (read, never written)."""
    return Path(current_app.config["DOCUMENTS_FILES_DIR"]
                or Path(current_app.instance_path) / "documents_files")


def is_legacy(stored_name: str) -> bool:
    return len(stored_name or "") == 32 and all(ch in "0123456789abcdef" for ch in stored_name)


def store_upload(upload) -> tuple[str, str, int, str]:
    """Check and store an uploaded file; returns ``(stored_name, original_name, size, type)``.

    Raises :class:`UploadRefused` (nothing kept) when its type or size is not allowed.
    """
    found = storage.save_upload(upload, area=AREA, extensions=allowed_extensions(),
                                max_bytes=max_bytes())
    return found.key, found.original_name, found.size, found.content_type


def remove_stored(stored_name: str) -> None:
    if is_legacy(stored_name):
        (legacy_dir() / stored_name).unlink(missing_ok=True)
    elif stored_name:
        storage.get_storage().delete(stored_name)


def move_legacy_files(session) -> int:
    """Copy files still in the legacy folder into the storage and point their rows there.

    Each file is copied, its row updated and committed, then the old copy removed; run again
    after an interruption, it carries on. Returns how many files were moved.
    """
    import secrets

    moved = 0
    backend = storage.get_storage()
    rows = session.scalars(select(SupplierFile).where(
        SupplierFile.stored_name.not_like("%/%"))).all()
    for item in rows:
        path = legacy_dir() / item.stored_name
        if not is_legacy(item.stored_name) or not path.is_file():
            continue
        key = f"{AREA}/{secrets.token_hex(16)}"
        with open(path, "rb") as handle:
            backend.write(key, handle, limit=path.stat().st_size)
        item.stored_name = key
        session.commit()
        path.unlink(missing_ok=True)
        moved += 1
    return moved


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
    """Download a supplier file under its original name (404 when its bytes are gone)."""
    if not is_legacy(item.stored_name):
        return storage.send_stored(item.stored_name, download_name=item.original_name,
                                   content_type=item.content_type)
    path = legacy_dir() / item.stored_name
    if not os.path.isfile(path):
        abort(404)
    response = send_file(path, mimetype=item.content_type, as_attachment=True,
                         download_name=item.original_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
