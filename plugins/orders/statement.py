"""The order statement: for orders in progress, ordered / shipped / awaiting per line.

Shipped quantities are the order lines' ``shipped_quantity``, which the orders plugin keeps
equal to the goods-issue lines linked to each line (``bridge.refresh_shipped``), so totals
read only the order lines of the company's orders in progress. Awaiting is ordered minus
shipped, never below zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask import Response, request
from flask_babel import gettext as _
from sqlalchemy import case, func, literal, select, tuple_

from portal.core.access import current_company_id, require_permission
from portal.core.db import get_session
from portal.core.exports import FORMATS, export_response
from portal.core.paging import Key, paginate
from portal.core.rendering import render_page

from . import queries
from .blueprint import bp
from .catalogue import money
from .forms import StatementFilter
from .models import IN_PROGRESS, OPEN_STATUSES, Order, OrderLine

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
    awaiting_lines: int = 0
    orders: int = 0

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


def _orders_stmt(company_id: int, product: str = "", date_from=None, date_to=None):
    """The ids of the company's orders in progress that match the filter."""
    stmt = select(Order.id).where(Order.company_id == company_id, Order.status == IN_PROGRESS)
    stmt = queries.filter_orders(stmt, date_from=date_from, date_to=date_to)
    if product:
        stmt = stmt.where(select(OrderLine.id).where(OrderLine.order_id == Order.id,
                                                     OrderLine.product_code == product)
                          .exists())
    return stmt


def _lines_of(orders, product: str):
    """Order lines of the orders in the subquery ``orders``, each with its shipped quantity."""
    stmt = (select(OrderLine, OrderLine.shipped_quantity.label("shipped"))
            .where(OrderLine.order_id.in_(select(orders.c.id))))
    if product:
        stmt = stmt.where(OrderLine.product_code == product)
    return stmt


def grand_totals(company_id: int, product: str = "", date_from=None, date_to=None) -> Totals:
    """Totals over every matching order, in one aggregate query (no row is loaded)."""
    orders = _orders_stmt(company_id, product, date_from, date_to).subquery()
    lines = _lines_of(orders, product).subquery()
    awaiting = lines.c.quantity - lines.c.shipped
    awaiting = case((awaiting > 0, awaiting), else_=0)
    amount = func.round(awaiting * lines.c.unit_price * (100 - lines.c.discount_rate) / 100, 2)
    row = get_session().execute(select(
        func.count(func.distinct(lines.c.order_id)),
        func.coalesce(func.sum(lines.c.quantity), 0),
        func.coalesce(func.sum(lines.c.shipped), 0),
        func.coalesce(func.sum(awaiting), 0),
        func.coalesce(func.sum(amount), 0),
        func.coalesce(func.sum(case((awaiting > 0, 1), else_=0)), 0))).one()
    count, ordered, shipped, waiting, waiting_amount, waiting_lines = row
    return Totals(ordered=_decimal(ordered), shipped=_decimal(shipped),
                  awaiting=_decimal(waiting), awaiting_amount=money(_decimal(waiting_amount)),
                  awaiting_lines=int(waiting_lines), orders=int(count))


def _decimal(value) -> Decimal:
    """SQLite answers sums as floats: back to a Decimal with no binary noise."""
    if isinstance(value, Decimal):
        return value
    return Decimal(str(round(value, 4))) if isinstance(value, float) else Decimal(value)


STATEMENT_ORDER = (Key(Order.created_at), Key(Order.id))
"""Oldest first: the order of the statement's orders (and of its pages)."""


def _group(rows, orders=None) -> list[StatementOrder]:
    """``StatementOrder`` entries from ``(line, shipped, order)`` rows, in the rows' order, or
    in the order of ``orders`` when given (rows then hold ``(line, shipped)`` only)."""
    grouped: dict[int, StatementOrder] = {}
    if orders is not None:
        grouped = {order.id: StatementOrder(order) for order in orders}
    for line, shipped, *rest in rows:
        if rest:
            entry = grouped.setdefault(line.order_id, StatementOrder(rest[0]))
        elif (entry := grouped.get(line.order_id)) is None:
            continue  # an order placed since the page was read: on its own page
        item = StatementLine(line, _decimal(shipped or 0))
        entry.lines.append(item)
        entry.totals.add(item)
    return [entry for entry in grouped.values() if entry.lines]


def build(company_id: int, product: str = "", date_from=None, date_to=None, *,
          limit: int | None = None):
    """``(orders, grand totals)`` for every matching order, oldest first (the CSV), or the
    ``limit`` oldest (the dashboard panel); two queries.

    Grand totals cover every matching order; they are one aggregate. Lines (with their shipped
    quantity) are loaded for the orders returned only.
    """
    session = get_session()
    grand = grand_totals(company_id, product, date_from, date_to)
    if grand.orders == 0:
        return [], grand
    orders_stmt = (_orders_stmt(company_id, product, date_from, date_to)
                   .order_by(*[key.clause for key in STATEMENT_ORDER]))
    if limit is not None:
        orders_stmt = orders_stmt.limit(limit)
    chosen = orders_stmt.subquery()
    rows = session.execute(
        _lines_of(chosen, product).add_columns(Order)
        .join(Order, Order.id == OrderLine.order_id)
        .order_by(Order.created_at, Order.id, OrderLine.line_no)).all()
    return _group(rows), grand


