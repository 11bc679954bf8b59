"""The three ways to order, double submit, numbering (also concurrent) and cancelling."""

from __future__ import annotations

import datetime as dt
import re
import threading
from decimal import Decimal

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from plugins.orders.models import CartLine, Order, OrderLine, OrderStatusChange

from .conftest import get_order, order_lines, restrict, set_price

NUMBER = re.compile(r"^SO-\d{4}-\d{6}$")


def fill_cart(client, shop, *items):
    for code, qty in items:
        response = client.post("/orders/cart/add",
                               data={"product_id": shop.products[code].id, "quantity": qty})
        assert response.status_code == 303


def checkout_form(client) -> dict:
    soup = client.soup("/orders/checkout")
    form = soup.find(id="checkout-form")
    return {"idempotency_key": form.find("input", attrs={"name": "idempotency_key"})["value"],
            "address": "delivery", "requested_delivery_on": "", "po_number": "PO-77",
            "comment": "Kapıya bırakın"}


# -- 1. from the cart --------------------------------------------------------------------------


def test_order_from_the_cart(buyer, shop, db, customer):
    fill_cart(buyer, shop, ("VD-100", "3"), ("KB-200", "2.5"))
    soup = buyer.soup("/orders/checkout")
    options = {o["value"]: o.text for o in soup.select("#address option")}
    assert options["delivery"].startswith("Depo: OSB")
    assert options["billing"].startswith("Atatürk Cad.")
    assert soup.find("label", attrs={"for": "requested_delivery_on"})
    assert soup.find(id="requested_delivery_on")["type"] == "date"
    data = checkout_form(buyer)
    data["requested_delivery_on"] = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    response = buyer.post("/orders/checkout", data=data)
    assert response.status_code == 303
    order = db.scalar(select(Order))
    assert response.headers["Location"].endswith(f"/orders/{order.id}")
    assert NUMBER.match(order.number)
    assert order.number.startswith(f"SO-{dt.date.today().year}-")
    assert order.status == "sent" and order.source == "cart"
    assert order.po_number == "PO-77" and order.comment == "Kapıya bırakın"
    assert order.delivery_address.startswith("Depo: OSB")
    assert order.company_id == customer.company_id
    assert (order.net_total, order.tax_total, order.gross_total) == (
        Decimal("38.50"), Decimal("7.70"), Decimal("46.20"))
    assert [(line.product_code, line.quantity) for line in order_lines(db, order.id)] == [
        ("VD-100", Decimal("3")), ("KB-200", Decimal("2.5"))]
    assert db.scalar(select(func.count()).select_from(CartLine)) == 0
    page = buyer.soup(f"/orders/{order.id}")
    assert f"Order {order.number} was sent" in page.get_text()
    assert page.find(id="order-status").get_text(strip=True) == "Sent"
    assert "Sent" in page.find(id="order-history").get_text()


def test_checkout_refuses_bad_details_and_keeps_the_input(buyer, shop, db):
    fill_cart(buyer, shop, ("VD-100", "3"))
    data = checkout_form(buyer)
    data.update(address="other", other_address="", po_number="X" * 60,
                requested_delivery_on=(dt.date.today() - dt.timedelta(days=1)).isoformat())
    response = buyer.post("/orders/checkout", data=data)
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert "Enter the delivery address" in soup.find(id="other_address-error").text
    assert "in the past" in soup.find(id="requested_delivery_on-error").text
    assert soup.find(id="po_number-error")
    assert soup.find(id="po_number")["value"] == "X" * 60
    assert db.scalar(select(Order)) is None
    data.update(other_address="Şantiye, Işıklar Cad. 5\nİzmir", po_number="PO-1",
                requested_delivery_on="")
    assert buyer.post("/orders/checkout", data=data).status_code == 303
    assert db.scalar(select(Order.delivery_address)) == "Şantiye, Işıklar Cad. 5\nİzmir"


