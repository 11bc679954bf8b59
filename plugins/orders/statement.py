"""The order statement: for orders in progress, ordered / shipped / awaiting per line.

Shipped quantities come from goods-issue lines linked to order lines (documents'
``quantities_by_origin``). Awaiting is ordered minus shipped, never below zero.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from flask import Response, request
from flask_babel import gettext as _
from sqlalchemy import select

from portal.core.access import current_company_id, require_permission
from portal.core.db import get_session
from portal.core.rendering import render_page

from . import bridge, queries
from .blueprint import bp, page_number
from .catalogue import money
from .forms import StatementFilter, choices
from .models import IN_PROGRESS, Order, OrderLine

ZERO = Decimal("0")


@dataclass
class StatementLine:
    line: OrderLine
    shipped: Decimal

    @property
    def ordered(self) -> Decimal:
        return self.line.quantity

    @property
    def awaiting(self) -> Decimal:
        return max(self.line.quantity - self.shipped, ZERO)

    @property
    def awaiting_amount(self) -> Decimal:
        line = self.line
        return money(self.awaiting * line.unit_price * (100 - line.discount_rate) / 100)


@dataclass
class Totals:
    ordered: Decimal = ZERO
    shipped: Decimal = ZERO
    awaiting: Decimal = ZERO
    awaiting_amount: Decimal = ZERO

    def add(self, item: StatementLine) -> None:
        self.ordered += item.ordered
        self.shipped += item.shipped
        self.awaiting += item.awaiting
        self.awaiting_amount += item.awaiting_amount


@dataclass
class StatementOrder:
    order: Order
    lines: list[StatementLine] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)


def _line_stmt(company_id: int, product: str = "", date_from=None, date_to=None):
    stmt = (select(Order, OrderLine).join(OrderLine, OrderLine.order_id == Order.id)
            .where(Order.company_id == company_id, Order.status == IN_PROGRESS))
    stmt = queries.filter_orders(stmt, date_from=date_from, date_to=date_to)
    if product:
        stmt = stmt.where(OrderLine.product_code == product)
    return stmt.order_by(Order.created_at, Order.id, OrderLine.line_no)


def build(company_id: int, product: str = "", date_from=None, date_to=None,
          page: int | None = None, page_size: int = queries.PAGE_SIZE):
    """``(orders of the page, grand totals, number of pages)``; a fixed number of queries.

    Grand totals cover every matching order, not only the page shown.
    """
    session = get_session()
    rows = session.execute(_line_stmt(company_id, product, date_from, date_to)).all()
    shipped = bridge.shipped_by_line(session, [line.id for _o, line in rows])
    grouped: dict[int, StatementOrder] = {}
    grand = Totals()
    for order, line in rows:
        item = StatementLine(line, shipped.get(line.id, ZERO))
        entry = grouped.setdefault(order.id, StatementOrder(order))
        entry.lines.append(item)
        entry.totals.add(item)
        grand.add(item)
    orders = list(grouped.values())
    pages = max((len(orders) + page_size - 1) // page_size, 1)
    if page is not None:
        orders = orders[(page - 1) * page_size: page * page_size]
    return orders, grand, pages


def product_choices(company_id: int) -> list[tuple[str, str]]:
    stmt = (select(OrderLine.product_code, OrderLine.product_name)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.company_id == company_id, Order.status == IN_PROGRESS)
            .distinct().order_by(OrderLine.product_code))
    seen = {}
    for code, name in get_session().execute(stmt):
        seen.setdefault(code, f"{code} · {name}")
    return list(seen.items())


@bp.route("/statement")
@require_permission("orders.view")
def statement():
    company_id = current_company_id()
    form = StatementFilter(request.args)
    products = [("", _("All products"))] + product_choices(company_id)
    form.product.choices = choices(products)
    valid = form.validate()
    product = form.product.data if valid and form.product.data in dict(products) else ""
    date_from = form.date_from.data if valid else None
    date_to = form.date_to.data if valid else None
    if request.args.get("format") == "csv":
        orders, grand, _pages = build(company_id, product, date_from, date_to)
        return _csv(orders, grand)
    page = page_number()
    orders, grand, pages = build(company_id, product, date_from, date_to, page=page)
    return render_page("orders/statement.html", form=form, orders=orders, grand=grand,
                       page=page, pages=pages)


def _csv(orders, grand) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Order"), _("Date"), _("PO number"), _("Line"), _("Product code"),
                     _("Product"), _("Unit"), _("Ordered"), _("Shipped"), _("Awaiting"),
                     _("Awaiting amount")])
    for entry in orders:
        for item in entry.lines:
            line = item.line
            writer.writerow([entry.order.number, entry.order.created_at.date().isoformat(),
                             entry.order.po_number, line.line_no, line.product_code,
                             line.product_name, line.unit, _plain(item.ordered),
                             _plain(item.shipped), _plain(item.awaiting),
                             _plain(item.awaiting_amount)])
    writer.writerow([_("Total"), "", "", "", "", "", "", _plain(grand.ordered),
                     _plain(grand.shipped), _plain(grand.awaiting),
                     _plain(grand.awaiting_amount)])
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="order-statement.csv"'
    return response


def _plain(value: Decimal) -> str:
    """A machine-readable number: dot decimal separator, no trailing zeros beyond cents."""
    text = format(value.normalize(), "f")
    return text


@bp.route("/panel")
@require_permission("orders.view")
def panel():
    company_id = current_company_id()
    session = get_session()
    open_orders = session.scalars(
        select(Order).where(Order.company_id == company_id,
                            Order.status.in_(("sent", IN_PROGRESS)))
        .order_by(Order.created_at.desc(), Order.id.desc()).limit(5)).all()
    from sqlalchemy import func

    open_count = session.scalar(
        select(func.count()).select_from(Order)
        .where(Order.company_id == company_id, Order.status.in_(("sent", IN_PROGRESS))))
    orders, grand, _pages = build(company_id)
    awaiting_lines = sum(1 for entry in orders for item in entry.lines if item.awaiting > 0)
    return render_page("orders/panel.html", partials={"panel-open-orders": "orders/_panel.html"},
                       open_orders=open_orders, open_count=open_count, grand=grand,
                       awaiting_lines=awaiting_lines)
