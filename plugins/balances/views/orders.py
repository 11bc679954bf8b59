"""Customer balance by orders: per order invoiced, paid, outstanding and advance; one order's
documents."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, request, url_for

from portal.core.access import current_company_id, require_permission
from portal.core.rendering import render_page

from ..services.account import ledger
from . import bp
from .common import doc_label, session, signs
from .forms import OrdersForm

PER_PAGE = 50


@bp.route("/orders")
@require_permission("balances.view")
def orders():
    form = OrdersForm(request.args)
    form.validate()
    date_from = None if form.date_from.errors else form.date_from.data
    date_to = None if form.date_to.errors else form.date_to.data
    rows = ledger().order_balances(session(), current_company_id(), date_from=date_from,
                                   date_to=date_to, open_only=not form.all.data,
                                   signs=signs())
    totals: dict[str, dict[str, Decimal]] = {}
    for row in rows:
        total = totals.setdefault(row.currency, {k: Decimal("0") for k in
                                                 ("invoiced", "paid", "outstanding", "advance")})
        for key in total:
            total[key] += getattr(row, key)
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    pages = max(1, -(-len(rows) // PER_PAGE))
    page = min(page, pages)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_page("balances/orders.html", {"order-balances": "balances/_orders.html"},
                       form=form, rows=rows[(page - 1) * PER_PAGE: page * PER_PAGE],
                       totals=totals, page=page, pages=pages,
                       page_url=lambda n: url_for("balances.orders", page=n, **args))


@bp.route("/orders/<path:order_number>")
@require_permission("balances.view")
def order(order_number: str):
    if len(order_number) > 50:
        abort(404)
    company_id = current_company_id()
    book = ledger()
    docs = book.order_documents(session(), company_id, order_number, signs=signs())
    balance = book.order_balance(session(), company_id, order_number, signs=signs())
    if not docs and balance is None:
        abort(404)
    return render_page("balances/order.html", order_number=order_number, docs=docs,
                       balance=balance, doc_label=doc_label, credit_types={
                           k for k, v in signs().items() if v < 0})
