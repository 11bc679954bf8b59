"""API payloads that used to answer 500: deep nesting, a product priced twice, money overflow."""

from __future__ import annotations

import pytest

COMPANY = {"name": "Işık Elektrik Ltd. Şti."}


@pytest.mark.parametrize("body", ["[" * 5000 + "]" * 5000,
                                  '{"a":' * 5000 + "1" + "}" * 5000,
                                  '{"name": "x", "tax_number": ' + "[" * 40 + "]" * 40 + "}"])
def test_deeply_nested_json_is_refused(api, body):
    response = api("PUT", "/api/v1/companies/C-1", data=body,
                   headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert "nested" in response.json["errors"][0]["message"]
    assert api("GET", "/api/v1/companies/C-1").status_code == 404


def test_a_price_list_with_one_product_twice_names_the_line(api, db):
    product = {"code": "VD-100", "name": "Vida"}
    assert api("PUT", "/api/v1/products/P-1", json=product).status_code == 201
    response = api("PUT", "/api/v1/price-lists/STD", json={
        "code": "STD", "name": "Standart",
        "prices": [{"product_code": "VD-100", "unit_price": "1.00"},
                   {"product_code": "VD-100", "unit_price": "2.00"}]})
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["prices[1].product_code"]
    assert api("GET", "/api/v1/price-lists/STD").status_code == 404


@pytest.mark.parametrize("line, field", [
    ({"quantity": "99999999999999", "unit_price": "99999999999999"}, "lines[0]"),
    ({"quantity": "1", "unit_price": "1e30"}, "lines[0].unit_price"),
    ({"quantity": "1" * 40, "unit_price": "1"}, "lines[0].quantity"),
])
def test_amounts_beyond_the_money_columns_name_the_field(api, line, field):
    assert api("PUT", "/api/v1/companies/C-1", json=COMPANY).status_code == 201
    response = api("PUT", "/api/v1/invoices/INV-1", json={
        "company": "C-1", "issued_on": "2026-03-02",
        "lines": [{"product_name": "Kablo", "tax_rate": "20", **line}]})
    assert response.status_code == 422, response.json
    assert response.json["errors"][0]["field"].startswith(field)
    assert api("GET", "/api/v1/invoices/INV-1").status_code == 404


@pytest.mark.parametrize("body, field", [
    ('{"name": "Işık\\u0000Elektrik"}', "name"),              # PostgreSQL refuses NUL
    ('{"name": "Işık", "email": "a\\ud800@b"}', "email"),     # an unpaired surrogate
    ('{"name": "Işık", "payment_terms_days": 2147483648}', "payment_terms_days"),
])
def test_unstorable_text_and_numbers_name_the_field(api, body, field):
    response = api("PUT", "/api/v1/companies/C-1", data=body,
                   headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.json
    assert [e["field"] for e in response.json["errors"]] == [field]
    assert api("GET", "/api/v1/companies/C-1").status_code == 404


@pytest.mark.parametrize("method, url", [("GET", "/api/v1/companies/C%001"),
                                         ("PUT", "/api/v1/companies/C%001"),
                                         ("GET", "/api/v1/products/P%001"),
                                         ("DELETE", "/api/v1/products/P%001/image"),
                                         ("GET", "/api/v1/orders?since=1%00")])
def test_nul_in_the_path_or_query_names_it(api, method, url):
    response = api(method, url, json=COMPANY)
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] in {"external_id", "since"}
