"""Comparison: add from the list and the product page, differing rows marked, remove, clear."""

from __future__ import annotations


def compare_table(client):
    soup = client.soup("/orders/compare")
    return soup, soup.find(id="compare-table")


def test_compare_two_products_marks_differing_rows(buyer, shop):
    screw6, screw8 = shop.products["VD-100"], shop.products["VD-101"]
    response = buyer.post("/orders/compare/add",
                          data={"product_id": screw6.id, "next": "/orders/catalogue?q=vida"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/orders/catalogue?q=vida")
    buyer.post("/orders/compare/add", data={"product_id": screw8.id})
    soup, table = compare_table(buyer)
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["Product", "Vida M6 × 30", "Vida M8 × 40"]
    rows = {tr.th.get_text(" ", strip=True).split(" differs")[0]: tr
            for tr in table.select("tbody tr")}
    assert "differs" in rows["Uzunluk"].get("class", [])
    assert "differs" not in rows["Malzeme"].get("class", [])
    assert "differs" in rows["Uzunluk"].th.get_text()
    # the catalogue now says which products are in the comparison
    catalogue = buyer.soup("/orders/catalogue?q=vida")
    assert catalogue.find(string="In comparison")


def test_remove_one_and_clear_all(buyer, shop):
    for code in ("VD-100", "VD-101", "LM-300"):
        buyer.post("/orders/compare/add", data={"product_id": shop.products[code].id})
    buyer.post("/orders/compare/remove", data={"product_id": shop.products["VD-101"].id})
    _soup, table = compare_table(buyer)
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["Product", "Vida M6 × 30", "İstanbul lambası"]
    buyer.post("/orders/compare/clear")
    soup, table = compare_table(buyer)
    assert table is None
    assert "No products to compare" in soup.get_text()


def test_comparison_is_limited_and_kept_in_the_session_only(buyer, shop, db):
    from tests.orders.conftest import add_products

    add_products(db, shop, 3)
    from sqlalchemy import select

    from plugins.orders.models import Product

    ids = list(db.scalars(select(Product.id).order_by(Product.id)))[:5]
    for product_id in ids:
        buyer.post("/orders/compare/add", data={"product_id": product_id})
    _soup, table = compare_table(buyer)
    assert len(table.select("thead th")) == 1 + 4
    buyer.post("/logout")
    buyer.login("ayse")
    _soup, table = compare_table(buyer)
    assert table is None


def test_product_that_became_hidden_drops_out_of_the_comparison(buyer, shop, db):
    buyer.post("/orders/compare/add", data={"product_id": shop.products["VD-100"].id})
    shop.products["VD-100"].active = False
    db.commit()
    _soup, table = compare_table(buyer)
    assert table is None
