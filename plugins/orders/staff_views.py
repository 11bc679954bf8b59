"""Staff pages: the inbox of received orders, status changes and shipments."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal.core.access import require_staff
from portal.core.db import get_session, utcnow
from portal.core.models import CustomerCompany
from portal.core.rendering import render_page

from . import bridge, fulfilment, queries
from .blueprint import staff_bp
from .forms import CancelForm, OrderFilter, status_choices
from .models import CANCELLED, COMPLETED, IN_PROGRESS, Order
from .ordering import OrderError, change_status
from .quantities import QuantityError, parse_quantity


def _order_or_404(order_id: int) -> Order:
    order = queries.load_order(order_id)
    if order is None:
        abort(404)
    return order


@staff_bp.route("/")
@require_staff
def inbox():
    args = MultiDict(request.args)
    args.setdefault("status", "sent")
    form = OrderFilter(args)
    form.status.choices = status_choices([("open", _("Open (sent or in progress)"))])
    valid = form.validate()
    stmt = select(Order, CustomerCompany.name).join(
        CustomerCompany, CustomerCompany.id == Order.company_id)
    if valid:
        stmt = queries.filter_orders(stmt, status=form.status.data or "",
                                     date_from=form.date_from.data, date_to=form.date_to.data,
                                     number=form.q.data or "")
    page = queries.page_of(stmt)
    return render_page("orders/staff_inbox.html", {"order-results": "orders/_order_results.html"},
                       form=form, rows=page.items, staff=True, page=page)


@staff_bp.route("/<int:order_id>")
@require_staff
def show(order_id: int):
    order = _order_or_404(order_id)
    session = get_session()
    company = session.get(CustomerCompany, order.company_id)
    shipped = bridge.shipped_by_line(session, [line.id for line in order.lines])
    documents = bridge.related_documents(session, order)
    return render_page("orders/staff_order.html", order=order, company=company, shipped=shipped,
                       documents=documents, cancel_form=CancelForm())


def _change(order_id: int, status: str, note: str = ""):
    order = _order_or_404(order_id)
    session = get_session()
    try:
        change_status(session, order, status, current_user, note)
    except OrderError as exc:
        session.rollback()
        flash(str(exc), "error")
    else:
        session.commit()
        flash(_("Order %(number)s is now %(status)s.", number=order.number,
                status=_status_text(status)), "success")
    return redirect(url_for("orders_staff.show", order_id=order_id), code=303)


def _status_text(status: str) -> str:
    from .forms import STATUS_LABELS

    return str(STATUS_LABELS[status]).lower()


@staff_bp.route("/<int:order_id>/accept", methods=["POST"])
@require_staff
def accept(order_id: int):
    return _change(order_id, IN_PROGRESS)


@staff_bp.route("/<int:order_id>/complete", methods=["POST"])
@require_staff
def complete(order_id: int):
    """Quantities still unshipped: a page that says so and asks to confirm (no JavaScript)."""
    order = _order_or_404(order_id)
    if order.status == IN_PROGRESS and request.form.get("confirm") != "1":
        shipped = bridge.shipped_by_line(get_session(), [line.id for line in order.lines])
        unshipped = [(line, line.quantity - shipped.get(line.id, Decimal("0")))
                     for line in order.lines
                     if line.quantity > shipped.get(line.id, Decimal("0"))]
        if unshipped:
            return render_page("orders/staff_complete.html", order=order, unshipped=unshipped)
    return _change(order_id, COMPLETED)


@staff_bp.route("/<int:order_id>/cancel", methods=["POST"])
@require_staff
def cancel(order_id: int):
    form = CancelForm()
    if not form.validate_on_submit():
        order = _order_or_404(order_id)
        session = get_session()
        company = session.get(CustomerCompany, order.company_id)
        shipped = bridge.shipped_by_line(session, [line.id for line in order.lines])
        documents = bridge.related_documents(session, order)
        return render_page("orders/staff_order.html", order=order, company=company,
                           shipped=shipped, documents=documents, cancel_form=form), 422
    return _change(order_id, CANCELLED, form.reason.data.strip())


@staff_bp.route("/<int:order_id>/ship", methods=["GET", "POST"])
@require_staff
def ship(order_id: int):
    order = _order_or_404(order_id)
    session = get_session()
    if order.status != IN_PROGRESS:
        flash(_("Only an order in progress can be shipped; accept it first."), "error")
        return redirect(url_for("orders_staff.show", order_id=order.id), code=303)
    shipped = bridge.shipped_by_line(session, [line.id for line in order.lines])
    remaining = fulfilment.remaining_by_line(session, order)
    entered: dict[int, str] = {}
    errors: dict[int, str] = {}
    form_error = ""
    status = 200
    if request.method == "POST":
        quantities = {}
        for line in order.lines:
            text = request.form.get(f"ship-{line.id}", "").strip()
            entered[line.id] = text
            if not text or text in {"0", "0,0", "0.0"}:
                continue
            try:
                qty = parse_quantity(text, whole=False)
            except QuantityError as exc:
                errors[line.id] = str(exc)
                continue
            if qty > remaining[line.id]:
                errors[line.id] = _("At most %(max)s remain to ship.",
                                    max=format_decimal(remaining[line.id]))
                continue
            quantities[line] = qty
        if not errors and not quantities:
            form_error = _("Enter the quantity shipped for at least one line.")
        if not errors and quantities:
            document = fulfilment.ship(session, order, quantities, issued_on=utcnow().date(),
                                       actor=current_user)
            session.commit()
            flash(_("Goods issue %(number)s was created for order %(order)s.",
                    number=document.number, order=order.number), "success")
            return redirect(url_for("orders_staff.show", order_id=order.id), code=303)
        status = 422
    return render_page("orders/staff_ship.html", order=order, shipped=shipped,
                       remaining=remaining, entered=entered, errors=errors,
                       form_error=form_error), status
