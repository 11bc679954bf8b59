"""Products and price lists sent by the ERP through the documents plugin's API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from plugins.orders.models import Category, CompanyPriceList, Price, PriceList, Product


@pytest.fixture
def api(app, db, client):
    from plugins.documents.api import new_token

    with app.app_context():
        _row, token = new_token(db, "ERP", None)
        db.commit()
    headers = {"Authorization": f"Bearer {token}"}

    def call(method, path, json=None):
        return client.open(path, method=method, json=json, headers=headers)

    return call


PRODUCT = {"code": "KB-900", "name": "Işıklı anahtar", "category_code": "ELK",
           "category_name": "Elektrik", "unit": "pcs", "whole_units": True, "tax_rate": "20",
           "attributes": [{"name": "Renk", "value": "Beyaz"}]}


def test_erp_creates_and_updates_a_product_idempotently(api, db):
    response = api("PUT", "/api/v1/products/ERP-P-1", PRODUCT)
    assert response.status_code == 201, response.json
    product = db.scalar(select(Product))
    assert (product.code, product.name, product.external_id) == ("KB-900", "Işıklı anahtar",
                                                                 "ERP-P-1")
    assert product.search_key == "isikli anahtar kb-900"
    assert product.attributes == {"Renk": "Beyaz"}
    assert db.scalar(select(Category.name)) == "Elektrik"
    again = api("PUT", "/api/v1/products/ERP-P-1", PRODUCT)
    assert again.status_code == 200 and again.json["changed"] is False
    withdrawn = api("PUT", "/api/v1/products/ERP-P-1", {**PRODUCT, "active": False})
    assert withdrawn.json["changed"] is True
    db.expire_all()
    assert db.scalar(select(Product.active)) is False
    assert api("GET", "/api/v1/products/ERP-P-1").json["active"] is False


def test_product_code_taken_by_another_erp_product_is_refused(api):
    api("PUT", "/api/v1/products/ERP-P-1", PRODUCT)
    response = api("PUT", "/api/v1/products/ERP-P-2", PRODUCT)
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "code"


def test_erp_sends_a_price_list_for_customers(api, db, make_company):
    make_company("Anadolu", external_id="C-1001")
    api("PUT", "/api/v1/products/ERP-P-1", PRODUCT)
    body = {"code": "BAYI", "name": "Bayi fiyatları", "currency": "TRY",
            "prices": [{"product_code": "KB-900", "unit_price": "17.50"}],
            "customers": ["C-1001"]}
    response = api("PUT", "/api/v1/price-lists/ERP-PL-1", body)
    assert response.status_code == 201, response.json
    assert db.scalar(select(Price.unit_price)) == Decimal("17.50")
    assert db.scalar(select(CompanyPriceList.price_list_id)) == db.scalar(select(PriceList.id))
    read = api("GET", "/api/v1/price-lists/ERP-PL-1").json
    assert [(p["product_code"], Decimal(p["unit_price"])) for p in read["prices"]] == [
        ("KB-900", Decimal("17.50"))]
    assert read["customers"] == ["C-1001"]
    bad = api("PUT", "/api/v1/price-lists/ERP-PL-1",
              {**body, "prices": [{"product_code": "NOPE", "unit_price": "1"}]})
    assert bad.status_code == 422
    assert bad.json["errors"][0]["field"] == "prices[0].product_code"
    assert db.scalar(select(Price.unit_price)) == Decimal("17.50")  # nothing half-written


def test_products_and_price_lists_are_in_the_openapi_document(api):
    paths = api("GET", "/api/v1/openapi.json").json["paths"]
    assert "/products/{external_id}" in paths
    assert "/price-lists/{external_id}" in paths
