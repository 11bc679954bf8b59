"""Cart, adding to it (with the htmx cart badge), and quick order."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from portal.core.access import require_permission
from portal.core.db import get_session
from portal.core.params import parse_id
from portal.core.rendering import fragment_target, render_page
from portal.core.security import body_limit

from . import cart as carts
from . import catalogue
from . import quick_order as quick
from .blueprint import bp, safe_next
from .catalogue_views import compare_ids
from .quantities import QuantityError, parse_quantity

STATUS_TARGET = "cart-status"


def _status_fragment(status: int = 200, **context):
    """The #cart-status message and, out of band, the refreshed cart badge."""
    html = render_template("orders/_cart_status.html", count=carts.count_lines(), **context)
    return html, status


@bp.route("/cart")
@require_permission("orders.create")
def cart():
    return render_page("orders/cart.html", cart=carts.load(), errors={}, entered={})


@bp.route("/cart/add", methods=["POST"])
@require_permission("orders.create")
def cart_add():
    product_id = request.form.get("product_id", type=parse_id)
    row = catalogue.get_visible_or_404(product_id or 0)
    text = request.form.get("quantity", "1")
    htmx_status = fragment_target() == STATUS_TARGET
    try:
        if row.price is None:
            raise QuantityError(_("This product has no price for you yet; ask us for a "
                                  "quotation."))
        quantity = parse_quantity(text, row.product.whole_units)
        carts.add(row, quantity)
    except QuantityError as exc:
        if htmx_status:
            return _status_fragment(422, error=str(exc), product=row.product)
        if request.form.get("from") == "product":
            return render_page("orders/product.html", row=row,
                               compare=compare_ids(), quantity=text, quantity_error=str(exc),
                               currency=catalogue.price_list_for().currency), 422
        flash(_("%(name)s: %(error)s", name=row.product.name, error=str(exc)), "error")
        return redirect(safe_next(url_for("orders.catalogue_index")), code=303)
    get_session().commit()
    message = _("%(quantity)s %(unit)s of %(name)s added to your cart.",
                quantity=format_decimal(quantity), unit=row.product.unit, name=row.product.name)
    if htmx_status:
        return _status_fragment(message=message)
    flash(message, "success")
    return redirect(safe_next(url_for("orders.cart")), code=303)


@bp.route("/cart/lines/<int:line_id>", methods=["POST"])
@require_permission("orders.create")
def cart_update(line_id: int):
    line = carts.get_line_or_404(line_id)
    cart = carts.load()
    row = next(r for r in cart.rows if r.line.id == line.id)
    text = request.form.get("quantity", "")
    try:
        quantity = parse_quantity(text, row.product.whole_units)
    except QuantityError as exc:
        return render_page("orders/cart.html", cart=cart,
                           errors={line.id: str(exc)}, entered={line.id: text}), 422
    line.quantity = quantity
    get_session().commit()
    flash(_("The quantity of %(name)s is now %(quantity)s %(unit)s.", name=row.product.name,
            quantity=format_decimal(quantity), unit=row.product.unit), "success")
    return redirect(url_for("orders.cart"), code=303)


@bp.route("/cart/lines/<int:line_id>/remove", methods=["POST"])
@require_permission("orders.create")
def cart_remove(line_id: int):
    line = carts.get_line_or_404(line_id)
    session = get_session()
    session.delete(line)
    session.commit()
    flash(_("The product was removed from your cart."), "success")
    return redirect(url_for("orders.cart"), code=303)


@bp.route("/cart/accept-prices", methods=["POST"])
@require_permission("orders.create")
def cart_accept_prices():
    carts.accept_prices()
    get_session().commit()
    return redirect(safe_next(url_for("orders.cart")), code=303)


@bp.route("/quick-order", methods=["GET", "POST"])
@body_limit(quick.MAX_REQUEST_BYTES)
@require_permission("orders.create")
def quick_order():
    text = request.form.get("lines", "")
    error = None
    lines = None
    left_out = 0
    if request.method == "POST":
        upload = request.files.get("csv_file")
        if upload is not None and upload.filename:
            try:
                text = quick.read_csv(upload.read(quick.MAX_FILE_BYTES))
            except quick.QuickOrderFileError as exc:
                text, error = "", str(exc)
            if not error and not text.strip():
                error = _("The file has no lines of code and quantity.")
        if not error and not text.strip():
            error = _("Paste at least one line of product code and quantity.")
        if not error:
            lines = quick.check(text)
            left_out = max(0, len(quick.split_text(text)) - quick.MAX_LINES)
            if request.form.get("action") == "add":
                good = [line for line in lines if line.ok]
                for line in list(good):
                    try:
                        carts.add(line.row, line.quantity)
                    except QuantityError:  # with the cart's quantity it would pass the cap
                        good.remove(line)
                get_session().commit()
                skipped = len(lines) - len(good)
                flash(ngettext("%(num)d line was added to your cart.",
                               "%(num)d lines were added to your cart.", len(good)), "success")
                if left_out:
                    flash(_left_out_message(left_out), "warning")
                if skipped:
                    flash(ngettext("%(num)d line had a problem and was left out.",
                                   "%(num)d lines had problems and were left out.", skipped),
                          "warning")
                return redirect(url_for("orders.cart"), code=303)
    status = 422 if error else 200
    return render_page("orders/quick_order.html", text=text, error=error, lines=lines,
                       left_out=_left_out_message(left_out) if left_out else None,
                       max_lines=quick.MAX_LINES,
                       max_file=format_decimal(quick.MAX_FILE_BYTES // 1024)), status


def _left_out_message(count: int) -> str:
    return ngettext("Only the first %(max)d lines are read: %(num)d line after them was left "
                    "out.", "Only the first %(max)d lines are read: %(num)d lines after them "
                    "were left out.", count, max=quick.MAX_LINES)
