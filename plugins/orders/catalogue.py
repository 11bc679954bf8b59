"""Catalogue queries: what the current customer may see, find and buy, and at which price.

A customer's access groups may restrict it to some products (``orders.products``, values are
product codes) and/or some categories (``orders.categories``, values are category codes). When both
kinds restrict the user, a product must pass both. Withdrawn products (``active=False``) are never
shown. Everything customer-facing goes through :func:`visible` so no page can forget a rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask import abort, g
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select

from portal.core.access import current_company_id, restricted_values
from portal.core.db import get_session
from portal.core.paging import Key, Page, paginate
from portal.core.text import escape_like, search_key
from portal.core.types import RestrictionKind

from .models import Category, CompanyPriceList, Price, PriceList, Product

PRODUCTS_KIND = "orders.products"
CATEGORIES_KIND = "orders.categories"
PAGE_SIZE = 25
CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_amounts(quantity: Decimal, unit_price: Decimal, tax_rate: Decimal,
                 discount_rate: Decimal = Decimal("0")) -> tuple[Decimal, Decimal, Decimal]:
    """Net, tax and gross of a line, each rounded to cents half-up (as the documents are)."""
    net = money(quantity * unit_price * (Decimal(100) - discount_rate) / Decimal(100))
    tax = money(net * tax_rate / Decimal(100))
    return net, tax, net + tax


# -- restriction kinds ---------------------------------------------------------------------------


def _product_lookup(session, codes):
    """``{code: label}`` of the given product codes that exist (the catalogue can be huge, so
    administrators type codes instead of ticking every product)."""
    rows = session.execute(select(Product.code, Product.name)
                           .where(Product.code.in_(list(codes)))).all()
    return {code: f"{code} · {name}" for code, name in rows}


def _category_options(session):
    rows = session.execute(
        select(Category.code, Category.name).order_by(Category.position, Category.name)).all()
    return [(code, name) for code, name in rows]


RESTRICTION_KINDS = [
    RestrictionKind(PRODUCTS_KIND, _l("Products"), lookup=_product_lookup,
                    description=_l("Only these products are shown and can be ordered.")),
    RestrictionKind(CATEGORIES_KIND, _l("Product categories"), options=_category_options,
                    description=_l("Only products of these categories are shown and can be "
                                   "ordered.")),
]


def restriction_conditions() -> list:
    """SQL conditions on :class:`Product` for what the current user may see (always active)."""
    conditions = [Product.active.is_(True)]
    codes = restricted_values(PRODUCTS_KIND)
    if codes is not None:
        conditions.append(Product.code.in_(sorted(codes)))
    categories = restricted_values(CATEGORIES_KIND)
    if categories is not None:
        conditions.append(Product.category_id.in_(
            select(Category.id).where(Category.code.in_(sorted(categories)))))
    return conditions


def allows(product: Product, category_code: str | None) -> bool:
    """The same rule as :func:`restriction_conditions`, for a product already loaded."""
    if not product.active:
        return False
    codes = restricted_values(PRODUCTS_KIND)
    if codes is not None and product.code not in codes:
        return False
    categories = restricted_values(CATEGORIES_KIND)
    return categories is None or category_code in categories


# -- prices --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceListRef:
    id: int | None
    currency: str


def price_list_for(company_id: int | None = None) -> PriceListRef:
    """The company's price list, else the default one (cached for the request)."""
    company_id = company_id if company_id is not None else current_company_id()
    cache = g.setdefault("_orders_price_lists", {})
    if company_id not in cache:
        session = get_session()
        row = session.execute(
            select(PriceList.id, PriceList.currency)
            .outerjoin(CompanyPriceList, and_(CompanyPriceList.price_list_id == PriceList.id,
                                              CompanyPriceList.company_id == company_id))
            .where(or_(CompanyPriceList.company_id.is_not(None), PriceList.is_default.is_(True)))
            .order_by(CompanyPriceList.company_id.is_(None), PriceList.id)
            .limit(1)
        ).first()
        cache[company_id] = PriceListRef(row.id, row.currency) if row else PriceListRef(None, "TRY")
    return cache[company_id]


def price_join(stmt, price_list: PriceListRef):
    """Outer-join the price of each product in ``price_list`` (NULL when it has none)."""
    return stmt.outerjoin(Price, and_(Price.product_id == Product.id,
                                      Price.price_list_id == price_list.id))


# -- listing -------------------------------------------------------------------------------------


@dataclass
class ProductRow:
    product: Product
    category_name: str | None
    category_code: str | None
    price: Decimal | None


def _rows(result) -> list[ProductRow]:
    return [ProductRow(p, cname, ccode, price) for p, cname, ccode, price in result]


def _base_select(price_list: PriceListRef):
    stmt = (select(Product, Category.name, Category.code, Price.unit_price)
            .outerjoin(Category, Category.id == Product.category_id))
    return price_join(stmt, price_list).where(*restriction_conditions())


def like_pattern(word: str) -> str:
    return f"%{escape_like(word)}%"


SEARCH_ORDER = (Key(Product.search_key), Key(Product.id))


def search(q: str = "", category: str = "", *, page_size: int = PAGE_SIZE, args=None) -> Page:
    """A page of visible products matching ``q`` (every word, Turkish-folded) and ``category``.

    Paged by :func:`portal.core.paging.paginate` on ``(search_key, id)``: keyset next/previous
    links, ``?page=N`` still accepted, and a deep page costs what the first one costs. ``args``
    are the query-string values (default: this request's). ``page.items`` are
    :class:`ProductRow`; two queries whatever the page.
    """
    price_list = price_list_for()
    conditions = []
    for word in search_key(q).split():
        conditions.append(Product.search_key.like(like_pattern(word), escape="\\"))
    if category:
        conditions.append(Category.code == category)
    stmt = _base_select(price_list).where(*conditions)
    page = paginate(stmt, order=SEARCH_ORDER, per_page=page_size, scalars=False, args=args)
    page.items = _rows(page.items)
    return page


def visible_categories() -> list[tuple[str, str]]:
    """Categories that hold at least one product the user may see: ``(code, name)``."""
    stmt = (select(Category.code, Category.name)
            .where(Category.active,
                   Category.id.in_(select(Product.category_id).where(*restriction_conditions())))
            .order_by(Category.position, Category.name))
    return [(code, name) for code, name in get_session().execute(stmt)]


def get_visible(product_id: int) -> ProductRow | None:
    row = get_session().execute(_base_select(price_list_for()).where(Product.id == product_id)
                                ).first()
    return _rows([row])[0] if row else None


def get_visible_or_404(product_id: int) -> ProductRow:
    row = get_visible(product_id)
    if row is None:
        abort(404)
    return row


def visible_by_ids(ids) -> dict[int, ProductRow]:
    ids = list(ids)
    if not ids:
        return {}
    rows = get_session().execute(_base_select(price_list_for()).where(Product.id.in_(ids)))
    return {r.product.id: r for r in _rows(rows)}


def visible_by_codes(codes) -> dict[str, ProductRow]:
    """Visible products by code, codes compared case-insensitively (upper-cased ASCII)."""
    codes = {c for c in codes if c}
    if not codes:
        return {}
    wanted = {c.upper() for c in codes}
    rows = get_session().execute(
        _base_select(price_list_for()).where(func.upper(Product.code).in_(sorted(wanted))))
    return {r.product.code.upper(): r for r in _rows(rows)}
