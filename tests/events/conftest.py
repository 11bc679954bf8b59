import pytest


@pytest.fixture
def app(make_app, smtp_server):
    """Every app of these tests mails through a real SMTP server on loopback."""
    return make_app(SMTP_URL=smtp_server.url, MAIL_FROM="portal@supplier.test",
                    SUPPLIER_NAME="Demir Hırdavat", BASE_URL="https://portal.example.test",
                    DELIVERY_BACKOFF_SECONDS="0", SMTP_TIMEOUT="1", WORKER_QUEUE="memory")


@pytest.fixture
def place_order(app, db):
    """``place_order(user)`` places a one-line order as ``user`` (through the orders service)."""
    from decimal import Decimal as D

    from plugins.orders.models import Category, Product
    from plugins.orders.ordering import NewLine, OrderDetails
    from plugins.orders.ordering import place_order as place

    category = Category(code="FAS", name="Bağlantı elemanları", position=0)
    db.add(category)
    db.flush()
    product = Product(code="VD-100", name="Vida M6 × 30", category_id=category.id, unit="pcs",
                      whole_units=True, tax_rate=D("20"), attributes={})
    db.add(product)
    db.commit()
    counter = iter(range(1, 10_000))

    def factory(user, quantity="10", commit=True):
        with app.test_request_context():
            order = place(db, company_id=user.company_id, user=user, details=OrderDetails(
                f"key-{next(counter):012d}-events"), lines=[NewLine(
                    product.id, product.code, product.name, product.unit, D(quantity),
                    D("1234.50"), D("20"))])
            if commit:
                db.commit()
            return order

    return factory