def test_checkout_with_a_withdrawn_product_is_refused(buyer, shop, db):
    fill_cart(buyer, shop, ("VD-100", "3"), ("BY-400", "1"))
    data = checkout_form(buyer)
    shop.products["BY-400"].active = False
    db.commit()
    response = buyer.post("/orders/checkout", data=data)
    assert response.status_code == 422
    assert "can no longer be ordered" in response.text
    assert db.scalar(select(Order)) is None
    assert db.scalar(select(func.count()).select_from(CartLine)) == 2


def test_checkout_uses_todays_price(buyer, shop, db):
    fill_cart(buyer, shop, ("VD-100", "10"))
    data = checkout_form(buyer)
    set_price(db, shop, "VD-100", "3.00")
    buyer.post("/orders/checkout", data=data)
    assert db.scalar(select(OrderLine.unit_price)) == Decimal("3.00")


def test_empty_cart_cannot_be_ordered(buyer, shop, db):
    data = checkout_form(buyer) if False else None
    soup = buyer.soup("/orders/checkout")
    assert "Your cart is empty" in soup.get_text()
    response = buyer.post("/orders/checkout", data={
        "idempotency_key": "a" * 32, "address": "delivery"})
    assert response.status_code == 422
    assert "Your cart is empty" in response.text
    assert data is None and db.scalar(select(Order)) is None


def test_submitting_twice_creates_one_order(buyer, shop, db):
    fill_cart(buyer, shop, ("VD-100", "3"))
    data = checkout_form(buyer)
    first = buyer.post("/orders/checkout", data=data)
    second = buyer.post("/orders/checkout", data=dict(data))
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert db.scalar(select(func.count()).select_from(Order)) == 1
    assert "had already been sent" in buyer.soup(second.headers["Location"]).get_text()


def test_a_key_another_company_used_still_gives_this_company_its_order(buyer, shop, db,
                                                                      make_user, make_order):
    """Idempotency keys are each company's own: a colliding one never blocks an order."""
    from plugins.orders.ordering import NewLine, OrderDetails, place_order, submit_once

    other = make_user("other-buyer", company=None)
    product = shop.products["VD-100"]

    def create(user):
        return lambda: place_order(db, company_id=user.company_id, user=user, details=OrderDetails(
            "shared-key-0123456789"), lines=[NewLine(product.id, product.code, product.name,
                                                     product.unit, Decimal("1"),
                                                     Decimal("2.50"), Decimal("20"))])

    fill_cart(buyer, shop, ("VD-100", "3"))
    data = checkout_form(buyer)
    with buyer.application.test_request_context():
        theirs, created = submit_once(db, other.company_id, data["idempotency_key"],
                                      create(other))
    assert created
    response = buyer.post("/orders/checkout", data=data)
    assert response.status_code == 303
    mine = db.scalars(select(Order).where(Order.id != theirs.id)).one()
    assert response.headers["Location"].endswith(f"/orders/{mine.id}")
    assert mine.company_id != theirs.company_id


def test_concurrent_double_submit_creates_one_order(app, buyer, shop, db, customer):
    """Two requests with the same key at once: the unique key lets only one order through."""
    from flask_login import login_user

    from plugins.orders.ordering import OrderDetails, place_from_cart, submit_once
    from portal.core.db import get_session

    fill_cart(buyer, shop, ("VD-100", "3"))
    results, errors = [], []
    barrier = threading.Barrier(2)

    def submit():
        try:
            with app.test_request_context():
                session = get_session()
                user = session.get(type(customer), customer.id)
                login_user(user)
                barrier.wait()
                order, created = submit_once(
                    session, user.company_id, "same-key-0123456789",
                    lambda: place_from_cart(session, user, OrderDetails("same-key-0123456789")))
                results.append((order.id, created))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert db.scalar(select(func.count()).select_from(Order)) == 1
    assert sorted(created for _id, created in results) == [False, True]
    assert len({order_id for order_id, _ in results}) == 1


