"""CSV and XLSX of the order list: the customer's own orders and the staff inbox.

The same filters as the list page; every matching order (not one page), streamed from plain
column tuples in a session the export owns (see :mod:`portal.core.exports`).
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal.core.access import current_company_id, require_permission, require_staff
from portal.core.exports import export_response
from portal.core.models import CustomerCompany

from . import queries
from .blueprint import bp, staff_bp, status_label
from .forms import OrderFilter, status_choices
from .models import Order

COLUMNS = (Order.number, Order.created_at, Order.status, Order.po_number, Order.placed_by_name,
           Order.currency, Order.net_total, Order.tax_total, Order.gross_total)


def _filtered(stmt, form: OrderFilter):
    if form.validate():
        stmt = queries.filter_orders(stmt, status=form.status.data or "",
                                     date_from=form.date_from.data, date_to=form.date_to.data,
                                     number=form.q.data or "")
    return stmt.order_by(Order.created_at.desc(), Order.id.desc())


def _export(fmt: str, stmt, name: str, with_customer: bool):
    header = [_("Number"), _("Date"), _("Status"), _("PO number"), _("Placed by"),
              _("Currency"), _("Net"), _("Tax"), _("Total")]
    if with_customer:
        header.insert(1, _("Customer"))
    status_at = 3 if with_customer else 2
    labels = {}

    def rows(session):
        for row in session.execute(stmt.execution_options(yield_per=1000)):
            row = list(row)
            status = row[status_at]
            if status not in labels:
                labels[status] = status_label(status)
            row[status_at] = labels[status]
            yield row

    return export_response(fmt, name, header, rows, title=_("Orders"))


@bp.route("/export.csv", defaults={"fmt": "csv"})
@bp.route("/export.<any(xlsx):fmt>")
@require_permission("orders.view")
def export(fmt: str):
    stmt = select(*COLUMNS).where(Order.company_id == current_company_id())
    return _export(fmt, _filtered(stmt, OrderFilter(request.args)), "orders",
                   with_customer=False)


@staff_bp.route("/export.csv", defaults={"fmt": "csv"})
@staff_bp.route("/export.<any(xlsx):fmt>")
@require_staff
def staff_export(fmt: str):
    args = MultiDict(request.args)
    args.setdefault("status", "sent")
    form = OrderFilter(args)
    form.status.choices = status_choices([("open", _("Open (sent or in progress)"))])
    stmt = (select(COLUMNS[0], CustomerCompany.name, *COLUMNS[1:])
            .join(CustomerCompany, CustomerCompany.id == Order.company_id))
    return _export(fmt, _filtered(stmt, form), "orders", with_customer=True)
