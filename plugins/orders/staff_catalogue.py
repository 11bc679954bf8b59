"""Staff pages for a business without an ERP: products, categories, price lists and prices, and
the price list a company buys at. Each save is one transaction with its audit entry."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from portal.core import audit
from portal.core.access import require_staff
from portal.core.db import assign_changed, get_session
from portal.core.forms import choices
from portal.core.models import CustomerCompany
from portal.core.paging import Key
from portal.core.rendering import render_page
from portal.core.text import escape_like, search_key
from portal.core.views.admin_common import get_or_404, paginate

from .blueprint import staff_bp
from .forms import (
    CategoryForm,
    CompanyPriceListForm,
    PriceForm,
    PriceListForm,
    ProductForm,
    ProductSearch,
)
from .models import Category, CompanyPriceList, Price, PriceList, Product


def _like(text: str) -> str:
    return f"%{escape_like(text)}%"


def _taken(model, column: str, value, own_id: int | None) -> bool:
    stmt = select(model.id).where(getattr(model, column) == value)
    if own_id is not None:
        stmt = stmt.where(model.id != own_id)
    return get_session().scalar(stmt) is not None


# -- products ----------------------------------------------------------------------------------


@staff_bp.route("/products")
@require_staff
def products():
    form = ProductSearch(request.args)
    q = (form.q.data or "").strip() if form.validate() else ""
    stmt = (select(Product, Category.name).outerjoin(Category, Category.id == Product.category_id)
            .order_by(Product.search_key, Product.id))
    if q:
        stmt = stmt.where(Product.search_key.like(_like(search_key(q)), escape="\\")
                          | (Product.code == q))
    page = paginate(stmt, [Key(Product.search_key), Key(Product.id)], scalars=False)
    return render_page("orders/staff_products.html",
                       {"staff-product-table": "orders/_staff_products.html"},
                       form=form, page=page, q=q)


def _category_choices(current_id: int | None):
    rows = get_session().execute(select(Category.id, Category.name, Category.active)
                                 .order_by(Category.position, Category.name)).all()
    return choices([("", _("No category"))] + [
        (str(cid), name if active else _("%(name)s (inactive)", name=name))
        for cid, name, active in rows if active or cid == current_id])


def _product_page(form: ProductForm, product: Product | None):
    status = 422 if form.errors else 200
    return render_page("orders/staff_product_form.html", form=form, product=product), status


def _save_product(form: ProductForm, product: Product) -> list[str]:
    category = form.category_id.data
    return assign_changed(product, {
        "code": form.code.data.strip(), "name": form.name.data.strip(),
        "category_id": int(category) if category and str(category).isdigit() else None,
        "unit": form.unit.data.strip(), "whole_units": bool(form.whole_units.data),
        "tax_rate": form.tax_rate.data, "description": (form.description.data or "").strip(),
        "active": bool(form.active.data)})


def _product_valid(form: ProductForm, own_id: int | None) -> bool:
    valid = form.validate_on_submit()
    if form.is_submitted() and form.code.data and _taken(Product, "code", form.code.data.strip(),
                                                         own_id):
        form.code.errors.append(_("Another product already has this code."))
        valid = False
    return valid


@staff_bp.route("/products/new", methods=["GET", "POST"])
@require_staff
def new_product():
    form = ProductForm()
    form.category_id.choices = _category_choices(None)
    if request.method == "GET" and form.tax_rate.data is None:
        from decimal import Decimal

        form.tax_rate.data = Decimal("20")
    if _product_valid(form, None):
        db = get_session()
        product = Product(code="", name="")
        _save_product(form, product)
        db.add(product)
        db.flush()
        audit.record("orders.product.create", "product", product.id, code=product.code)
        db.commit()
        flash(_("Product %(code)s created.", code=product.code), "success")
        return redirect(url_for("orders_staff.product", product_id=product.id), code=303)
    return _product_page(form, None)


@staff_bp.route("/products/<int:product_id>", methods=["GET", "POST"])
@require_staff
def product(product_id: int):
    product = get_or_404(Product, product_id)
    form = ProductForm(obj=product)
    form.category_id.choices = _category_choices(product.category_id)
    if request.method == "GET":
        form.category_id.data = str(product.category_id or "")
    if _product_valid(form, product.id):
        db = get_session()
        changed = _save_product(form, product)
        if changed:
            audit.record("orders.product.update", "product", product.id, code=product.code,
                         fields=sorted(changed))
        db.commit()
        flash(_("Product %(code)s saved.", code=product.code), "success")
        return redirect(url_for("orders_staff.product", product_id=product.id), code=303)
    return _product_page(form, product)


@staff_bp.route("/products/<int:product_id>/deactivate", methods=["POST"])
@require_staff
def deactivate_product(product_id: int):
    from portal.core.forms import Form

    product = get_or_404(Product, product_id)
    if Form().validate_on_submit() and product.active:
        product.active = False
        audit.record("orders.product.update", "product", product.id, code=product.code,
                     fields=["active"])
        get_session().commit()
        flash(_("Product %(code)s is withdrawn: customers no longer see it.",
                code=product.code), "success")
    return redirect(url_for("orders_staff.product", product_id=product.id), code=303)


# -- categories --------------------------------------------------------------------------------


@staff_bp.route("/categories")
@require_staff
def categories():
    page = paginate(select(Category),
                    [Key(Category.position), Key(Category.name), Key(Category.id)])
    return render_page("orders/staff_categories.html", categories=page.items, page=page)


def _category_form_page(form: CategoryForm, category: Category | None):
    status = 422 if form.errors else 200
    return render_page("orders/staff_category_form.html", form=form,
                       category=category), status


def _save_category(form: CategoryForm, category: Category) -> list[str]:
    return assign_changed(category, {
        "code": form.code.data.strip(), "name": form.name.data.strip(),
        "position": int(form.position.data.strip()) if form.position.data else 0,
        "active": bool(form.active.data)})


def _category_valid(form: CategoryForm, own_id: int | None) -> bool:
    valid = form.validate_on_submit()
    if form.is_submitted() and form.code.data and _taken(Category, "code",
                                                         form.code.data.strip(), own_id):
        form.code.errors.append(_("Another category already has this code."))
        valid = False
    return valid


@staff_bp.route("/categories/new", methods=["GET", "POST"])
@require_staff
def new_category():
    form = CategoryForm()
    if _category_valid(form, None):
        db = get_session()
        category = Category(code="", name="")
        _save_category(form, category)
        db.add(category)
        db.flush()
        audit.record("orders.category.create", "category", category.id, code=category.code)
        db.commit()
        flash(_("Category %(name)s created.", name=category.name), "success")
        return redirect(url_for("orders_staff.categories"), code=303)
    return _category_form_page(form, None)


@staff_bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@require_staff
def category(category_id: int):
    category = get_or_404(Category, category_id)
    form = CategoryForm(obj=category)
    if request.method == "GET":
        form.position.data = str(category.position)
    if _category_valid(form, category.id):
        db = get_session()
        changed = _save_category(form, category)
        if changed:
            audit.record("orders.category.update", "category", category.id,
                         code=category.code, fields=sorted(changed))
        db.commit()
        flash(_("Category %(name)s saved.", name=category.name), "success")
        return redirect(url_for("orders_staff.categories"), code=303)
    return _category_form_page(form, category)


# -- price lists and prices --------------------------------------------------------------------


@staff_bp.route("/price-lists")
@require_staff
def price_lists():
    page = paginate(select(PriceList), [Key(PriceList.code), Key(PriceList.id)])
    return render_page("orders/staff_price_lists.html", price_lists=page.items, page=page)


def _save_price_list(form: PriceListForm, price_list: PriceList) -> list[str]:
    db = get_session()
    changed = assign_changed(price_list, {
        "code": form.code.data.strip(), "name": form.name.data.strip(),
        "currency": form.currency.data, "is_default": bool(form.is_default.data)})
    if price_list.is_default and "is_default" in changed:
        for other in db.scalars(select(PriceList).where(PriceList.is_default,
                                                        PriceList.id != (price_list.id or 0))):
            other.is_default = False
    return changed


def _price_list_valid(form: PriceListForm, own_id: int | None) -> bool:
    valid = form.validate_on_submit()
    if form.is_submitted() and form.code.data and _taken(PriceList, "code",
                                                         form.code.data.strip(), own_id):
        form.code.errors.append(_("Another price list already has this code."))
        valid = False
    return valid


@staff_bp.route("/price-lists/new", methods=["GET", "POST"])
@require_staff
def new_price_list():
    form = PriceListForm()
    if _price_list_valid(form, None):
        db = get_session()
        price_list = PriceList(code="", name="")
        _save_price_list(form, price_list)
        db.add(price_list)
        db.flush()
        audit.record("orders.price_list.create", "price_list", price_list.id,
                     code=price_list.code)
        db.commit()
        flash(_("Price list %(name)s created.", name=price_list.name), "success")
        return redirect(url_for("orders_staff.price_list", price_list_id=price_list.id), code=303)
    return (render_page("orders/staff_price_list.html", form=form, price_list=None,
                        price_form=None, page=None), 422 if form.errors else 200)


def _price_page(price_list: PriceList):
    stmt = (select(Price.unit_price, Product.id, Product.code, Product.name)
            .join(Product, Product.id == Price.product_id)
            .where(Price.price_list_id == price_list.id)
            .order_by(Product.search_key, Product.id))
    return paginate(stmt, [Key(Product.search_key), Key(Product.id)], scalars=False,
                    endpoint="orders_staff.price_list",
                    price_list_id=price_list.id)


@staff_bp.route("/price-lists/<int:price_list_id>", methods=["GET", "POST"])
@require_staff
def price_list(price_list_id: int):
    price_list = get_or_404(PriceList, price_list_id)
    form = PriceListForm(obj=price_list)
    if _price_list_valid(form, price_list.id):
        db = get_session()
        changed = _save_price_list(form, price_list)
        if changed:
            audit.record("orders.price_list.update", "price_list", price_list.id,
                         code=price_list.code, fields=sorted(changed))
        db.commit()
        flash(_("Price list %(name)s saved.", name=price_list.name), "success")
        return redirect(url_for("orders_staff.price_list", price_list_id=price_list.id), code=303)
    return (render_page("orders/staff_price_list.html", form=form, price_list=price_list,
                        price_form=PriceForm(formdata=None), page=_price_page(price_list)),
            422 if form.errors else 200)


@staff_bp.route("/price-lists/<int:price_list_id>/prices", methods=["POST"])
@require_staff
def set_price(price_list_id: int):
    price_list = get_or_404(PriceList, price_list_id)
    price_form = PriceForm()
    db = get_session()
    valid = price_form.validate_on_submit()
    product = None
    if valid:
        product = db.scalar(select(Product).where(Product.code == price_form.product.data.strip()))
        if product is None:
            price_form.product.errors.append(_("There is no product with this code."))
            valid = False
    if not valid:
        return render_page("orders/staff_price_list.html", form=PriceListForm(obj=price_list),
                           price_list=price_list, price_form=price_form,
                           page=_price_page(price_list)), 422
    row = db.scalar(select(Price).where(Price.price_list_id == price_list.id,
                                        Price.product_id == product.id))
    old = None if row is None else str(row.unit_price)
    if row is None:
        row = Price(price_list_id=price_list.id, product_id=product.id)
        db.add(row)
    row.unit_price = price_form.price.data
    audit.record("orders.price.set", "price_list", price_list.id, product=product.code,
                 old=old, new=str(price_form.price.data))
    db.commit()
    flash(_("The price of %(code)s in %(list)s is saved.", code=product.code,
            list=price_list.name), "success")
    return redirect(url_for("orders_staff.price_list", price_list_id=price_list.id), code=303)


# -- a company's price list --------------------------------------------------------------------


@staff_bp.route("/companies/<int:company_id>/price-list", methods=["GET", "POST"])
@require_staff
def company_price_list(company_id: int):
    company = get_or_404(CustomerCompany, company_id)
    db = get_session()
    current = db.get(CompanyPriceList, company.id)
    form = CompanyPriceListForm(data={"price_list": str(current.price_list_id) if current else ""})
    lists = db.execute(select(PriceList.id, PriceList.name, PriceList.currency)
                       .order_by(PriceList.code)).all()
    form.price_list.choices = choices(
        [("", _("The default price list"))]
        + [(str(pid), f"{name} ({currency})") for pid, name, currency in lists])
    if form.validate_on_submit():
        chosen = int(form.price_list.data) if form.price_list.data else None
        before = current.price_list_id if current else None
        if chosen != before:
            if chosen is None:
                db.delete(current)
            elif current is None:
                db.add(CompanyPriceList(company_id=company.id, price_list_id=chosen))
            else:
                current.price_list_id = chosen
            audit.record("orders.company_price_list", "company", company.id, old=before,
                         new=chosen)
        db.commit()
        flash(_("%(company)s buys at the chosen price list.", company=company.name), "success")
        return redirect(url_for("orders_staff.company_price_list", company_id=company.id),
                        code=303)
    return (render_page("orders/staff_company_price_list.html", form=form, company=company),
            422 if form.errors else 200)
