"""Attachments from a form: type, size and count limits, stored under generated names."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from portal.core.storage import UploadRefused, get_storage, human_size, save_upload

from ..services.requests import NewAttachment

EXTENSIONS = ("jpg", "jpeg", "png", "gif", "webp", "pdf", "doc", "docx", "xls", "xlsx", "odt",
              "ods", "csv", "txt")
AREA = "support"


def limits() -> tuple[int, int]:
    """(files per message, bytes per file): ``SUPPORT_MAX_FILES`` and ``SUPPORT_MAX_FILE_MB``."""
    config = current_app.config
    return config["SUPPORT_MAX_FILES"], config["SUPPORT_MAX_FILE_MB"] * 1024 * 1024


def limits_hint() -> str:
    count, size = limits()
    return _("Up to %(count)d files of up to %(size)s each: images, PDF, office documents.",
             count=count, size=human_size(size))


def save_files(uploads) -> list[NewAttachment]:
    """Store the chosen files; all or nothing (raises UploadRefused, keeping none)."""
    chosen = [f for f in uploads or () if f and f.filename]
    count, size = limits()
    if len(chosen) > count:
        raise UploadRefused(_("Attach at most %(count)d files.", count=count))
    saved: list[NewAttachment] = []
    try:
        for upload in chosen:
            try:
                stored = save_upload(upload, area=AREA, extensions=EXTENSIONS, max_bytes=size)
            except UploadRefused as exc:
                raise UploadRefused(f"{stored_name(upload)}: {exc}") from exc
            saved.append(NewAttachment(stored.key, stored.original_name, stored.size,
                                       stored.content_type))
    except BaseException:
        discard(saved)
        raise
    return saved


def stored_name(upload) -> str:
    from portal.core.storage import clean_name

    return clean_name(upload.filename)


def discard(saved) -> None:
    """Delete stored files whose transaction failed."""
    storage = get_storage()
    for item in saved:
        storage.delete(item.key)
