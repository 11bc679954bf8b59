"""Error pages that work for full requests and htmx requests alike."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.core.rendering import VARY, fragment_target

MESSAGES = {
    400: lambda: _("The request could not be understood."),
    403: lambda: _("You do not have permission to open this page."),
    404: lambda: _("This page does not exist, or you cannot see it."),
    405: lambda: _("This action is not allowed here."),
    413: lambda: _("The upload is too large."),
    500: lambda: _("Something went wrong on our side. Please try again."),
}


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

    @app.errorhandler(InternalServerError)
    def _server_error(error):
        return _render(500, MESSAGES[500]())
