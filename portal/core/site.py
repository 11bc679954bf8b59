"""Who the portal belongs to and where it lives: the supplier's name and absolute URLs.

Mails and webhooks are built outside any request (in the worker), so their links come from
the configured ``BASE_URL`` (``PORTAL_BASE_URL``, e.g. ``https://portal.example.com``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def supplier_name() -> str:
    """The business's name as customers know it (mails' sender and signature).

    The name set on Admin › Branding (:func:`portal.core.branding.current_brand`: else
    ``BRAND_NAME``, ``SUPPLIER_NAME``, ``DOCUMENTS_SUPPLIER_NAME``), else "Customer portal".
    Needs an app context (it reads the settings table).
    """
    from portal.core.branding import current_brand

    return current_brand().name or "Customer portal"


def base_url(app=None) -> str:
    """The portal's public address without a trailing slash."""
    configured = (app or current_app).config.get("BASE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return DEFAULT_BASE_URL


def external_url(endpoint: str, app=None, **values) -> str:
    """An absolute URL for ``endpoint`` under :func:`base_url`, inside or outside a request."""
    app = app or current_app
    parts = urlsplit(base_url(app))
    adapter = app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                               url_scheme=parts.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)
