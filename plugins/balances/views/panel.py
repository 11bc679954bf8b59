"""The dashboard panels: the balance (amount due, overdue, next due date, per currency) and
the invoices to pay, overdue first."""

from __future__ import annotations

from portal.core.access import current_company_id, require_permission
from portal.core.rendering import render_page

from ..services.account import ledger
from . import bp
from .common import session, signs, today


@bp.route("/panel")
@require_permission("balances.view")
def panel():
    balances = ledger().balances(session(), current_company_id(), today(), signs=signs())
    return render_page("balances/panel.html", {"panel-balance": "balances/_panel.html"},
                       balances=balances)


PANEL_ITEMS = 5


@bp.route("/panel/invoices-due")
@require_permission("balances.view")
def invoices_due_panel():
    """The invoices still to pay: how many are overdue and due, the first few by due date."""
    day = today()
    items = ledger().open_items(session(), current_company_id(), day, signs=signs())
    overdue = [item for item in items if item.days_overdue(day) > 0]
    return render_page("balances/invoices_due_panel.html",
                       {"panel-invoices-due": "balances/_invoices_due_panel.html"},
                       items=items[:PANEL_ITEMS], total=len(items), overdue=len(overdue),
                       today=day)
