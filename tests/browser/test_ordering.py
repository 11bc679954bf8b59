"""Issue 5 in a real browser: search, compare, add to the cart, place an order; also without JS."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from plugins.orders.models import Category, Price, PriceList, Product
from portal.core.models import CustomerCompany
from tests.browser.helpers import main_menu, sign_in

pytestmark = pytest.mark.browser

MARKER = "window.__portalNoReload"
PRODUCTS = [
    # code, name, price, attributes
    ("VD-100", "Vida M6 × 30", "2.50", {"Malzeme": "Çelik", "Uzunluk": "30 mm"}),
    ("VD-101", "Vida M8 × 40", "3.75", {"Malzeme": "Çelik", "Uzunluk": "40 mm"}),
    ("LM-300", "İstanbul lambası", "150.00", {"Güç": "60 W"}),
]


@pytest.fixture
def shop(db, customer):
    """A small catalogue with prices, and a delivery address for the customer's company."""
    category = Category(code="FAS", name="Bağlantı elemanları", position=0)
    price_list = PriceList(code="STD", name="Standart", is_default=True)
    db.add_all([category, price_list])
    db.flush()
    for code, name, price, attributes in PRODUCTS:
        product = Product(code=code, name=name, category_id=category.id, unit="pcs",
                          whole_units=True, tax_rate=Decimal("20"), attributes=attributes)
        db.add(product)
        db.flush()
        db.add(Price(price_list_id=price_list.id, product_id=product.id,
                     unit_price=Decimal(price)))
    company = db.get(CustomerCompany, customer.company_id)
    company.delivery_address = "Depo: OSB 4. Cad. 7\n41400 Gebze / Kocaeli"
    db.commit()


def _heading(page: Page):
    return page.get_by_role("heading", level=1)


def _results(page: Page):
    return page.locator("#catalogue-table tbody tr")


def _row(page: Page, product: str):
    """The catalogue row of a product (its row header is the product's name)."""
    return page.locator("#catalogue-table tbody tr").filter(
        has=page.get_by_role("rowheader", name=product, exact=True))


def _cart_count(page: Page):
    return page.locator("#cart-count")


def _search_and_compare(page: Page, javascript: bool) -> None:
    main_menu(page).get_by_role("link", name="Catalogue").click()
    expect(_heading(page)).to_have_text("Catalogue")
    expect(_results(page)).to_have_count(len(PRODUCTS))

    page.get_by_label("Search products").fill("VİDA")
    if not javascript:
        page.get_by_role("button", name="Search", exact=True).click()
    # With JavaScript the results follow the typing (htmx); without, the form is a plain GET.
    expect(_results(page)).to_have_count(2)
    expect(page.get_by_text("2 products found.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]q=V%C4%B0DA"))

    _row(page, "Vida M6 × 30").get_by_role("button", name=re.compile("^Compare")).click()
    expect(page.get_by_text("Vida M6 × 30 was added to the comparison.")).to_be_visible()
    _row(page, "Vida M8 × 40").get_by_role("button", name=re.compile("^Compare")).click()
    expect(page.get_by_text("Vida M8 × 40 was added to the comparison.")).to_be_visible()
    # Back on the search the customer came from.
    expect(_results(page)).to_have_count(2)

    main_menu(page).get_by_role("link", name="Compare products").click()
    table = page.locator("#compare-table")
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Product", "Vida M6 × 30", "Vida M8 × 40"])
    expect(table.get_by_role("row", name=re.compile("^Uzunluk"))).to_contain_text("differs")
    expect(table.get_by_role("row", name=re.compile("^Malzeme"))).not_to_contain_text("differs")
    page.get_by_role("link", name="Back to the catalogue").click()
    expect(_heading(page)).to_have_text("Catalogue")


def _check_out(page: Page) -> None:
    main_menu(page).get_by_role("link", name="Cart").click()
    expect(_heading(page)).to_have_text("Cart")
    expect(page.locator("#cart-table tbody tr")).to_have_count(1)
    expect(page.locator("#cart-table tbody")).to_contain_text("Vida M8 × 40")
    page.get_by_role("link", name="Check out").click()
    expect(_heading(page)).to_have_text("Check out")
    expect(page.get_by_label("Delivery address", exact=True)).to_contain_text("Gebze")
    page.get_by_label("Your purchase order number").fill("PO-7781")
    page.get_by_role("button", name="Send the order").click()

    expect(_heading(page)).to_have_text(re.compile(r"^Order \S+$"))
    number = _heading(page).inner_text().removeprefix("Order ")
    expect(page.get_by_text(f"Order {number} was sent to us. Thank you!")).to_be_visible()
    expect(page.locator("#order-status")).to_have_text("Sent")
    expect(page.locator("#order-details")).to_contain_text("PO-7781")
    lines = page.locator("#order-lines tbody tr")
    expect(lines).to_have_count(1)
    expect(lines.first).to_contain_text("Vida M8 × 40")
    expect(lines.first).to_contain_text("12 pcs")
    expect(_cart_count(page)).to_have_text("0")

    main_menu(page).get_by_role("link", name="Orders", exact=True).click()
    expect(page.get_by_role("link", name=number)).to_be_visible()


