"""Uploaded files: one storage interface for every plugin (supplier files, RMA photos, support
attachments, product images).

Files are stored under generated keys, never under the name the user sent; the original name is
kept by the plugin only for ``Content-Disposition``. The default backend is a folder in the
instance path (``UPLOADS_DIR`` overrides it). With several web hosts, set ``STORAGE_URL``
(``PORTAL_STORAGE_URL``) to ``s3://bucket/prefix`` for S3-compatible object storage
(:class:`S3Storage`; boto3, the ``s3`` extra): ``STORAGE_S3_ENDPOINT_URL`` for a service other
than AWS (MinIO, Ceph, R2…), ``STORAGE_S3_REGION``, and credentials from
``STORAGE_S3_ACCESS_KEY`` / ``STORAGE_S3_SECRET_KEY`` or boto3's usual sources (environment,
instance role). Another backend implements :class:`Storage` and is set with :func:`set_storage`.

::

    from portal.core.storage import UploadRefused, save_upload, send_stored

    try:
        stored = save_upload(request.files["photo"], area="returns",
                             extensions=("jpg", "png", "pdf"), max_bytes=5 * 1024 * 1024)
    except UploadRefused as exc:
        form.photo.errors.append(str(exc))
    ...
    return send_stored(row.stored_key, download_name=row.original_name,
                       content_type=row.content_type)
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import Response, abort, current_app, send_file
from flask_babel import format_decimal
from flask_babel import gettext as _

CONTENT_TYPES = {
    "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
    "gif": "image/gif", "webp": "image/webp", "zip": "application/zip", "csv": "text/csv",
    "txt": "text/plain",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel", "doc": "application/msword",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
CHUNK = 64 * 1024


class UploadRefused(ValueError):
    """The upload breaks a limit; the message says which, for the user."""


class Storage(Protocol):
    """Where uploaded bytes live. Keys are ``<area>/<32 hex digits>``, made by the caller."""

    def write(self, key: str, stream: BinaryIO, limit: int) -> int:
        """Store ``stream`` under ``key``; return its size. Raise UploadRefused past ``limit``
        bytes (keeping nothing)."""

    def open(self, key: str) -> BinaryIO | None:
        """A readable file for ``key``, or None when there is none."""

    def delete(self, key: str) -> None:
        """Remove ``key`` (no error when it is already gone)."""


class LocalStorage:
    """Files in a folder (the instance folder's ``uploads/`` by default)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path | None:
        if not valid_key(key):
            return None
        return self.root / key

    def write(self, key: str, stream: BinaryIO, limit: int) -> int:
        path = self._path(key)
        if path is None:
            raise ValueError(f"invalid storage key {key!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        size = 0
        try:
            with open(path, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise UploadRefused(_("The file is larger than the limit of %(limit)s.",
                                              limit=human_size(limit)))
                    out.write(chunk)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return size

    def open(self, key: str) -> BinaryIO | None:
        path = self._path(key)
        if path is None or not path.is_file():
            return None
        return open(path, "rb")

    def delete(self, key: str) -> None:
        path = self._path(key)
        if path is not None:
            path.unlink(missing_ok=True)

    def clear(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


class S3Storage:
    """Objects in an S3-compatible bucket, under ``prefix/`` + key; every web host sees them."""

    SPOOL = 1024 * 1024  # an upload is buffered in memory up to this, then in a temporary file

    def __init__(self, bucket: str, prefix: str = "", *, client=None, endpoint_url=None,
                 region=None, access_key=None, secret_key=None):
        if client is None:
            import boto3

            client = boto3.client("s3", endpoint_url=endpoint_url or None,
                                  region_name=region or None,
                                  aws_access_key_id=access_key or None,
                                  aws_secret_access_key=secret_key or None)
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")

    def _name(self, key: str) -> str:
        if not valid_key(key):
            raise ValueError(f"invalid storage key {key!r}")
        return f"{self.prefix}/{key}" if self.prefix else key

    def write(self, key: str, stream: BinaryIO, limit: int) -> int:
        name = self._name(key)
        size = 0
        with tempfile.SpooledTemporaryFile(max_size=self.SPOOL) as buffer:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:  # nothing was sent to the bucket yet
                    raise UploadRefused(_("The file is larger than the limit of %(limit)s.",
                                          limit=human_size(limit)))
                buffer.write(chunk)
            buffer.seek(0)
            self.client.upload_fileobj(buffer, self.bucket, name)
        return size

    def open(self, key: str) -> BinaryIO | None:
        if not valid_key(key):
            return None
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return None
            raise
        return _Body(answer["Body"])

    def delete(self, key: str) -> None:
        if valid_key(key):
            self.client.delete_object(Bucket=self.bucket, Key=self._name(key))


class _Body:
    """botocore's streaming body as the read-only file ``send_file`` expects."""

    def __init__(self, body):
        self._body = body

    def read(self, size: int = -1) -> bytes:
        return self._body.read(None if size is None or size < 0 else size)

    def close(self) -> None:
        self._body.close()

    def __enter__(self):
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def storage_from_settings(app) -> Storage:
    """The backend the settings name: ``STORAGE_URL`` ``s3://bucket/prefix``, else a folder."""
    url = (app.config.get("STORAGE_URL") or "").strip()
    if url.startswith("s3://"):
        bucket, _sep, prefix = url.removeprefix("s3://").partition("/")
        if not bucket:
            raise ValueError("STORAGE_URL needs a bucket: s3://bucket/prefix")
        return S3Storage(bucket, prefix, endpoint_url=app.config.get("STORAGE_S3_ENDPOINT_URL"),
                         region=app.config.get("STORAGE_S3_REGION"),
                         access_key=app.config.get("STORAGE_S3_ACCESS_KEY"),
                         secret_key=app.config.get("STORAGE_S3_SECRET_KEY"))
    if url and not url.startswith("file://"):
        raise ValueError(f"STORAGE_URL {url!r}: use s3://bucket/prefix or file:///folder")
    root = url.removeprefix("file://") or app.config.get("UPLOADS_DIR") \
        or Path(app.instance_path) / "uploads"
    return LocalStorage(Path(root))


def valid_key(key: str) -> bool:
    area, _sep, name = (key or "").partition("/")
    return (bool(area) and area.replace("_", "").isalnum() and area.isascii()
            and len(name) == 32 and all(ch in "0123456789abcdef" for ch in name))


def get_storage(app=None) -> Storage:
    app = app or current_app
    storage = app.extensions.get("portal.storage")
    if storage is None:
        storage = app.extensions["portal.storage"] = storage_from_settings(app)
    return storage


def set_storage(app, storage: Storage) -> None:
    app.extensions["portal.storage"] = storage


@dataclass(frozen=True)
class StoredFile:
    key: str
    original_name: str
    size: int
    content_type: str


def has_folders(name: str | None) -> bool:
    """Whether an uploaded file's name still names folders once control characters are gone
    (browsers send the bare name; ``../../evil.txt`` comes from a crafted request)."""
    visible = "".join(ch for ch in name or "" if unicodedata.category(ch)[0] != "C")
    return "/" in visible or "\\" in visible


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
    if size >= 1024 * 1024:
        return f"{format_decimal(round(size / 1024 / 1024, 1))} MB"
    if size >= 1024:
        return f"{format_decimal(round(size / 1024, 1))} KB"
    return f"{size} B"


def save_upload(upload, *, area: str, extensions: tuple[str, ...], max_bytes: int) -> StoredFile:
    """Check and store an uploaded file (a werkzeug ``FileStorage``) under a generated key.

    Raises :class:`UploadRefused` (nothing kept) when its type or size is not allowed, its name
    holds folders, or it is empty. Control characters are dropped from the name kept for the
    download; the rest of it (Unicode included) is kept as it was. Remember the returned key in
    the same transaction as the row that owns it; delete the key with
    ``get_storage().delete(key)`` if that transaction fails.
    """
    if has_folders(upload.filename):
        raise UploadRefused(_("A file name must not hold folders (/ or \\): rename the file "
                              "and choose it again."))
    original = clean_name(upload.filename)
    ext = extension(original)
    if ext not in extensions:
        raise UploadRefused(_("Files of this type (%(ext)s) are not accepted. Accepted types: "
                              "%(allowed)s.", ext=f".{ext}" if ext else _("no extension"),
                              allowed=", ".join(extensions)))
    key = f"{area}/{secrets.token_hex(16)}"
    storage = get_storage()
    size = storage.write(key, upload.stream, max_bytes)
    if size == 0:
        storage.delete(key)
        raise UploadRefused(_("The file is empty."))
    return StoredFile(key, original, size, CONTENT_TYPES.get(ext, "application/octet-stream"))


def send_stored(key: str, *, download_name: str, content_type: str,
                as_attachment: bool = True) -> Response:
    """Send a stored file as a download under its original name (404 when it is gone)."""
    handle = get_storage().open(key)
    if handle is None:
        abort(404)
    response = send_file(handle, mimetype=content_type, as_attachment=as_attachment,
                         download_name=download_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
