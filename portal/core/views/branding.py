"""Public branding files: the accent stylesheet and the logo, each at a URL that names its
content, so both are cached a year (the sign-in page uses them before anyone signs in)."""

from __future__ import annotations

from flask import Blueprint, Response, abort

from portal.core.auth import public
from portal.core.branding import (
    LOGO_AREA,
    current_brand,
    logo_bytes,
    stylesheet,
    stylesheet_version,
)
from portal.core.static_files import YEAR

bp = Blueprint("branding", __name__)


def _forever(response: Response) -> Response:
    response.cache_control.public = True
    response.cache_control.max_age = YEAR
    response.cache_control.immutable = True
    return response


@bp.route("/branding-<version>.css", endpoint="stylesheet")
@public
def stylesheet_view(version: str):
    text = stylesheet()
    response = Response(text, mimetype="text/css")
    if version == stylesheet_version(text):
        return _forever(response)
    # An old page asking for an older colour gets today's, revalidated next time.
    response.cache_control.no_cache = True
    return response


@bp.route("/branding/logo-<name>.png")
@public
def logo(name: str):
    key = f"{LOGO_AREA}/{name}"
    if current_brand().logo != key:
        abort(404)
    data = logo_bytes(key)
    if data is None:
        abort(404)
    return _forever(Response(data, mimetype="image/png"))

