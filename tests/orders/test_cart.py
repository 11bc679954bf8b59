"""Cart: adding (htmx badge and without JavaScript), quantities, totals, flags, ownership."""

from __future__ import annotations

from decimal import Decimal

from bs4 import BeautifulSoup
from sqlalchemy import select

from plugins.orders.models import CartLine
from portal.testing import htmx_headers

from .conftest import set_price


def add(client, product, quantity="1", **extra):
    return client.post("/orders/cart/add",
                       data={"product_id": product.id, "quantity": quantity, **extra}, **{})


def badge(client) -> str:
    return client.soup("/orders/catalogue").find(id="cart-count").get_text(strip=True)


def test_badge_shows_in_the_layout_for_people_who_may_order(buyer, shop):
    assert badge(buyer) == "0"


def test_htmx_add_updates_the_badge_out_of_band(buyer, shop):
    response = buyer.post("/orders/cart/add",
                          data={"product_id": shop.products["VD-100"].id, "quantity": "3"},
                          headers=htmx_headers("cart-status"))
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("html") is None
    oob = soup.find(id="cart-badge")
    assert oob["hx-swap-oob"] == "true"
    assert oob.find(id="cart-count").text == "1"
    assert "3 pcs of Vida M6 × 30 added" in soup.get_text()


def test_add_without_javascript_redirects_back_with_a_message(buyer, shop):
    response = add(buyer, shop.products["VD-100"], "2", next="/orders/catalogue?q=vida")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/orders/catalogue?q=vida")
    soup = buyer.soup("/orders/catalogue?q=vida")
    assert "added to your cart" in soup.get_text()
    assert badge(buyer) == "1"


def test_adding_again_adds_up(buyer, shop, db):
    add(buyer, shop.products["VD-100"], "2")
    add(buyer, shop.products["VD-100"], "5")
    assert db.scalar(select(CartLine.quantity)) == Decimal("7")


def test_catalogue_rows_have_labelled_quantity_fields_wired_to_htmx(buyer, shop):
    soup = buyer.soup("/orders/catalogue?q=vida")
    form = soup.select_one("form.add-to-cart")
    assert form["hx-target"] == "#cart-status"
    assert form["action"].endswith("/orders/cart/add")
    field = form.find("input", attrs={"name": "quantity"})
    assert soup.find("label", attrs={"for": field["id"]})
    assert field["inputmode"] == "decimal"


def test_bad_quantities_are_refused_with_a_clear_message(buyer, shop, db):
    screw, cable = shop.products["VD-100"], shop.products["KB-200"]
    cases = [(screw, "0", "more than zero"), (screw, "-2", "more than zero"),
             (screw, "1.5", "whole units"), (screw, "abc", "as a number"),
             (cable, "", "Enter a quantity")]
    for product, text, message in cases:
        response = buyer.post("/orders/cart/add",
                              data={"product_id": product.id, "quantity": text},
                              headers=htmx_headers("cart-status"))
        assert response.status_code == 422, text
        assert message in response.text, text
    assert db.scalar(select(CartLine)) is None


def test_product_page_error_is_shown_next_to_the_field_with_the_input_kept(buyer, shop):
    product = shop.products["VD-100"]
    response = add(buyer, product, "2.5", **{"from": "product"})
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    field = soup.find(id="product-quantity")
    assert field["value"] == "2.5"
    assert field["aria-invalid"] == "true"
    assert "whole units" in soup.find(id="product-quantity-error").text


def test_decimal_quantity_in_turkish_uses_a_comma(buyer, shop, db, customer):
    customer_row = db.get(type(customer), customer.id)
    customer_row.locale = "tr"
    db.commit()
    add(buyer, shop.products["KB-200"], "2,5")
    assert db.scalar(select(CartLine.quantity)) == Decimal("2.5")


def test_product_without_price_cannot_be_added(buyer, shop, db):
    response = add(buyer, shop.products["NP-500"], "1",
                   **{"from": "product"})
    assert response.status_code == 422
    assert db.scalar(select(CartLine)) is None


