"""Adds from several tabs at once: none lost, and the cap holds on the line's total."""

from __future__ import annotations

import threading
from decimal import Decimal

from sqlalchemy import delete, select

from plugins.orders.models import CartLine, Order
from portal.core.models import CustomerCompany as Company
from portal.testing import PortalClient

from .conftest import order_lines


def cart_quantity(db, product_id):
    db.expire_all()
    return db.scalar(select(CartLine.quantity).where(CartLine.product_id == product_id))


def test_twenty_concurrent_adds_all_count(app, db, buyer, shop, customer):
    product = shop.products["VD-100"]
    clients = [buyer] + [PortalClient(app) for _ in range(3)]
    for client in clients[1:]:
        client.login(customer.username)
    barrier = threading.Barrier(len(clients))
    statuses = []

    def tab(client):
        barrier.wait()
        for _ in range(5):
            statuses.append(client.post("/orders/cart/add", data={
                "product_id": str(product.id), "quantity": "1"}).status_code)

    threads = [threading.Thread(target=tab, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303] * 20
    assert cart_quantity(db, product.id) == Decimal("20")


def test_the_quantity_cap_applies_to_the_cart_line_total(db, buyer, shop):
    product = shop.products["VD-100"]
    data = {"product_id": str(product.id), "quantity": "999999999", "from": "product"}
    assert buyer.post("/orders/cart/add", data=data).status_code == 303
    refused = buyer.post("/orders/cart/add", data=data)
    assert refused.status_code == 422 and "would be too large" in refused.text
    assert cart_quantity(db, product.id) == Decimal("999999999")


# -- placing one cart from several tabs at once ---------------------------------------------------


def fill(client, shop, *items):
    for code, qty in items:
        response = client.post("/orders/cart/add",
                               data={"product_id": shop.products[code].id, "quantity": qty})
        assert response.status_code == 303


def open_checkout(client) -> dict:
    """What one tab's checkout form would post (each tab has its own idempotency key)."""
    form = client.soup("/orders/checkout").find(id="checkout-form")
    data = {field["name"]: field.get("value", "")
            for field in form.find_all("input", attrs={"type": "hidden"})
            if field["name"] != "csrf_token"}
    data.update(address="delivery", requested_delivery_on="", po_number="", comment="")
    return data


def send_at_once(tabs):
    """``tabs``: (client, form data) pairs; all post the checkout at the same moment."""
    barrier = threading.Barrier(len(tabs))
    responses = [None] * len(tabs)

    def send(index, client, data):
        barrier.wait()
        responses[index] = client.post("/orders/checkout", data=data)

    threads = [threading.Thread(target=send, args=(i, c, d)) for i, (c, d) in enumerate(tabs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def orders_of(db, user_id):
    db.expire_all()
    return list(db.scalars(select(Order).where(Order.placed_by_id == user_id)))


def test_one_cart_sent_from_several_tabs_at_once_makes_one_order(app, db, buyer, shop,
                                                                 customer):
    """Six sessions of one user (each its own idempotency key) send the same cart at once."""
    fill(buyer, shop, ("VD-100", "3"), ("KB-200", "2.5"))
    clients = [buyer] + [PortalClient(app) for _ in range(5)]
    for client in clients[1:]:
        client.login(customer.username)
    tabs = [(client, open_checkout(client)) for client in clients]
    assert len({data["idempotency_key"] for _client, data in tabs}) == 6
    responses = send_at_once(tabs)
    assert [r.status_code for r in responses] == [303] * 6
    (order,) = orders_of(db, customer.id)
    assert {r.headers["Location"] for r in responses} == {f"/orders/{order.id}"}
    assert [(line.product_code, line.quantity) for line in order_lines(db, order.id)] == [
        ("VD-100", Decimal("3")), ("KB-200", Decimal("2.5"))]
    assert order.gross_total == Decimal("46.20")
    assert cart_quantity(db, shop.products["VD-100"].id) is None
    # Every tab lands on the order; the ones that lost are told it was already sent.
    pages = [client.get(r.headers["Location"]).text
             for (client, _), r in zip(tabs, responses, strict=True)]
    assert sum("was sent to us" in page for page in pages) == 1
    assert sum(f"Order {order.number} had already been sent" in page for page in pages) == 5


def test_each_user_of_a_company_sends_their_own_cart_once(app, db, buyer, shop, customer,
                                                          make_user):
    """Carts belong to a user: two colleagues sending at once make one order each."""
    colleague = make_user("colleague", company=db.get(Company, customer.company_id))
    other = PortalClient(app)
    other.login(colleague.username)
    fill(buyer, shop, ("VD-100", "3"))
    fill(other, shop, ("LM-300", "1"))
    tabs = [(client, open_checkout(client)) for client in (buyer, other) for _ in range(3)]
    responses = send_at_once(tabs)
    assert [r.status_code for r in responses] == [303] * 6
    (mine,) = orders_of(db, customer.id)
    (theirs,) = orders_of(db, colleague.id)
    assert [line.product_code for line in order_lines(db, mine.id)] == ["VD-100"]
    assert [line.product_code for line in order_lines(db, theirs.id)] == ["LM-300"]
    assert (mine.gross_total, theirs.gross_total) == (Decimal("9.00"), Decimal("180.00"))


def test_two_tabs_of_one_browser_send_one_order(app, db, buyer, shop, customer):
    fill(buyer, shop, ("LM-300", "2"))
    tabs = [(buyer, open_checkout(buyer)) for _ in range(4)]
    responses = send_at_once(tabs)
    (order,) = orders_of(db, customer.id)
    assert {(r.status_code, r.headers["Location"]) for r in responses} == {
        (303, f"/orders/{order.id}")}
    assert order.gross_total == Decimal("360.00")


def test_a_stale_checkout_tab_does_not_send_what_was_added_since(db, buyer, shop, customer):
    """Sent in one tab, more added to the cart: the old tab's page is not sent as a new order."""
    fill(buyer, shop, ("VD-100", "3"))
    stale = open_checkout(buyer)
    assert buyer.post("/orders/checkout", data=open_checkout(buyer)).status_code == 303
    fill(buyer, shop, ("BY-400", "1"))
    response = buyer.post("/orders/checkout", data=stale)
    (order,) = orders_of(db, customer.id)
    assert response.status_code == 303 and response.headers["Location"] == f"/orders/{order.id}"
    page = buyer.get(response.headers["Location"]).text
    assert f"Order {order.number} had already been sent" in page
    assert cart_quantity(db, shop.products["BY-400"].id) == Decimal("1")


def test_an_empty_cart_or_a_forged_shown_at_gets_the_checkout_page(db, buyer, shop):
    fill(buyer, shop, ("VD-100", "1"))
    data = open_checkout(buyer)
    db.execute(delete(CartLine))
    db.commit()
    for shown_at in ("", "not a date", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+01:00"):
        response = buyer.post("/orders/checkout", data={**data, "cart_shown_at": shown_at})
        assert response.status_code == 422 and "Your cart is empty." in response.text
