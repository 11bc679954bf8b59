"""The plugin's two blueprints: customer pages under /orders, staff pages under /admin/orders."""

from __future__ import annotations

from flask import Blueprint, request

from portal.core.access import staff_only

bp = Blueprint("orders", __name__, template_folder="templates")
staff_bp = Blueprint("orders_staff", __name__, template_folder="templates",
                     url_prefix="/admin/orders")


staff_only(staff_bp)


def orders_cart_count() -> int:
    from .cart import count_lines

    return count_lines()


@bp.record_once
def _register_globals(state) -> None:
    """Template helpers (globals, so macros imported without context see them too)."""
    state.app.jinja_env.globals.update(
        orders_cart_count=orders_cart_count,
        orders_status_label=status_label, orders_doc_type_label=doc_type_label)


def doc_type_label(key: str) -> str:
    """The documents plugin's label of a document type (its key when unknown)."""
    from plugins.documents.registry import get_type

    found = get_type(key)
    return str(found.label) if found else key


def status_label(status: str) -> str:
    from .forms import STATUS_LABELS

    return str(STATUS_LABELS.get(status, status))


def safe_next(default: str) -> str:
    from portal.core.auth import safe_next as check

    return check(request.form.get("next") or request.args.get("next")) or default


@bp.app_template_filter("orders_money")
def _money_filter(value, currency: str = "TRY") -> str:
    from portal.core.formatting import money

    return money(value, currency) if value is not None else "—"


@bp.app_template_filter("orders_qty")
def _quantity_filter(value) -> str:
    from flask_babel import format_decimal

    return format_decimal(value, format="#,##0.####") if value is not None else "—"


@bp.app_template_filter("orders_rate")
def _rate_filter(value) -> str:
    """A percentage such as a VAT rate, in the user's locale (``20%`` / ``%20``, ``7.5%``)."""
    from decimal import Decimal

    from babel.numbers import format_percent
    from flask_babel import get_locale

    if value is None:
        return "—"
    return format_percent(Decimal(value).normalize() / 100, locale=get_locale(),
                          decimal_quantization=False)
