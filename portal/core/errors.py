"""Error pages that work for full requests and htmx requests alike."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.core.rendering import VARY, fragment_target

MESSAGES = {
    400: lambda: _("The request could not be understood."),
    403: lambda: _("You do not have permission to open this page."),
    404: lambda: _("This page does not exist, or you cannot see it."),
    405: lambda: _("This action is not allowed here."),
    413: lambda: _("This request is too large (the limit is %(size)s). Nothing was saved.",
                   size=_limit()),
    500: lambda: _("Something went wrong on our side. Please try again."),
    503: lambda: _("The portal is briefly unavailable. Please try again in a minute; "
                   "nothing you sent was lost."),
}


def _limit() -> str:
    from flask import current_app, request

    from portal.core.storage import human_size

    return human_size(request.environ.get("portal.size_limit")
                      or current_app.config.get("MAX_CONTENT_LENGTH") or 0)


def _headers() -> dict:
    headers = {"Vary": ", ".join(VARY)}
    if fragment_target():
        headers |= {"HX-Retarget": "#main", "HX-Reswap": "innerHTML"}
    return headers


def _render(code: int, message: str):
    context = {"code": code, "message": message}
    template = "errors/_error.html" if fragment_target() else "errors/page.html"
    return render_template(template, **context), code, _headers()


def _render_unavailable():
    """The 503 page without a database: no ``base.html`` (user, menu, branding), no context
    processors, the language from ``Accept-Language`` only, the signed-in user not looked up."""
    from portal.core.auth import login_manager
    from portal.core.i18n import LANGUAGES

    # The user loader reads the database: from here on this request is anonymous, so nothing
    # later (the security headers' Cache-Control check) tries it again.
    login_manager._update_request_context_with_user()
    locale = request.accept_languages.best_match(list(LANGUAGES)) or "en"
    template = "errors/_error.html" if fragment_target() else "errors/unavailable.html"
    with force_locale(locale):
        body = current_app.jinja_env.get_template(template).render(
            code=503, message=MESSAGES[503](),
            retry_url=request.full_path.rstrip("?") if request.method == "GET" else None)
    return body, 503, _headers() | {"Retry-After": "5", "Cache-Control": "no-store"}


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        return _render(400, _("Your form expired or came from another site. "
                              "Please reload the page and try again."))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        message = MESSAGES.get(error.code)
        return _render(error.code, message() if message else error.description)

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeout)
    def _database_unavailable(error):
        # The database is gone (restart, failover, pool exhausted): say so at once with a 503
        # the client may retry, instead of a 500 traceback. The pool's pre-ping replaces the
        # dead connections on the next request, so the service recovers by itself.
        app.logger.warning("database unavailable: %s", error.__class__.__name__)
        return _render_unavailable()

    @app.errorhandler(InternalServerError)
    def _server_error(error):
        return _render(500, MESSAGES[500]())