def test_order_numbers_are_unique_under_concurrent_submission(app, db, make_user, shop):
    """Ten customers submit at once: ten orders, ten different consecutive numbers."""
    from plugins.orders.ordering import NewLine, OrderDetails, next_order_number, place_order
    from portal.core.db import get_session

    users = [make_user(f"buyer{i}") for i in range(10)]
    product = shop.products["VD-100"]
    year = dt.date.today().year
    with app.app_context():  # the year's counter row exists: the threads race on it
        assert next_order_number(db, year) == f"SO-{year}-000001"
        db.commit()
    barrier = threading.Barrier(len(users))
    errors = []

    def submit(user_id, index):
        try:
            with app.test_request_context():
                session = get_session()
                user = session.get(type(users[0]), user_id)
                barrier.wait()
                place_order(session, company_id=user.company_id, user=user,
                            lines=[NewLine(product.id, product.code, product.name, "pcs",
                                           Decimal("1"), Decimal("2.50"), Decimal("20"))],
                            details=OrderDetails(f"concurrent-key-{index:04d}"))
                session.commit()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=(u.id, i)) for i, u in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    numbers = sorted(db.scalars(select(Order.number)))
    assert numbers == [f"SO-{year}-{n:06d}" for n in range(2, 12)]


def test_numbering_restarts_each_year(app, db):
    from plugins.orders.ordering import next_order_number

    with app.app_context():
        assert next_order_number(db, 2030) == "SO-2030-000001"
        assert next_order_number(db, 2030) == "SO-2030-000002"
        assert next_order_number(db, 2031) == "SO-2031-000001"
        db.commit()


# -- 2. from a quotation -----------------------------------------------------------------------


def quotation_lines():
    return [
        {"product_code": "VD-100", "product_name": "Vida M6 × 30", "quantity": Decimal("100"),
         "unit": "pcs", "unit_price": Decimal("2.10"), "tax_rate": Decimal("20"),
         "discount_rate": Decimal("10")},
        {"product_code": "LM-300", "product_name": "İstanbul lambası", "quantity": Decimal("4"),
         "unit": "pcs", "unit_price": Decimal("140.00"), "tax_rate": Decimal("20")},
        {"product_code": "MONTAJ", "product_name": "Montaj hizmeti", "quantity": Decimal("1"),
         "unit": "job", "unit_price": Decimal("500"), "tax_rate": Decimal("20")},
    ]


def quotation_form(client, doc_id):
    soup = client.soup(f"/orders/from-quotation/{doc_id}")
    form = soup.find(id="quotation-order-form")
    data = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
    data.update(address="delivery")
    data.pop("csrf_token", None)
    return soup, data


def test_order_from_a_valid_quotation_with_lower_quantities_and_a_dropped_line(
        buyer, shop, db, customer, make_document):
    doc_id = make_document(customer.company_id, "quotation", quotation_lines(),
                           valid_until=dt.date.today() + dt.timedelta(days=10))
    soup, data = quotation_form(buyer, doc_id)
    qty_fields = sorted(k for k in data if k.startswith("qty-"))
    assert len(qty_fields) == 3
    data[qty_fields[0]] = "60"   # lower
    data[qty_fields[1]] = "0"    # drop
    data["po_number"] = "PO-Q1"
    response = buyer.post(f"/orders/from-quotation/{doc_id}", data=data)
    assert response.status_code == 303, response.text
    order = db.scalar(select(Order))
    assert order.source == "quotation" and order.quotation_id == doc_id
    lines = order_lines(db, order.id)
    assert [(line.product_code, line.quantity, line.unit_price, line.discount_rate)
            for line in lines] == [
        ("VD-100", Decimal("60"), Decimal("2.10"), Decimal("10")),
        ("MONTAJ", Decimal("1"), Decimal("500"), Decimal("0"))]
    # 60 × 2.10 × 0.9 = 113.40 ; + 500 = 613.40 net ; VAT 122.68
    assert (order.net_total, order.tax_total, order.gross_total) == (
        Decimal("613.40"), Decimal("122.68"), Decimal("736.08"))
    # the quotation cannot be ordered twice
    again = buyer.soup(f"/orders/from-quotation/{doc_id}")
    assert "already ordered" in again.get_text()
    assert again.find(id="quotation-order-form") is None
    # ... and the quotation list and page say what it was ordered as instead of offering it
    row = buyer.soup("/orders/quotations").find(id="quotation-table").select_one("tbody tr")
    assert row.find("a", href=f"/orders/from-quotation/{doc_id}") is None
    assert "Ordered as" in row.get_text() and row.find("a", href=f"/orders/{order.id}")
    page = buyer.soup(f"/documents/{doc_id}")
    assert page.find("a", href=f"/orders/from-quotation/{doc_id}") is None