def test_cart_totals_with_tax(buyer, shop):
    add(buyer, shop.products["VD-100"], "3")      # 3 × 2.50 = 7.50
    add(buyer, shop.products["KB-200"], "2.5")    # 2.5 × 12.40 = 31.00
    soup = buyer.soup("/orders/cart")
    assert soup.find(id="cart-net").text == "TRY\u00a038.50"
    assert soup.find(id="cart-tax").text == "TRY\u00a07.70"
    assert soup.find(id="cart-total").text.strip() == "TRY\u00a046.20"


def test_change_quantity_and_remove_line(buyer, shop, db):
    add(buyer, shop.products["VD-100"], "3")
    line = db.scalar(select(CartLine))
    response = buyer.post(f"/orders/cart/lines/{line.id}", data={"quantity": "10"})
    assert response.status_code == 303
    db.expire_all()
    assert db.get(CartLine, line.id).quantity == Decimal("10")
    response = buyer.post(f"/orders/cart/lines/{line.id}", data={"quantity": "0"})
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find(id=f"cart-qty-{line.id}")["value"] == "0"
    assert "more than zero" in soup.find(id=f"cart-qty-{line.id}-error").text
    buyer.post(f"/orders/cart/lines/{line.id}/remove")
    assert "Your cart is empty" in buyer.soup("/orders/cart").get_text()


def test_withdrawn_product_and_changed_price_are_flagged(buyer, shop, db):
    add(buyer, shop.products["VD-100"], "3")
    add(buyer, shop.products["BY-400"], "1")
    shop.products["BY-400"].active = False
    db.commit()
    set_price(db, shop, "VD-100", "2.75")
    soup = buyer.soup("/orders/cart")
    text = soup.find(id="cart-table").get_text(" ")
    assert "No longer available" in text
    assert "Price changed from TRY\u00a02.50 to TRY\u00a02.75" in text
    assert soup.find(id="checkout-link") is None
    assert soup.find(id="cart-net").text == "TRY\u00a08.25"  # the withdrawn line does not count
    buyer.post("/orders/cart/accept-prices")
    assert "Price changed" not in buyer.soup("/orders/cart").get_text()


def test_cart_survives_signing_out(buyer, shop):
    add(buyer, shop.products["VD-100"], "3")
    buyer.post("/logout")
    buyer.login("ayse")
    assert "Vida M6 × 30" in buyer.soup("/orders/cart").find(id="cart-table").get_text()


def test_another_users_cart_line_is_404(buyer, shop, db, make_user, app):
    from portal.testing import PortalClient

    add(buyer, shop.products["VD-100"], "3")
    line = db.scalar(select(CartLine))
    make_user("mehmet")
    app.test_client_class = PortalClient
    other = app.test_client()
    other.login("mehmet")
    assert other.post(f"/orders/cart/lines/{line.id}", data={"quantity": "1"}).status_code == 404
    assert other.post(f"/orders/cart/lines/{line.id}/remove").status_code == 404
    db.expire_all()
    assert db.get(CartLine, line.id).quantity == Decimal("3")
    assert "Your cart is empty" in other.soup("/orders/cart").get_text()


def test_staff_and_anonymous_cannot_use_the_cart(client, staff, shop):
    assert client.get("/orders/cart").status_code == 302
    client.login(staff.username)
    assert client.get("/orders/cart").status_code == 403


def test_turkish_user_sees_turkish_money_and_rates(buyer, shop, db, customer):
    row = db.get(type(customer), customer.id)
    row.locale = "tr"
    db.commit()
    add(buyer, shop.products["KB-200"], "2,5")
    soup = buyer.soup("/orders/cart")
    assert soup.find(id="cart-net").text == "₺31,00"
    assert "%20" in soup.find(id="cart-table").get_text()
    assert soup.find(id=f"cart-qty-{db.scalar(select(CartLine.id))}")["value"] == "2,5"


def test_cart_page_query_count_does_not_grow_with_lines(buyer, shop, db, count_queries):
    from .conftest import add_products

    add(buyer, shop.products["VD-100"], "1")
    buyer.get("/orders/cart")
    with count_queries() as few:
        buyer.get("/orders/cart")
    add_products(db, shop, 20)
    from plugins.orders.models import Product

    for product in db.scalars(select(Product).where(Product.code.like("X-%"))):
        add(buyer, product, "1")
    with count_queries() as many:
        buyer.get("/orders/cart")
    assert few.count == many.count
