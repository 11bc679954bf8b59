"""Adds from several tabs at once: none lost, and the cap holds on the line's total."""

from __future__ import annotations

import threading
from decimal import Decimal

from sqlalchemy import select

from plugins.orders.models import CartLine
from portal.testing import PortalClient


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
