"""Compress text responses (gzip) when the client accepts it, unless a proxy does it.

``COMPRESS_RESPONSES`` (``PORTAL_COMPRESS_RESPONSES``; default on) switches it; set it to ``0``
behind a proxy that compresses (nginx ``gzip on``), so the work is not done twice. Streamed
responses (CSV exports) are left alone: compressing them would buffer the whole body. Static
files are compressed once per file version and kept in memory.
"""

from __future__ import annotations

import gzip
import threading

from flask import request

COMPRESSIBLE = {"text/html", "text/css", "text/plain", "text/csv", "text/javascript",
                "application/javascript", "application/json", "image/svg+xml"}
MIN_BYTES = 500
LEVEL = 6

_static_cache: dict[tuple[str, str], bytes] = {}
_static_lock = threading.Lock()


def enabled(value) -> bool:
    return value not in (False, 0, "0", "false", "no", "off", "")


def _accepts_gzip() -> bool:
    return any(part.split(";")[0].strip() == "gzip"
               and not part.replace(" ", "").endswith(";q=0")
               for part in request.headers.get("Accept-Encoding", "").split(","))


def compress(response):
    """``after_request``: gzip the body of a compressible, complete response."""
    if response.mimetype not in COMPRESSIBLE or response.status_code != 200:
        return response
    response.vary.add("Accept-Encoding")
    if not _accepts_gzip() or "Content-Encoding" in response.headers or response.is_streamed \
            and not response.direct_passthrough:
        return response
    static_key = None
    if response.direct_passthrough:  # a file from send_file: only static files, cached
        if request.endpoint != "static" and not (request.endpoint or "").endswith(".static"):
            return response
        static_key = (request.path, response.get_etag()[0] or "")
        with _static_lock:
            cached = _static_cache.get(static_key)
        response.direct_passthrough = False
        if cached is None:
            body = response.get_data()
            if len(body) < MIN_BYTES:
                return response
            cached = gzip.compress(body, LEVEL, mtime=0)
            with _static_lock:
                _static_cache[static_key] = cached
        response.set_data(cached)
    else:
        body = response.get_data()
        if len(body) < MIN_BYTES:
            return response
        response.set_data(gzip.compress(body, LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag:  # the compressed bytes differ from the plain ones
        response.set_etag(f"{etag}-gz", weak=weak)
    return response


def init_app(app) -> None:
    app.config.setdefault("COMPRESS_RESPONSES", True)
    if enabled(app.config["COMPRESS_RESPONSES"]):
        app.after_request(compress)
