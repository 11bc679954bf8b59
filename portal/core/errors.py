"""Error pages that work for full requests and htmx requests alike."""

from __future__ import annotations

from flask import render_template
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


def _render(code: int, message: str):
    context = {"code": code, "message": message}
    if fragment_target():
        response = render_template("errors/_error.html", **context), code
        headers = {"HX-Retarget": "#main", "HX-Reswap": "innerHTML"}
        return response[0], code, headers | {"Vary": ", ".join(VARY)}
    return render_template("errors/page.html", **context), code, {"Vary": ", ".join(VARY)}


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
        body, code, headers = _render(503, MESSAGES[503]())
        return body, code, headers | {"Retry-After": "5"}

    @app.errorhandler(InternalServerError)
    def _server_error(error):
        return _render(500, MESSAGES[500]())
