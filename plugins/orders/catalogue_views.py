"""Catalogue, product page and comparison (customer pages)."""

from __future__ import annotations

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _

from portal.core.access import require_permission
from portal.core.forms import choices
from portal.core.params import parse_id
from portal.core.rendering import render_page

from . import catalogue
from .blueprint import bp, safe_next
from .forms import CatalogueFilter

COMPARE_KEY = "orders_compare"
COMPARE_MAX = 4


def compare_ids() -> list[int]:
    return [int(i) for i in session.get(COMPARE_KEY, []) if str(i).isdigit()]


@bp.route("/catalogue")
@require_permission("orders.catalogue")
def catalogue_index():
    form = CatalogueFilter(request.args)
    categories = catalogue.visible_categories()
    form.category.choices = choices([("", _("All categories"))] + categories)
    q = (form.q.data or "")[:100]
    category = form.category.data if form.category.data in dict(categories) else ""
    page = catalogue.search(q, category)
    return render_page("orders/catalogue.html",
                       {"catalogue-results": "orders/_catalogue_results.html"},
                       form=form, rows=page.items, page=page,
                       compare=compare_ids(), q=q, currency=catalogue.price_list_for().currency)


@bp.route("/products/<int:product_id>")
@require_permission("orders.catalogue")
def product(product_id: int):
    row = catalogue.get_visible_or_404(product_id)
    return render_page("orders/product.html", row=row, compare=compare_ids(),
                       quantity=request.args.get("quantity", "1"), quantity_error=None,
                       currency=catalogue.price_list_for().currency)


@bp.route("/compare")
@require_permission("orders.catalogue")
def compare():
    ids = compare_ids()
    found = catalogue.visible_by_ids(ids)
    rows = [found[i] for i in ids if i in found]
    names = []
    for row in rows:
        for name in (row.product.attributes or {}):
            if name not in names:
                names.append(name)
    table = []
    for name in names:
        values = [str((row.product.attributes or {}).get(name, "")) for row in rows]
        table.append((name, values, len(set(values)) > 1))
    return render_page("orders/compare.html", rows=rows, table=table,
                       currency=catalogue.price_list_for().currency)


@bp.route("/compare/add", methods=["POST"])
@require_permission("orders.catalogue")
def compare_add():
    product_id = request.form.get("product_id", type=parse_id)
    row = catalogue.get_visible_or_404(product_id) if product_id else None
    if row is None:
        return redirect(url_for("orders.catalogue_index"), code=303)
    ids = compare_ids()
    if product_id in ids:
        flash(_("%(name)s is already in the comparison.", name=row.product.name), "info")
    elif len(ids) >= COMPARE_MAX:
        flash(_("You can compare up to %(num)d products. Remove one first.", num=COMPARE_MAX),
              "error")
    else:
        session[COMPARE_KEY] = ids + [product_id]
        flash(_("%(name)s was added to the comparison.", name=row.product.name), "success")
    return redirect(safe_next(url_for("orders.compare")), code=303)


@bp.route("/compare/remove", methods=["POST"])
@require_permission("orders.catalogue")
def compare_remove():
    product_id = request.form.get("product_id", type=parse_id)
    session[COMPARE_KEY] = [i for i in compare_ids() if i != product_id]
    flash(_("The product was removed from the comparison."), "success")
    return redirect(safe_next(url_for("orders.compare")), code=303)


@bp.route("/compare/clear", methods=["POST"])
@require_permission("orders.catalogue")
def compare_clear():
    session.pop(COMPARE_KEY, None)
    flash(_("The comparison is empty now."), "success")
    return redirect(url_for("orders.compare"), code=303)