def test_quotation_quantities_cannot_be_raised(buyer, shop, db, customer, make_document):
    doc_id = make_document(customer.company_id, "quotation", quotation_lines(),
                           valid_until=dt.date.today())
    _soup, data = quotation_form(buyer, doc_id)
    field = sorted(k for k in data if k.startswith("qty-"))[1]
    data[field] = "5"
    response = buyer.post(f"/orders/from-quotation/{doc_id}", data=data)
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert "not raise it" in soup.find(id=f"{field}-error").text
    assert soup.find(id=field)["value"] == "5"
    assert db.scalar(select(Order)) is None


def test_expired_quotation_cannot_be_ordered(buyer, shop, db, customer, make_document):
    doc_id = make_document(customer.company_id, "quotation", quotation_lines(),
                           valid_until=dt.date.today() - dt.timedelta(days=1))
    soup = buyer.soup(f"/orders/from-quotation/{doc_id}")
    assert soup.find(id="quotation-closed")
    assert soup.find(id="quotation-order-form") is None
    response = buyer.post(f"/orders/from-quotation/{doc_id}",
                          data={"idempotency_key": "k" * 32, "address": "delivery"})
    assert response.status_code == 422
    assert db.scalar(select(Order)) is None


def test_quotation_line_outside_the_restriction_is_not_orderable(
        buyer, shop, db, customer, customer_group, make_document):
    restrict(db, customer_group, "orders.categories", "ELK")
    doc_id = make_document(customer.company_id, "quotation", quotation_lines(),
                           valid_until=dt.date.today())
    soup, data = quotation_form(buyer, doc_id)
    assert "You cannot order this product" in soup.find(id="quotation-lines").get_text()
    assert len([k for k in data if k.startswith("qty-")]) == 2
    buyer.post(f"/orders/from-quotation/{doc_id}", data=data)
    order = db.scalar(select(Order))
    assert [line.product_code for line in order_lines(db, order.id)] == ["LM-300", "MONTAJ"]


def test_another_companys_quotation_is_404(buyer, shop, make_company, make_document):
    other = make_company("Başka Firma")
    doc_id = make_document(other.id, "quotation", quotation_lines(),
                           valid_until=dt.date.today())
    assert buyer.get(f"/orders/from-quotation/{doc_id}").status_code == 404
    assert buyer.post(f"/orders/from-quotation/{doc_id}", data={}).status_code == 404


def test_an_invoice_is_not_a_quotation(buyer, shop, customer, make_document):
    doc_id = make_document(customer.company_id, "invoice", quotation_lines())
    assert buyer.get(f"/orders/from-quotation/{doc_id}").status_code == 404


# -- 3. order again ----------------------------------------------------------------------------


def test_order_again_copies_lines_at_todays_prices(buyer, shop, db, customer, make_order):
    p = shop.products
    order_id = make_order(customer, [(p["VD-100"], 10, "2.50"), (p["LM-300"], 2, "150.00"),
                                     (p["BY-400"], 5, "420.00")], status="completed")
    set_price(db, shop, "LM-300", "165.00")
    p["BY-400"].active = False
    db.commit()
    response = buyer.post(f"/orders/{order_id}/reorder")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/orders/cart")
    lines = {line.product_id: line for line in db.scalars(select(CartLine))}
    assert set(lines) == {p["VD-100"].id, p["LM-300"].id}
    assert lines[p["LM-300"].id].quantity == Decimal("2")
    assert lines[p["LM-300"].id].seen_price == Decimal("165.00")
    page = buyer.soup("/orders/cart").get_text(" ")
    assert "BY-400 Duvar boyası beyaz is no longer available" in page
    assert "The price of LM-300 İstanbul lambası changed from 150 to 165" in page


