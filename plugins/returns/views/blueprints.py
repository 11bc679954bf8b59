"""The plugin's two blueprints and the template helpers both use."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, current_app, request, url_for
from flask_babel import format_decimal, get_locale

from portal.core.access import restricted_values, staff_only

from ..services import statuses as st

bp = Blueprint("returns", __name__, template_folder="../templates", url_prefix="/returns",
               static_folder="../static", static_url_path="/static")
staff_bp = Blueprint("returns_staff", __name__, template_folder="../templates",
                     url_prefix="/admin/returns")
staff_only(staff_bp)

PRODUCTS_KIND = "orders.products"
"""The product restriction of the orders plugin (values: product codes); it limits which
invoice lines a user may return."""


def allowed_codes():
    """Product codes the user may return, or ``None`` for any."""
    return restricted_values(PRODUCTS_KIND)


def locale() -> str:
    return str(get_locale() or "en")


def window_days() -> int | None:
    value = current_app.config["RETURNS_WINDOW_DAYS"]
    return int(value) if value else None


def max_files() -> int:
    return current_app.config["RETURNS_MAX_FILES"]


def max_file_bytes() -> int:
    return current_app.config["RETURNS_MAX_FILE_BYTES"]


FILE_EXTENSIONS = ("jpg", "jpeg", "png", "webp", "gif", "pdf")


def per_page() -> int:
    return current_app.config["RETURNS_PER_PAGE"]


def page_number() -> int:
    page = request.args.get("page", 1, type=int)
    return max(page or 1, 1)


def qty(value) -> str:
    if value is None:
        return "—"
    return format_decimal(Decimal(value), format="#,##0.####")


def qty_input(value) -> str:
    """A quantity as the user's locale writes it in an input (no grouping)."""
    if value is None:
        return ""
    return format_decimal(Decimal(value), format="0.####")


def money(value, currency: str = "TRY") -> str:
    """The core's one money style (``TRY 10,127.76`` · ``₺10.127,76``), ``—`` for none."""
    from portal.core.formatting import money as core_money

    return core_money(value, currency) if value is not None else "—"


@bp.record_once
def _register_globals(state) -> None:
    """Template helpers (globals, so macros imported without context see them too)."""
    state.app.jinja_env.globals.update(
        returns_status_label=st.label, returns_reasons=st.REASONS,
        returns_conditions=st.CONDITIONS, returns_resolutions=st.RESOLUTIONS,
        returns_qty=qty, returns_qty_input=qty_input, returns_money=money,
        returns_page_url=page_url)


def page_url(page: int) -> str:
    """The current URL with another ``page`` (filters kept)."""
    args = request.args.to_dict()
    args["page"] = page
    return url_for(request.endpoint, **(request.view_args or {}), **args)
