"""Fixtures of the orders tests: a small catalogue, a buyer with addresses, orders, quotations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from plugins.orders.models import (
    IN_PROGRESS,
    Category,
    CompanyPriceList,
    Order,
    Price,
    PriceList,
    Product,
)
from portal.core.models import AccessGroupRestriction

PRODUCTS = [
    # code, name, category, price, unit, whole units, attributes
    ("VD-100", "Vida M6 × 30", "FAS", "2.50", "pcs", True,
     {"Malzeme": "Çelik", "Uzunluk": "30 mm", "Kaplama": "Galvaniz"}),
    ("VD-101", "Vida M8 × 40", "FAS", "3.75", "pcs", True,
     {"Malzeme": "Çelik", "Uzunluk": "40 mm", "Kaplama": "Galvaniz"}),
    ("KB-200", "Işık kablosu 3×2,5", "ELK", "12.40", "m", False, {"Kesit": "2,5 mm²"}),
    ("LM-300", "İstanbul lambası", "ELK", "150.00", "pcs", True, {"Güç": "60 W"}),
    ("BY-400", "Duvar boyası beyaz", "BOY", "420.00", "kg", False, {"Renk": "Beyaz"}),
    ("NP-500", "Fiyatsız ürün", "BOY", None, "pcs", True, {}),
]


@pytest.fixture
def shop(db):
    """Three categories, six products (one without price) and the default price list."""
    categories = {}
    for position, (code, name) in enumerate([("FAS", "Bağlantı elemanları"),
                                             ("ELK", "Elektrik"), ("BOY", "Boya")]):
        categories[code] = Category(code=code, name=name, position=position)
    db.add_all(categories.values())
    price_list = PriceList(code="STD", name="Standart", is_default=True)
    db.add(price_list)
    db.flush()
    products = {}
    for code, name, category, price, unit, whole, attributes in PRODUCTS:
        product = Product(code=code, name=name, category_id=categories[category].id, unit=unit,
                          whole_units=whole, tax_rate=D("20"), attributes=attributes)
        db.add(product)
        db.flush()
        if price is not None:
            db.add(Price(price_list_id=price_list.id, product_id=product.id,
                         unit_price=D(price)))
        products[code] = product
    db.commit()
    return SimpleNamespace(categories=categories, price_list=price_list, products=products)


def set_price(db, shop, code: str, price: str | None) -> None:
    row = db.scalar(select(Price).where(Price.price_list_id == shop.price_list.id,
                                        Price.product_id == shop.products[code].id))
    if price is None:
        db.delete(row)
    else:
        row.unit_price = D(price)
    db.commit()


def add_products(db, shop, count: int, category: str = "FAS", price: str = "1.00") -> None:
    for i in range(count):
        product = Product(code=f"X-{i:04d}", name=f"Ek ürün {i:04d}",
                          category_id=shop.categories[category].id, unit="pcs",
                          attributes={"No": str(i)})
        db.add(product)
        db.flush()
        db.add(Price(price_list_id=shop.price_list.id, product_id=product.id,
                     unit_price=D(price)))
    db.commit()


@pytest.fixture
def buyer_company(customer, db):
    """The signed-in customer's company, with a delivery and a billing address."""
    company = customer.company_id
    from portal.core.models import CustomerCompany

    row = db.get(CustomerCompany, company)
    row.delivery_address = "Depo: OSB 4. Cad. 7\n41400 Gebze / Kocaeli"
    row.billing_address = "Atatürk Cad. 12\n34710 Kadıköy / İstanbul"
    db.commit()
    return row


@pytest.fixture
def buyer(customer_client, buyer_company, shop):
    """A signed-in customer with a catalogue to buy from."""
    return customer_client


def restrict(db, group, kind: str, *values: str) -> None:
    for value in values:
        db.add(AccessGroupRestriction(group_id=group.id, kind=kind, value=value))
    db.commit()


@pytest.fixture
def make_order(app, db, staff):
    """``make_order(user, [(product, qty), ...], status=..., created_at=...)`` → order id."""
    from plugins.orders.ordering import NewLine, OrderDetails, change_status, place_order

    counter = iter(range(1, 100_000))

    def factory(user, items, status: str = "sent", created_at: dt.datetime | None = None,
                po_number: str = "") -> int:
        with app.test_request_context():
            lines = [NewLine(p.id, p.code, p.name, p.unit, D(str(q)), D(price), D("20"))
                     for p, q, price in items]
            order = place_order(db, company_id=user.company_id, user=user, lines=lines,
                                details=OrderDetails(f"key-{next(counter):012d}-test",
                                                     po_number=po_number))
            if status in (IN_PROGRESS, "completed"):
                change_status(db, order, IN_PROGRESS, staff)
            if status == "completed":
                change_status(db, order, "completed", staff)
            if status == "cancelled":
                change_status(db, order, "cancelled", staff, "test")
            if created_at is not None:
                order.created_at = created_at
            db.commit()
            return order.id

    return factory


def order_lines(db, order_id: int):
    from plugins.orders.models import OrderLine

    return list(db.scalars(select(OrderLine).where(OrderLine.order_id == order_id)
                           .order_by(OrderLine.line_no)))


def get_order(db, order_id: int) -> Order:
    db.expire_all()
    return db.get(Order, order_id)


@pytest.fixture
def make_document(app, db):
    """Create a documents-plugin document through its service API."""
    from plugins.documents.services import LineData, create_document

    counter = iter(range(1, 100_000))

    def factory(company_id: int, doc_type: str, lines, **header):
        with app.app_context():
            doc = create_document(
                db, company_id=company_id, doc_type=doc_type,
                number=header.pop("number", f"{doc_type[:2].upper()}-T-{next(counter):05d}"),
                issued_on=header.pop("issued_on", dt.date.today()),
                lines=[LineData(**line) for line in lines], **header)
            db.commit()
            return doc.id

    return factory


def assign_price_list(db, company_id: int, price_list_id: int) -> None:
    db.add(CompanyPriceList(company_id=company_id, price_list_id=price_list_id))
    db.commit()
