"""Static files under versioned URLs: ``/static/portal.css?v=<content hash>``.

``url_for("static", filename=...)`` (the core's and every plugin's ``<name>.static``) adds
``v``, the first 12 hex digits of the file's SHA-256, computed once per file and process. A
versioned URL never changes meaning, so it is served with a year's ``max-age`` and
``immutable``: a repeat visit fetches only the HTML. An unversioned URL keeps Flask's
revalidation (``no-cache`` with an ETag).
"""

from __future__ import annotations

import hashlib
import os
import threading

from flask import current_app, request

YEAR = 365 * 24 * 3600

_hashes: dict[str, str] = {}
_lock = threading.Lock()


def _folder(endpoint: str) -> str | None:
    if endpoint == "static":
        return current_app.static_folder
    blueprint = current_app.blueprints.get(endpoint.rsplit(".", 1)[0])
    return blueprint.static_folder if blueprint is not None else None


def content_version(folder: str, filename: str) -> str | None:
    path = os.path.join(folder, filename)
    with _lock:
        found = None if current_app.debug else _hashes.get(path)  # debug: files change
    if found is None:
        try:
            with open(path, "rb") as handle:
                found = hashlib.sha256(handle.read()).hexdigest()[:12]
        except OSError:
            return None
        with _lock:
            _hashes[path] = found
    return found


def _add_version(endpoint: str, values: dict) -> None:
    if endpoint != "static" and not endpoint.endswith(".static"):
        return
    if "v" in values or "filename" not in values:
        return
    folder = _folder(endpoint)
    version = content_version(folder, values["filename"]) if folder else None
    if version:
        values["v"] = version


def _cache_forever(response):
    endpoint = request.endpoint or ""
    if (endpoint == "static" or endpoint.endswith(".static")) and request.args.get("v") \
            and response.status_code in (200, 304):
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    return response


def init_app(app) -> None:
    app.url_defaults(_add_version)
    app.after_request(_cache_forever)