def test_order_again_leaves_out_products_outside_the_restriction(
        buyer, shop, db, customer, customer_group, make_order):
    p = shop.products
    order_id = make_order(customer, [(p["VD-100"], 1, "2.50"), (p["LM-300"], 1, "150")])
    restrict(db, customer_group, "orders.categories", "ELK")
    buyer.post(f"/orders/{order_id}/reorder")
    assert [line.product_id for line in db.scalars(select(CartLine))] == [p["LM-300"].id]


# -- cancelling --------------------------------------------------------------------------------


def test_customer_cancels_a_sent_order_but_not_one_in_progress(buyer, shop, db, customer,
                                                               make_order):
    p = shop.products
    sent = make_order(customer, [(p["VD-100"], 1, "2.50")])
    accepted = make_order(customer, [(p["VD-100"], 1, "2.50")], status="in_progress")
    soup = buyer.soup(f"/orders/{sent}")
    assert soup.find(id="cancel-order")
    assert buyer.soup(f"/orders/{accepted}").find(id="cancel-order") is None
    buyer.post(f"/orders/{sent}/cancel", data={"reason": "Yanlış ürün"})
    assert get_order(db, sent).status == "cancelled"
    history = db.scalars(select(OrderStatusChange.status).where(
        OrderStatusChange.order_id == sent).order_by(OrderStatusChange.id)).all()
    assert history == ["sent", "cancelled"]
    response = buyer.post(f"/orders/{accepted}/cancel", data={})
    assert response.status_code == 303
    assert get_order(db, accepted).status == "in_progress"
    assert "Only an order that was not yet accepted" in buyer.soup(
        f"/orders/{accepted}").get_text()


def test_another_customers_order_is_404_everywhere(buyer, shop, make_user, make_order):
    mehmet = make_user("mehmet")
    order_id = make_order(mehmet, [(shop.products["VD-100"], 1, "2.50")])
    assert buyer.get(f"/orders/{order_id}").status_code == 404
    assert buyer.post(f"/orders/{order_id}/cancel").status_code == 404
    assert buyer.post(f"/orders/{order_id}/reorder").status_code == 404


def test_valid_quotations_are_listed_with_a_create_order_link(buyer, shop, customer,
                                                              make_document, make_company):
    today = dt.date.today()
    valid = make_document(customer.company_id, "quotation", quotation_lines(),
                          valid_until=today + dt.timedelta(days=3), number="QT-VALID")
    make_document(customer.company_id, "quotation", quotation_lines(),
                  valid_until=today - dt.timedelta(days=3), number="QT-OLD")
    make_document(customer.company_id, "quotation", quotation_lines(), status="rejected",
                  valid_until=today, number="QT-NO")
    make_document(make_company().id, "quotation", quotation_lines(), number="QT-OTHER")
    soup = buyer.soup("/orders/quotations")
    rows = soup.find(id="quotation-table").select("tbody tr")
    assert [r.th.get_text(strip=True) for r in rows] == ["QT-VALID"]
    assert rows[0].find("a", href=f"/orders/from-quotation/{valid}")


def test_a_valid_quotation_page_offers_create_order(app, db, customer_client, customer):
    import datetime as dt
    from decimal import Decimal

    from bs4 import BeautifulSoup

    from plugins.documents.services import LineData, create_document

    def quotation(number, valid_until):
        doc = create_document(db, company_id=customer.company_id, doc_type="quotation",
                              number=number, issued_on=dt.date.today(), valid_until=valid_until,
                              lines=[LineData("X-1", "Vida", Decimal("2"), "adet", Decimal("3"),
                                              Decimal("20"))])
        db.commit()
        return doc

    valid = quotation("Q-OPEN", dt.date.today() + dt.timedelta(days=5))
    expired = quotation("Q-OLD", dt.date.today() - dt.timedelta(days=1))
    soup = BeautifulSoup(customer_client.get(f"/documents/{valid.id}").text, "html.parser")
    link = soup.find("a", string="Create order")
    assert link is not None and link["href"] == f"/orders/from-quotation/{valid.id}"
    assert customer_client.get(link["href"]).status_code == 200
    expired_page = customer_client.get(f"/documents/{expired.id}").text
    assert "Create order" not in expired_page
