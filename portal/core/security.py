"""CSRF protection, security headers and cookie flags."""

from __future__ import annotations

from flask import request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

csrf = CSRFProtect()

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


class SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie ``Secure`` whenever the request came over HTTPS."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def _headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if response.mimetype == "text/html" and current_user and current_user.is_authenticated:
        headers["Cache-Control"] = "no-store"
    return response


def size_limit(app=None) -> int:
    """The largest body this request may have: uploads ``MAX_CONTENT_LENGTH``; a plain form
    (text fields only, parsed in memory) ``MAX_FORM_MEMORY_SIZE``."""
    from flask import current_app

    app = app or current_app
    config = app.config
    limit = config.get("MAX_CONTENT_LENGTH") or 0
    view = app.view_functions.get(request.endpoint) if request.endpoint else None
    if getattr(view, "body_limit", None):
        limit = min(limit, view.body_limit) if limit else view.body_limit
    if request.mimetype == "application/x-www-form-urlencoded":
        form_limit = config.get("MAX_FORM_MEMORY_SIZE") or 0
        limit = min(limit, form_limit) if limit and form_limit else (limit or form_limit)
    return limit


def body_limit(size: int):
    """Decorate a view whose requests may be at most ``size`` bytes (refused with a 413 by
    their ``Content-Length`` before anything is read)."""

    def decorate(view):
        view.body_limit = size
        return view

    return decorate


def _refuse_oversized():
    """A body over the limit is refused by its ``Content-Length``, before a byte is read."""
    from flask import abort

    limit = size_limit()
    if limit and (request.content_length or 0) > limit:
        request.environ["portal.size_limit"] = limit
        abort(413)


def init_app(app) -> None:
    app.session_interface = SessionInterface()
    app.before_request(_refuse_oversized)  # before CSRF, which would read the body
    csrf.init_app(app)
    app.after_request(_headers)


__all__ = ["csrf", "CSRFError", "init_app"]
