"""Customer order pages: checkout, order from a quotation, list, order page, cancel, reorder."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.core.access import current_company_id, require_permission
from portal.core.db import get_session, utcnow
from portal.core.models import CustomerCompany
from portal.core.rendering import render_page

from . import bridge, catalogue, queries
from . import cart as carts
from .blueprint import bp
from .forms import OrderDetailsForm, OrderFilter, company_addresses
from .models import CANCELLED, FROM_QUOTATION, Order
from .ordering import (
    NewLine,
    OrderDetails,
    OrderError,
    cancel_by_customer,
    copy_to_cart,
    place_from_cart,
    place_order,
    shown_at_from,
    submit_once,
)
from .quantities import QuantityError, parse_quantity


def _details_form() -> OrderDetailsForm:
    company = get_session().get(CustomerCompany, current_company_id())
    return OrderDetailsForm(company_addresses(company))


def _details(form: OrderDetailsForm) -> OrderDetails:
    return OrderDetails(idempotency_key=form.idempotency_key.data,
                        delivery_address=form.delivery_address(),
                        requested_delivery_on=form.requested_delivery_on.data,
                        po_number=form.po_number.data or "", comment=form.comment.data or "")


def _placed(order: Order, created: bool):
    if created:
        flash(_("Order %(number)s was sent to us. Thank you!", number=order.number), "success")
    else:
        flash(_("Order %(number)s had already been sent; it was not sent twice.",
                number=order.number), "info")
    return redirect(url_for("orders.show", order_id=order.id), code=303)


@bp.route("/checkout", methods=["GET", "POST"])
@require_permission("orders.create")
def checkout():
    session = get_session()
    form = _details_form()
    status = 200
    if form.validate_on_submit():
        try:
            shown_at = shown_at_from(request.form.get("cart_shown_at", ""))
            order, created = submit_once(
                session, current_company_id(), form.idempotency_key.data,
                lambda: place_from_cart(session, current_user, _details(form), shown_at))
        except OrderError as exc:
            session.rollback()
            form.form_errors.append(str(exc))
            status = 422
        else:
            return _placed(order, created)
    elif request.method == "POST":
        status = 422
    return render_page("orders/checkout.html", form=form, cart=carts.load(),
                       shown_at=utcnow().isoformat()), status


# -- from a quotation ------------------------------------------------------------------------------


class QuotationLine:
    def __init__(self, doc_line, row, error: str = ""):
        self.doc_line = doc_line
        self.row = row
        self.error = error
        self.entered = None
        self.input_error = ""

    @property
    def orderable(self) -> bool:
        return not self.error

    @property
    def whole_units(self) -> bool:
        return self.row.product.whole_units if self.row else False


def _quotation_lines(quotation) -> list[QuotationLine]:
    codes = {line.product_code for line in quotation.lines if line.product_code}
    visible = catalogue.visible_by_codes(codes)
    from sqlalchemy import func

    from .models import Product

    upper = sorted({c.upper() for c in codes})
    known = set(get_session().scalars(
        select(func.upper(Product.code)).where(func.upper(Product.code).in_(upper)))) if upper \
        else set()
    result = []
    for line in quotation.lines:
        code = (line.product_code or "").upper()
        row = visible.get(code)
        error = ""
        if code in known and row is None:
            error = _("You cannot order this product any more.")
        result.append(QuotationLine(line, row, error))
    return result


@bp.route("/from-quotation/<int:document_id>", methods=["GET", "POST"])
@require_permission("orders.create")
def from_quotation(document_id: int):
    session = get_session()
    company_id = current_company_id()
    quotation = bridge.get_quotation(session, company_id, document_id)
    if quotation is None:
        abort(404)
    today = utcnow().date()
    is_open = bridge.quotation_is_open(quotation, today)
    earlier = session.scalar(select(Order).where(Order.company_id == company_id,
                                                 Order.quotation_id == quotation.id,
                                                 Order.status != CANCELLED).limit(1))
    lines = _quotation_lines(quotation)
    form = _details_form()
    status = 200
    if request.method == "POST":
        status = 422
        new_lines = []
        for qline in lines:
            if not qline.orderable:
                continue
            text = request.form.get(f"qty-{qline.doc_line.id}", "").strip()
            qline.entered = text
            if not text or text in {"0", "0,0", "0.0"}:
                continue  # the customer dropped this line
            try:
                qty = parse_quantity(text, qline.whole_units)
            except QuantityError as exc:
                qline.input_error = str(exc)
                continue
            if qty > qline.doc_line.quantity:
                qline.input_error = _("You can lower the quantity, not raise it (at most "
                                      "%(max)s).", max=format_decimal(qline.doc_line.quantity))
                continue
            doc_line = qline.doc_line
            new_lines.append(NewLine(
                qline.row.product.id if qline.row else None, doc_line.product_code,
                doc_line.product_name, doc_line.unit, qty, doc_line.unit_price,
                doc_line.tax_rate, doc_line.discount_rate or Decimal("0")))
        valid = form.validate_on_submit()
        if not is_open:
            form.form_errors.append(_("This quotation is no longer valid."))
        elif earlier is not None:
            form.form_errors.append(_("This quotation was already ordered."))
        elif any(q.input_error for q in lines):
            pass
        elif not new_lines:
            form.form_errors.append(_("Keep at least one line to order."))
        elif valid:
            try:
                order, created = submit_once(
                    session, company_id, form.idempotency_key.data,
                    lambda: place_order(session, company_id=company_id, user=current_user,
                                        lines=new_lines, details=_details(form),
                                        currency=quotation.currency, source=FROM_QUOTATION,
                                        quotation=quotation))
            except OrderError as exc:
                session.rollback()
                form.form_errors.append(str(exc))
            else:
                return _placed(order, created)
    return render_page("orders/from_quotation.html", quotation=quotation,
                       lines=lines, form=form, is_open=is_open, earlier=earlier), status


# -- tracking ------------------------------------------------------------------------------------


@bp.route("/")
@require_permission("orders.view")
def index():
    form = OrderFilter(request.args)
    valid = form.validate()
    stmt = select(Order).where(Order.company_id == current_company_id())
    if valid:
        stmt = queries.filter_orders(stmt, status=form.status.data or "",
                                     date_from=form.date_from.data, date_to=form.date_to.data,
                                     number=form.q.data or "")
    page = queries.page_of(stmt, scalars=True)
    return render_page("orders/index.html", {"order-results": "orders/_order_results.html"},
                       form=form, rows=[(order, None) for order in page.items], staff=False,
                       page=page)


def _customer_order_or_404(order_id: int) -> Order:
    order = queries.load_order(order_id, current_company_id())
    if order is None:
        abort(404)
    return order


@bp.route("/<int:order_id>")
@require_permission("orders.view")
def show(order_id: int):
    order = _customer_order_or_404(order_id)
    session = get_session()
    shipped = bridge.shipped_by_line(session, [line.id for line in order.lines])
    documents = bridge.related_documents(session, order)
    return render_page("orders/show.html", order=order, shipped=shipped, documents=documents,
                       staff=False)


@bp.route("/<int:order_id>/cancel", methods=["POST"])
@require_permission("orders.create")
def cancel(order_id: int):
    order = _customer_order_or_404(order_id)
    session = get_session()
    try:
        cancel_by_customer(session, order, current_user,
                           (request.form.get("reason") or "").strip()[:1000])
    except OrderError as exc:
        session.rollback()
        flash(str(exc), "error")
    else:
        session.commit()
        flash(_("Order %(number)s was cancelled.", number=order.number), "success")
    return redirect(url_for("orders.show", order_id=order.id), code=303)


@bp.route("/<int:order_id>/reorder", methods=["POST"])
@require_permission("orders.create")
def reorder(order_id: int):
    order = _customer_order_or_404(order_id)
    report = copy_to_cart(order, current_user)
    get_session().commit()
    if report.added:
        flash(_("The products of order %(number)s are in your cart at today's prices.",
                number=order.number), "success")
    for name in report.unavailable:
        flash(_("%(product)s is no longer available and was left out.", product=name), "warning")
    for name, old, new in report.price_changes:
        flash(_("The price of %(product)s changed from %(old)s to %(new)s.", product=name,
                old=format_decimal(old), new=format_decimal(new)), "warning")
    return redirect(url_for("orders.cart"), code=303)


@bp.route("/quotations")
@require_permission("orders.create")
def quotations():
    session = get_session()
    company_id = current_company_id()
    page = bridge.open_quotations_page(session, company_id, utcnow().date(), queries.PAGE_SIZE)
    rows = page.items
    # A quotation already ordered shows the order it became, not "Create order" (one query).
    ordered = {order.quotation_id: order for order in session.scalars(
        select(Order).where(Order.company_id == company_id, Order.status != CANCELLED,
                            Order.quotation_id.in_([q.id for q in rows])))} if rows else {}
    return render_page("orders/quotations.html", quotations=rows, page=page, ordered=ordered)
