"""The balances plugin's pages (blueprint ``balances`` at ``/balances``)."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint
from flask_babel import format_date, format_decimal

bp = Blueprint("balances", __name__, template_folder="../templates",
               static_folder="../static", url_prefix="/balances")


def money(value, currency: str) -> str:
    """``₺1.234,50`` in Turkish, ``TRY 1,234.50`` in English."""
    from portal.core.formatting import money as core_money

    return core_money(value, currency)


def amount(value) -> str:
    """A plain number in the user's locale (``1.234,50``), for table columns."""
    if value is None:
        return ""
    return format_decimal(Decimal(value), format="#,##0.00")


@bp.context_processor
def helpers() -> dict:
    return {"money": money, "amount": amount, "format_date": format_date}


from . import balance, orders, panel, reconciliation, statement  # noqa: E402,F401 (routes)
