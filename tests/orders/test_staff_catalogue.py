"""Staff manage the catalogue without an ERP: products, categories, price lists, prices and a
company's price list (each save audited, customers refused)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from plugins.orders.models import Category, CompanyPriceList, Price, PriceList, Product
from portal.core.models import AuditLog

from .conftest import add_products


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _audit(db, action: str) -> list[dict]:
    db.expire_all()
    return [e.detail for e in db.scalars(select(AuditLog).where(AuditLog.action == action)
                                         .order_by(AuditLog.id))]


def _product_form(**values) -> dict:
    form = {"code": "NEW-1", "name": "Çekiç 500 g", "category_id": "", "unit": "pcs",
            "whole_units": "y", "tax_rate": "20", "description": "", "active": "y"}
    form.update(values)
    return {key: value for key, value in form.items() if value is not None}


PAGES = ["/admin/orders/products", "/admin/orders/products/new", "/admin/orders/categories",
         "/admin/orders/categories/new", "/admin/orders/price-lists",
         "/admin/orders/price-lists/new", "/admin/orders/import"]


@pytest.mark.parametrize("url", PAGES)
def test_customers_are_refused_every_catalogue_page(customer_client, shop, url):
    assert customer_client.get(url).status_code == 403


def test_customers_cannot_post_either(customer_client, shop, db):
    product = shop.products["VD-100"]
    response = customer_client.post(f"/admin/orders/products/{product.id}/deactivate")
    assert response.status_code == 403
    db.expire_all()
    assert db.get(Product, product.id).active


def test_unknown_ids_answer_404(staff_client, shop):
    for url in ("/admin/orders/products/999999", "/admin/orders/categories/999999",
                "/admin/orders/price-lists/999999", "/admin/orders/companies/999999/price-list"):
        assert staff_client.get(url).status_code == 404, url


def test_product_list_searches_in_turkish_and_pages(staff_client, shop, db):
    soup = staff_client.soup("/admin/orders/products?q=ISTANBUL")
    rows = soup.find(id="staff-product-table").select("tbody tr")
    assert [r.find("th").get_text(strip=True) for r in rows] == ["İstanbul lambası"]
    add_products(db, shop, 30)
    soup = staff_client.soup("/admin/orders/products")
    assert len(soup.find(id="staff-product-table").select("tbody tr")) == 25
    assert "36 products" in soup.get_text()
    assert soup.find("a", rel="next")
    second = staff_client.soup("/admin/orders/products?page=2")
    assert len(second.find(id="staff-product-table").select("tbody tr")) == 11


def test_product_list_takes_the_same_queries_for_3_and_30_products(staff_client, shop, db,
                                                                   count_queries):
    staff_client.get("/admin/orders/products")  # warm up
    with count_queries() as few:
        assert staff_client.get("/admin/orders/products").status_code == 200
    add_products(db, shop, 27)
    with count_queries() as many:
        assert staff_client.get("/admin/orders/products").status_code == 200
    assert many.count == few.count


def test_create_product_audited(staff_client, shop, db):
    category = shop.categories["ELK"]
    response = staff_client.post("/admin/orders/products/new", data=_product_form(
        category_id=str(category.id), tax_rate="10", whole_units=None))
    assert response.status_code == 303
    product = db.scalar(select(Product).where(Product.code == "NEW-1"))
    assert (product.name, product.category_id, product.tax_rate, product.whole_units) == (
        "Çekiç 500 g", category.id, D("10"), False)
    assert _audit(db, "orders.product.create") == [{"code": "NEW-1"}]


def test_the_product_page_leads_to_its_image(staff_client, shop):
    product = shop.products["VD-100"]
    link = staff_client.soup(f"/admin/orders/products/{product.id}").find(id="product-image-link")
    assert link["href"] == f"/admin/orders/products/{product.id}/image"
    assert staff_client.get(link["href"]).status_code == 200
    assert staff_client.soup("/admin/orders/products/new").find(id="product-image-link") is None


def test_product_form_without_csrf_is_refused(staff_client, shop, db):
    response = staff_client.post("/admin/orders/products/new", data=_product_form(), csrf=False)
    assert response.status_code == 400
    assert db.scalar(select(Product).where(Product.code == "NEW-1")) is None


def test_product_errors_sit_beside_fields_and_keep_the_input(staff_client, shop, db):
    response = staff_client.post("/admin/orders/products/new", data=_product_form(
        code="VD-100", name="Yeni çekiç", tax_rate="yirmi"))
    assert response.status_code == 422
    soup = _soup(response)
    assert soup.find(id="code-error").get_text(strip=True) == \
        "Another product already has this code."
    assert "Enter a number" in soup.find(id="tax_rate-error").get_text()
    assert soup.find(id="tax_rate")["value"] == "yirmi"
    assert soup.find(id="name")["value"] == "Yeni çekiç"
    assert _audit(db, "orders.product.create") == []


def test_turkish_tax_rate_with_a_decimal_comma(staff_client, staff, shop, db):
    staff.locale = "tr"
    db.commit()
    product = shop.products["VD-100"]
    response = staff_client.post(f"/admin/orders/products/{product.id}", data=_product_form(
        code="VD-100", name="Vida M6 × 30", tax_rate="7,5"))
    assert response.status_code == 303
    db.expire_all()
    assert db.get(Product, product.id).tax_rate == D("7.5")
    assert "tax_rate" in _audit(db, "orders.product.update")[-1]["fields"]
    page = staff_client.soup(f"/admin/orders/products/{product.id}")
    assert page.find(id="tax_rate")["value"] == "7,5"
    assert page.find("label", attrs={"for": "tax_rate"}).get_text(strip=True) == "KDV oranı (%)"


def test_deactivate_product_hides_it_from_customers(staff_client, shop, db):
    product = shop.products["LM-300"]
    assert staff_client.post(f"/admin/orders/products/{product.id}/deactivate").status_code == 303
    db.expire_all()
    assert not db.get(Product, product.id).active
    assert _audit(db, "orders.product.update") == [{"code": "LM-300", "fields": ["active"]}]


def test_categories_create_edit_deactivate(staff_client, shop, db):
    response = staff_client.post("/admin/orders/categories/new",
                                 data={"code": "ELK", "name": "Aydınlatma", "position": "x",
                                       "active": "y"})
    assert response.status_code == 422
    soup = _soup(response)
    assert soup.find(id="code-error").get_text(strip=True) == \
        "Another category already has this code."
    assert soup.find(id="position-error").get_text(strip=True) == "Enter a whole number."
    assert soup.find(id="name")["value"] == "Aydınlatma"
    response = staff_client.post("/admin/orders/categories/new",
                                 data={"code": "AYD", "name": "Aydınlatma", "position": "4",
                                       "active": "y"})
    assert response.status_code == 303
    category = db.scalar(select(Category).where(Category.code == "AYD"))
    assert category.active and category.position == 4
    response = staff_client.post(f"/admin/orders/categories/{category.id}",
                                 data={"code": "AYD", "name": "Aydınlatma", "position": "4"})
    assert response.status_code == 303
    db.expire_all()
    assert not db.get(Category, category.id).active
    assert _audit(db, "orders.category.create") == [{"code": "AYD"}]
    assert _audit(db, "orders.category.update") == [{"code": "AYD", "fields": ["active"]}]
    listing = staff_client.soup("/admin/orders/categories").find(id="staff-category-table")
    assert "Inactive" in listing.get_text()


def test_inactive_category_is_no_longer_a_catalogue_filter(buyer, shop, db):
    shop.categories["BOY"].active = False
    db.commit()
    soup = buyer.soup("/orders/catalogue")
    options = [o["value"] for o in soup.select("#catalogue-category option")]
    assert "BOY" not in options and "ELK" in options


def test_price_list_and_prices(staff_client, shop, db):
    response = staff_client.post("/admin/orders/price-lists/new",
                                 data={"code": "BAYI", "name": "Bayi", "currency": "eur"})
    assert response.status_code == 303
    price_list = db.scalar(select(PriceList).where(PriceList.code == "BAYI"))
    assert price_list.currency == "EUR" and not price_list.is_default
    url = f"/admin/orders/price-lists/{price_list.id}/prices"
    bad = staff_client.post(url, data={"product": "YOK-1", "price": "-1"})
    assert bad.status_code == 422
    soup = _soup(bad)
    assert soup.find(id="product")["value"] == "YOK-1"
    assert soup.find(id="price-error")
    good = staff_client.post(url, data={"product": "VD-100", "price": "2.35"})
    assert good.status_code == 303
    again = staff_client.post(url, data={"product": "VD-100", "price": "2.40"})
    assert again.status_code == 303
    prices = db.scalars(select(Price).where(Price.price_list_id == price_list.id)).all()
    assert [(p.product_id, p.unit_price) for p in prices] == [
        (shop.products["VD-100"].id, D("2.40"))]
    entries = _audit(db, "orders.price.set")
    assert [d["new"] for d in entries] == ["2.35", "2.40"]
    assert entries[0]["old"] is None and D(entries[1]["old"]) == D("2.35")
    table = staff_client.soup(f"/admin/orders/price-lists/{price_list.id}").find(
        id="staff-price-table")
    assert "VD-100" in table.get_text() and "2.40" in table.get_text()


def test_one_default_price_list(staff_client, shop, db):
    response = staff_client.post("/admin/orders/price-lists/new",
                                 data={"code": "YENI", "name": "Yeni", "currency": "TRY",
                                       "is_default": "y"})
    assert response.status_code == 303
    db.expire_all()
    defaults = db.scalars(select(PriceList.code).where(PriceList.is_default)).all()
    assert defaults == ["YENI"]


def test_bad_currency_is_explained(staff_client, shop):
    response = staff_client.post("/admin/orders/price-lists/new",
                                 data={"code": "X", "name": "X", "currency": "ABC"})
    assert response.status_code == 422
    assert "TRY, EUR or USD" in _soup(response).find(id="currency-error").get_text()


def test_company_price_list_from_the_company_page(staff_client, shop, customer, db):
    bayi = PriceList(code="BAYI", name="Bayi", currency="TRY")
    db.add(bayi)
    db.commit()
    company_page = staff_client.soup(f"/admin/companies/{customer.company_id}")
    link = company_page.find("a", string="Price list")
    assert link["href"] == f"/admin/orders/companies/{customer.company_id}/price-list"
    url = link["href"]
    assert staff_client.post(url, data={"price_list": "999999"}).status_code == 422
    assert staff_client.post(url, data={"price_list": str(bayi.id)}).status_code == 303
    db.expire_all()
    assert db.get(CompanyPriceList, customer.company_id).price_list_id == bayi.id
    soup = staff_client.soup(url)
    assert soup.find(id="price_list").find("option", selected=True)["value"] == str(bayi.id)
    assert staff_client.post(url, data={"price_list": ""}).status_code == 303
    db.expire_all()
    assert db.get(CompanyPriceList, customer.company_id) is None
    assert [(d["old"], d["new"]) for d in _audit(db, "orders.company_price_list")] == [
        (None, bayi.id), (bayi.id, None)]


def test_customer_company_page_has_no_price_list_link_for_customers(customer_client, customer):
    assert customer_client.get(
        f"/admin/orders/companies/{customer.company_id}/price-list").status_code == 403


def test_turkish_catalogue_pages(staff_client, staff, shop, db):
    staff.locale = "tr"
    db.commit()
    soup = staff_client.soup("/admin/orders/products")
    assert soup.find("h1").get_text(strip=True) == "Ürünler"
    assert staff_client.soup("/admin/orders/import").find("h1").get_text(strip=True) == \
        "Dosyadan içe aktar"


# -- keyset paging of the staff lists --------------------------------------------------------


def _links(table_id):
    def read(soup):
        table = soup.find(id=table_id)
        return [a["href"] for a in table.select("tbody th a")] if table else []
    return read


@pytest.mark.parametrize("kind", ["categories", "price-lists"])
def test_staff_lists_page_by_keyset_and_keep_old_page_links(staff_client, shop, db, kind,
                                                            count_queries):
    from .test_keyset_lists import walk

    if kind == "categories":
        for i in range(57):  # 60 with the shop's three; positions repeat, names break ties
            db.add(Category(code=f"C{i:03d}", name=f"Kategori {i % 7}", position=i % 4))
        db.commit()
        rows = db.scalars(select(Category).order_by(Category.position, Category.name,
                                                    Category.id))
        expected = [f"/admin/orders/categories/{c.id}" for c in rows]
        read = _links("staff-category-table")
    else:
        for i in range(59):
            db.add(PriceList(code=f"PL-{i:03d}", name=f"Liste {i}", currency="TRY"))
        db.commit()
        rows = db.scalars(select(PriceList).order_by(PriceList.code, PriceList.id))
        expected = [f"/admin/orders/price-lists/{p.id}" for p in rows]
        read = _links("staff-price-list-table")
    url = f"/admin/orders/{kind}"
    forward, backward, last = walk(staff_client, url, read)
    assert [len(p) for p in forward] == [25, 25, 10]
    assert sum(forward, []) == expected and backward == forward
    assert "Page 3 of 3" in last.find("nav", class_="pager").get_text(" ")
    # an old ?page=N link; a deep page sends what the first one sends
    staff_client.get(url)
    with count_queries() as first:
        page1 = staff_client.soup(url)
    with count_queries() as deep:
        page3 = staff_client.soup(f"{url}?page=3")
    with count_queries() as keyset:
        page2 = staff_client.soup(page1.find("a", rel="next")["href"])
    assert read(page3) == expected[50:] and read(page2) == expected[25:50]
    assert deep.statements == first.statements and keyset.count == first.count
    table = "orders_category" if kind == "categories" else "orders_price_list"
    assert len([s for s in first.statements if f"FROM {table}" in s]) == 2
    assert read(staff_client.soup(f"{url}?page=2")) == expected[25:50]
