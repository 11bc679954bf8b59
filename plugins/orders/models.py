"""The orders plugin's tables: catalogue, price lists, carts, orders and their history.

Customer-owned rows (cart lines, orders) carry an indexed ``company_id``. ERP rows (products,
categories, price lists) carry an ``external_id`` unique per table so imports are idempotent.
Money and quantities are ``Numeric`` / ``Decimal``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.db import Base, utcnow
from portal.core.text import search_key

# Order statuses, in their usual order.
SENT = "sent"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
CANCELLED = "cancelled"
STATUSES = (SENT, IN_PROGRESS, COMPLETED, CANCELLED)
OPEN_STATUSES = (SENT, IN_PROGRESS)

# How an order was created.
FROM_CART = "cart"
FROM_QUOTATION = "quotation"


class Category(Base):
    """A product category (also a restriction value: ``orders.categories`` stores its code)."""

    __tablename__ = "orders_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # ``active=False``: withdrawn by staff; not offered as a filter, kept on its products.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Product(Base):
    """A product of the catalogue. ``active=False`` means withdrawn: not shown, not orderable."""

    __tablename__ = "orders_product"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    search_key: Mapped[str] = mapped_column(String(500), index=True, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("orders_category.id"), index=True)
    unit: Mapped[str] = mapped_column(String(20), default="pcs")
    whole_units: Mapped[bool] = mapped_column(Boolean, default=True)
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("20"))
    # Not indexed: nearly every product is active (such an index misleads SQLite's planner).
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)
    image_path: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    category: Mapped[Category | None] = relationship(lazy="raise")

    __table_args__ = (
        # PostgreSQL only (orders_0002_scale): ``search_key LIKE '%word%'`` by trigrams.
        Index("ix_orders_product_search_trgm", "search_key", postgresql_using="gin",
              postgresql_ops={"search_key": "gin_trgm_ops"},
              info={"only_on": "postgresql"}).ddl_if(dialect="postgresql"),
    )


class PriceList(Base):
    """A list of prices; each customer company buys at one (the default one when none is set)."""

    __tablename__ = "orders_price_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3), default="TRY")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)


class Price(Base):
    __tablename__ = "orders_price"
    __table_args__ = (UniqueConstraint("price_list_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    price_list_id: Mapped[int] = mapped_column(
        ForeignKey("orders_price_list.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("orders_product.id", ondelete="CASCADE"), index=True)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(18, 4))


class CompanyPriceList(Base):
    """Which price list a customer company buys at (kept here: core tables are never altered)."""

    __tablename__ = "orders_company_price_list"

    company_id: Mapped[int] = mapped_column(
        ForeignKey("customer_company.id", ondelete="CASCADE"), primary_key=True)
    price_list_id: Mapped[int] = mapped_column(
        ForeignKey("orders_price_list.id", ondelete="CASCADE"), index=True)


class CartLine(Base):
    """One product in a user's cart. ``seen_price`` is the price shown when it was added."""

    __tablename__ = "orders_cart_line"
    __table_args__ = (UniqueConstraint("user_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("portal_user.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("customer_company.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("orders_product.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    seen_price: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    product: Mapped[Product] = relationship(lazy="raise")


class OrderCounter(Base):
    """The last order number used per year (one row per year, locked while numbering)."""

    __tablename__ = "orders_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class Order(Base):
    __tablename__ = "orders_order"
    __table_args__ = (
        Index("ix_orders_order_company_created", "company_id", "created_at"),
        Index("ix_orders_order_company_status_created", "company_id", "status", "created_at"),
        UniqueConstraint("company_id", "idempotency_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("customer_company.id"), index=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=SENT, index=True)
    source: Mapped[str] = mapped_column(String(20), default=FROM_CART)
    idempotency_key: Mapped[str] = mapped_column(String(64))  # unique per company
    placed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL"), index=True)
    placed_by_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    delivery_address: Mapped[str] = mapped_column(Text, default="")
    requested_delivery_on: Mapped[dt.date | None] = mapped_column(Date)
    po_number: Mapped[str] = mapped_column(String(50), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3), default="TRY")
    net_total: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal("0"))
    tax_total: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal("0"))
    gross_total: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal("0"))
    quotation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    quotation_number: Mapped[str] = mapped_column(String(50), default="")
    cancel_reason: Mapped[str] = mapped_column(Text, default="")

    lines: Mapped[list[OrderLine]] = relationship(
        lazy="raise", order_by="OrderLine.line_no", cascade="all, delete-orphan",
        back_populates="order")
    history: Mapped[list[OrderStatusChange]] = relationship(
        lazy="raise", order_by="OrderStatusChange.id", cascade="all, delete-orphan")

    @property
    def customer_may_cancel(self) -> bool:
        return self.status == SENT


class OrderLine(Base):
    __tablename__ = "orders_order_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("orders_order.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("orders_product.id", ondelete="SET NULL"), index=True)
    product_code: Mapped[str] = mapped_column(String(50))
    product_name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    discount_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    net_amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    tax_amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    gross_amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    shipped_quantity: Mapped[Decimal] = mapped_column(
        Numeric(18, 4), default=Decimal("0"), server_default="0")
    """What goods issues (not cancelled) linked to this line ship, kept by the orders plugin in
    the same flush as those lines (``bridge.refresh_shipped``); never written elsewhere."""

    order: Mapped[Order] = relationship(lazy="raise", back_populates="lines")


class OrderStatusChange(Base):
    """One step of an order's history: who set which status, when, and why."""

    __tablename__ = "orders_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("orders_order.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("portal_user.id", ondelete="SET NULL"))
    by_name: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")


@event.listens_for(Product, "before_insert")
@event.listens_for(Product, "before_update")
def _product_search_key(_mapper, _connection, product: Product) -> None:
    """Keep the folded search text (name, then code: it is also the sort key) up to date."""
    product.search_key = search_key(f"{product.name} {product.code}")[:500]
