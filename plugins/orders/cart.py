"""The cart: one per user, kept in the database so it survives signing out."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, delete, func, select

from portal.core.db import get_session, utcnow

from . import catalogue
from .catalogue import line_amounts, price_list_for
from .models import CartLine, Category, Price, Product
from .quantities import MAX_QUANTITY, QuantityError


@dataclass
class CartRow:
    line: CartLine
    product: Product
    category_code: str | None
    price: Decimal | None
    allowed: bool
    net: Decimal = Decimal("0")
    tax: Decimal = Decimal("0")
    gross: Decimal = Decimal("0")

    @property
    def orderable(self) -> bool:
        return self.allowed and self.price is not None

    @property
    def price_changed(self) -> bool:
        return (self.orderable and self.line.seen_price is not None
                and self.line.seen_price != self.price)


@dataclass
class Cart:
    rows: list[CartRow] = field(default_factory=list)
    currency: str = "TRY"

    @property
    def orderable_rows(self) -> list[CartRow]:
        return [r for r in self.rows if r.orderable]

    @property
    def has_problems(self) -> bool:
        return any(not r.orderable for r in self.rows)

    @property
    def net_total(self) -> Decimal:
        return sum((r.net for r in self.orderable_rows), Decimal("0"))

    @property
    def tax_total(self) -> Decimal:
        return sum((r.tax for r in self.orderable_rows), Decimal("0"))

    @property
    def gross_total(self) -> Decimal:
        return self.net_total + self.tax_total


def count_lines(user=None) -> int:
    user = user or current_user
    return get_session().scalar(
        select(func.count()).select_from(CartLine).where(CartLine.user_id == user.id)) or 0


def _with_prices(stmt, price_list):
    """``stmt`` (which selects from Product) with each product's category and price."""
    return (stmt.outerjoin(Category, Category.id == Product.category_id)
            .outerjoin(Price, and_(Price.product_id == Product.id,
                                   Price.price_list_id == price_list.id)))


def _row(line: CartLine, product: Product, category_code: str | None,
         price: Decimal | None) -> CartRow:
    row = CartRow(line, product, category_code, price,
                  allowed=catalogue.allows(product, category_code))
    if row.orderable:
        row.net, row.tax, row.gross = line_amounts(line.quantity, price, product.tax_rate)
    return row


def load(user=None) -> Cart:
    """The user's cart with today's prices; withdrawn, restricted or unpriced lines flagged."""
    user = user or current_user
    price_list = price_list_for(user.company_id)
    stmt = _with_prices(select(CartLine, Product, Category.code, Price.unit_price)
                        .join(Product, Product.id == CartLine.product_id), price_list)
    stmt = stmt.where(CartLine.user_id == user.id).order_by(CartLine.added_at, CartLine.id)
    cart = Cart(currency=price_list.currency)
    cart.rows = [_row(*found) for found in get_session().execute(stmt)]
    return cart


def claim(user) -> Cart:
    """Take the user's whole cart for an order: its lines are deleted, and returned priced.

    The ``DELETE … RETURNING`` comes first and is the transaction's first write, so two
    placements of one cart at once cannot both get its lines: on PostgreSQL the second
    ``DELETE`` waits for the first transaction's row locks, then finds the lines gone; SQLite
    serialises writers, so the second transaction begins after the first committed. Rolling
    back (an order that cannot be placed) puts the lines back. The returned lines are detached
    copies of the deleted rows.
    """
    session = get_session()
    taken = [CartLine(id=id_, user_id=user.id, company_id=user.company_id,
                      product_id=product_id, quantity=quantity, seen_price=seen_price,
                      added_at=added_at)
             for id_, product_id, quantity, seen_price, added_at in session.execute(
                 delete(CartLine).where(CartLine.user_id == user.id)
                 .returning(CartLine.id, CartLine.product_id, CartLine.quantity,
                            CartLine.seen_price, CartLine.added_at))]
    price_list = price_list_for(user.company_id)
    cart = Cart(currency=price_list.currency)
    if not taken:
        return cart
    stmt = _with_prices(select(Product, Category.code, Price.unit_price), price_list)
    found = {product.id: (product, code, price) for product, code, price in session.execute(
        stmt.where(Product.id.in_({line.product_id for line in taken})))}
    taken.sort(key=lambda line: (line.added_at, line.id))
    cart.rows = [_row(line, *found[line.product_id]) for line in taken]
    return cart


def add(product_row: catalogue.ProductRow, quantity: Decimal, user=None,
        replace: bool = False) -> CartLine:
    """Put ``quantity`` of a visible, priced product in the cart (added to what is there).

    One atomic ``INSERT … ON CONFLICT DO UPDATE SET quantity = quantity + :q`` (SQLite and
    PostgreSQL alike), so adds from several tabs or users at once never lose one. The cap of a
    quantity applies to the line's total: an add that would pass it changes nothing and raises
    :class:`QuantityError`.
    """
    user = user or current_user
    session = get_session()
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(CartLine).values(user_id=user.id, company_id=user.company_id,
                                   product_id=product_row.product.id, quantity=quantity,
                                   seen_price=product_row.price, added_at=utcnow())
    total = stmt.excluded.quantity if replace else CartLine.quantity + stmt.excluded.quantity
    stmt = stmt.on_conflict_do_update(
        index_elements=[CartLine.user_id, CartLine.product_id],
        set_={"quantity": total, "seen_price": stmt.excluded.seen_price},
        where=total < MAX_QUANTITY,
    ).returning(CartLine.id)
    line_id = session.execute(stmt).scalar()
    if line_id is None:
        raise QuantityError(_("With what is already in your cart the quantity would be too "
                              "large."))
    return session.get(CartLine, line_id, populate_existing=True)


def get_line_or_404(line_id: int, user=None) -> CartLine:
    from flask import abort

    user = user or current_user
    line = get_session().scalar(select(CartLine).where(CartLine.id == line_id,
                                                       CartLine.user_id == user.id))
    if line is None:
        abort(404)
    return line


def clear(user=None, product_ids=None) -> None:
    user = user or current_user
    stmt = delete(CartLine).where(CartLine.user_id == user.id)
    if product_ids is not None:
        stmt = stmt.where(CartLine.product_id.in_(list(product_ids)))
    get_session().execute(stmt)


def accept_prices(user=None) -> None:
    """The user has seen today's prices: stop flagging them as changed."""
    for row in load(user).orderable_rows:
        row.line.seen_price = row.price