def test_customer_searches_compares_fills_the_cart_and_orders(
        page: Page, live_server, customer, shop):
    sign_in(page, "ayse")
    _search_and_compare(page, javascript=True)

    expect(_cart_count(page)).to_have_text("0")
    page.evaluate(f"{MARKER} = 'still the same page'")
    page.get_by_label("Quantity of Vida M8 × 40").fill("12")
    _row(page, "Vida M8 × 40").get_by_role("button", name=re.compile("^Add to cart")).click()
    # The badge in the layout updates in place: no page load.
    expect(_cart_count(page)).to_have_text("1")
    expect(page.locator("#cart-status")).to_contain_text(
        "12 pcs of Vida M8 × 40 added to your cart.")
    assert page.evaluate(MARKER) == "still the same page"

    _check_out(page)


def test_the_same_order_without_javascript(nojs_page: Page, live_server, customer, shop):
    page = nojs_page
    sign_in(page, "ayse")
    _search_and_compare(page, javascript=False)

    page.get_by_label("Quantity of Vida M8 × 40").fill("12")
    _row(page, "Vida M8 × 40").get_by_role("button", name=re.compile("^Add to cart")).click()
    expect(page.get_by_text("12 pcs of Vida M8 × 40 added to your cart.")).to_be_visible()
    expect(_cart_count(page)).to_have_text("1")

    _check_out(page)
    assert not [r for r in live_server.requests if r.htmx]


def _more_products(db) -> None:
    category = db.query(Category).filter_by(code="FAS").one()
    price_list = db.query(PriceList).filter_by(code="STD").one()
    for i in range(60):
        product = Product(code=f"X-{i:04d}", name=f"Ek ürün {i:04d}", category_id=category.id,
                          unit="pcs", whole_units=True, tax_rate=Decimal("20"))
        db.add(product)
        db.flush()
        db.add(Price(price_list_id=price_list.id, product_id=product.id,
                     unit_price=Decimal("1.00")))
    db.commit()


def _walk_the_catalogue_pages(page: Page, javascript: bool) -> None:
    main_menu(page).get_by_role("link", name="Catalogue").click()
    expect(_results(page)).to_have_count(25)
    expect(_results(page).first).to_contain_text("Ek ürün 0000")
    pager = page.get_by_role("navigation", name="Catalogue pages")
    pager.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"[?&]after="))
    expect(_results(page).first).to_contain_text("Ek ürün 0025")
    expect(pager).to_contain_text("Page 2 of 3")
    # comparing a product of page 2 comes back to page 2
    _row(page, "Ek ürün 0030").get_by_role("button", name=re.compile("^Compare")).click()
    expect(page.get_by_text("Ek ürün 0030 was added to the comparison.")).to_be_visible()
    expect(_results(page).first).to_contain_text("Ek ürün 0025")
    expect(_row(page, "Ek ürün 0030")).to_contain_text("In comparison")
    pager.get_by_role("link", name="Next page").click()
    expect(_results(page)).to_have_count(13)
    expect(pager).to_contain_text("Page 3 of 3")
    expect(pager.get_by_role("link", name="Next page")).to_have_count(0)
    pager.get_by_role("link", name="Previous page").click()
    expect(_results(page).first).to_contain_text("Ek ürün 0025")
    pager.get_by_role("link", name="Previous page").click()
    expect(_results(page).first).to_contain_text("Ek ürün 0000")
    expect(pager).to_contain_text("Page 1 of 3")
    # the pushed URLs answer a reload with the full page
    page.reload()
    expect(_heading(page)).to_have_text("Catalogue")
    expect(_results(page).first).to_contain_text("Ek ürün 0000")


def test_catalogue_pages_by_keyset_with_javascript(page: Page, live_server, customer, shop,
                                                   db):
    _more_products(db)
    sign_in(page, "ayse")
    _walk_the_catalogue_pages(page, javascript=True)
    # the pager's links swapped only the results (htmx, not a boosted page)
    swaps = [r for r in live_server.pages() if r.path == "/orders/catalogue" and r.htmx
             and r.headers.get("hx-target") == "catalogue-results" and not r.boosted]
    assert len(swaps) >= 4
    assert not live_server.server_errors


def test_catalogue_pages_by_keyset_without_javascript(nojs_page: Page, live_server, customer,
                                                      shop, db):
    _more_products(db)
    sign_in(nojs_page, "ayse")
    _walk_the_catalogue_pages(nojs_page, javascript=False)
    assert not [r for r in live_server.requests if r.htmx]
