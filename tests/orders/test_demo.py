"""Demo data: a catalogue, price lists and orders in every status; running it twice adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from plugins.orders.models import CompanyPriceList, Order, PriceList, Product


def counts(db):
    return tuple(db.scalar(select(func.count()).select_from(model))
                 for model in (Product, PriceList, CompanyPriceList, Order))


def test_demo_data_is_complete_and_idempotent(app, db):
    from portal.core.demo import load_demo

    with app.app_context():
        load_demo(app)
    first = counts(db)
    assert first[0] >= 60 and first[1] == 4 and first[2] == 3
    statuses = set(db.scalars(select(Order.status)))
    assert statuses == {"sent", "in_progress", "completed", "cancelled"}
    assert db.scalar(select(Product).where(Product.name == "Işık anahtarı, tekli"))
    with app.app_context():
        load_demo(app)
    assert counts(db) == first


def test_demo_customer_sees_shipments_in_the_statement(app, db, client):
    from portal.core.demo import DEMO_PASSWORD, load_demo

    with app.app_context():
        load_demo(app)
    client.login("ayse", DEMO_PASSWORD)
    soup = client.soup("/orders/statement")
    assert soup.find(id="statement-table") is not None
    catalogue = client.soup("/orders/catalogue?q=IŞIK")
    assert "Işık anahtarı" in catalogue.get_text()


def test_demo_restricted_buyer_sees_only_the_allowed_categories(app, db):
    from sqlalchemy import select

    from plugins.orders.catalogue import PAGE_SIZE
    from plugins.orders.demo import RESTRICTED_CATEGORIES
    from plugins.orders.models import Category, Product
    from portal.testing import PortalClient

    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    app.test_client_class = PortalClient
    client = app.test_client()
    assert client.login("emre", "portal-demo-2026").status_code == 303
    html = client.get("/orders/catalogue").text
    allowed = db.scalars(select(Product.code).join(Category).where(
        Category.code.in_(RESTRICTED_CATEGORIES), Product.active)).all()
    hidden = db.scalars(select(Product.code).join(Category).where(
        Category.code.not_in(RESTRICTED_CATEGORIES))).all()
    assert allowed and hidden and len(allowed) <= PAGE_SIZE
    assert all(code in html for code in allowed)
    assert all(code not in html for code in hidden)