def build_page(company_id: int, product: str = "", date_from=None, date_to=None, *,
               page_size: int = queries.PAGE_SIZE, args=None):
    """``(orders of the page, grand totals, page)``; four queries on any page.

    The page (:func:`portal.core.paging.paginate`, keyset links, ``?page=N`` still accepted)
    costs its capped count and its orders; its lines are read by the page's first and last
    sort keys (a range, so the SQL is the same for every page and every company). Grand totals
    cover every matching order, not only the page shown. ``page`` is ``None`` when nothing
    matches.
    """
    session = get_session()
    grand = grand_totals(company_id, product, date_from, date_to)
    if grand.orders == 0:
        return [], grand, None
    stmt = _orders_stmt(company_id, product, date_from, date_to).with_only_columns(Order)
    page = paginate(stmt, order=STATEMENT_ORDER, per_page=page_size, args=args)
    if not page.items:
        return [], grand, page
    first, last = page.items[0], page.items[-1]
    keys = tuple_(Order.created_at, Order.id)
    shown = (_orders_stmt(company_id, product, date_from, date_to)
             .where(keys >= tuple_(literal(first.created_at, Order.created_at.type),
                                   literal(first.id)),
                    keys <= tuple_(literal(last.created_at, Order.created_at.type),
                                   literal(last.id)))
             .subquery())
    rows = session.execute(_lines_of(shown, product)
                           .order_by(OrderLine.order_id, OrderLine.line_no)).all()
    return _group(rows, page.items), grand, page


@bp.route("/statement")
@require_permission("orders.view")
def statement():
    company_id = current_company_id()
    form = StatementFilter(request.args)
    valid = form.validate()
    product = (form.product.data or "").strip().upper() if valid else ""
    date_from = form.date_from.data if valid else None
    date_to = form.date_to.data if valid else None
    if request.args.get("format") in FORMATS:
        orders, grand = build(company_id, product, date_from, date_to)
        return _export(request.args["format"], orders, grand)
    orders, grand, page = build_page(company_id, product, date_from, date_to)
    return render_page("orders/statement.html", form=form, orders=orders, grand=grand,
                       page=page)


def _export(fmt: str, orders, grand) -> Response:
    header = [_("Order"), _("Date"), _("PO number"), _("Line"), _("Product code"), _("Product"),
              _("Unit"), _("Ordered"), _("Shipped"), _("Awaiting"), _("Awaiting amount")]

    def rows(_session):  # the statement is already computed (one page of aggregates)
        for entry in orders:
            for item in entry.lines:
                line = item.line
                yield (entry.order.number, entry.order.created_at.date(), entry.order.po_number,
                       line.line_no, line.product_code, line.product_name, line.unit,
                       _plain(item.ordered), _plain(item.shipped), _plain(item.awaiting),
                       _plain(item.awaiting_amount))
        yield (_("Total"), None, None, None, None, None, None, _plain(grand.ordered),
               _plain(grand.shipped), _plain(grand.awaiting), _plain(grand.awaiting_amount))

    return export_response(fmt, "order-statement", header, rows, title=_("Order statement"))


def _plain(value: Decimal) -> Decimal:
    """Without trailing zeros (``112.5``, ``100``), still a number."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal


@bp.route("/panel")
@require_permission("orders.view")
def panel():
    """Open orders: the five newest, how many, and how many lines await shipment (3 queries)."""
    company_id = current_company_id()
    session = get_session()
    open_orders = session.scalars(
        select(Order).where(Order.company_id == company_id, Order.status.in_(OPEN_STATUSES))
        .order_by(Order.created_at.desc(), Order.id.desc()).limit(5)).all()
    open_count = session.scalar(
        select(func.count()).select_from(Order)
        .where(Order.company_id == company_id, Order.status.in_(OPEN_STATUSES)))
    grand = grand_totals(company_id)
    return render_page("orders/panel.html", {"panel-open-orders": "orders/_panel.html"},
                       open_orders=open_orders, open_count=open_count, grand=grand,
                       awaiting_lines=grand.awaiting_lines)


@bp.route("/panel/awaiting")
@require_permission("orders.view")
def awaiting_panel():
    """Orders in progress with goods still to ship, oldest first (three queries at most)."""
    orders, grand = build(current_company_id(), limit=5)
    return render_page("orders/awaiting_panel.html",
                       {"panel-awaiting-shipment": "orders/_awaiting_panel.html"},
                       waiting=[entry for entry in orders if entry.totals.awaiting > 0],
                       grand=grand)
