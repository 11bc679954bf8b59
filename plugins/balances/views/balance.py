"""Customer balance: per currency, payable (not yet due, overdue by age), advances, net,
credit; the documents behind each figure; a chart of the last twelve months."""

from __future__ import annotations

from flask import abort, request
from flask_babel import lazy_gettext as _l

from portal.core.access import current_company_id, require_permission
from portal.core.rendering import render_page

from ..services.account import ledger
from ..services.chart import bar_chart
from ..services.periods import last_month_ends
from . import bp
from .common import session, signs, today

TITLES = {"all": _l("Amount payable"), "not_due": _l("Not yet due"), "overdue": _l("Overdue"),
          "1-30": _l("Overdue 1–30 days"), "31-60": _l("Overdue 31–60 days"),
          "61-90": _l("Overdue 61–90 days"), "90+": _l("Overdue over 90 days")}


@bp.route("/")
@require_permission("balances.view")
def index():
    company_id = current_company_id()
    day = today()
    book = ledger()
    money_signs = signs()
    balances = book.balances(session(), company_id, day, signs=money_signs)
    ends = last_month_ends(day)
    history = book.month_end_balances(session(), company_id, ends, signs=money_signs)
    terms = book.company_terms(session(), company_id)
    charts = {b.currency: (bar_chart(history.get(b.currency, [])),
                           list(zip(ends, history.get(b.currency, []), strict=False)))
              for b in balances}
    return render_page("balances/index.html", balances=balances, charts=charts, today=day,
                       terms=terms, buckets=book.BUCKETS)


@bp.route("/open-items")
@require_permission("balances.view")
def open_items():
    """The invoices behind a payable figure (``which``: all, not_due, overdue or a bucket)."""
    which = request.args.get("which", "all")
    if which not in TITLES:
        abort(404)
    currency = (request.args.get("currency") or "").upper()[:3] or None
    day = today()
    items = ledger().open_items(session(), current_company_id(), day, currency=currency,
                                which=which, signs=signs())
    totals: dict[str, object] = {}
    for item in items:
        totals[item.currency] = totals.get(item.currency, 0) + item.outstanding
    return render_page("balances/open_items.html", items=items, which=which,
                       currency=currency, today=day, totals=totals,
                       title=TITLES[which])
