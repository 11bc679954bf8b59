"""Input that used to answer 500: ids past the 32-bit id columns, Unicode digits, far pages,
edge dates."""

from __future__ import annotations

import pytest

from portal.core.params import MAX_ID, coerce_id, page_arg, parse_id
from portal.testing import PortalClient

HUGE = "99999999999999999999999"
JUST_OVER = str(2**31)  # one past the largest id an Integer column holds on PostgreSQL


def test_parse_id_accepts_only_ascii_digits_within_the_id_columns():
    assert parse_id("42") == 42 and parse_id(str(MAX_ID)) == MAX_ID
    for bad in (JUST_OVER, HUGE, "-1", "0", "١", "４２", "1e3", " ", "", None, "12a"):
        assert parse_id(bad) is None, bad
    with pytest.raises(ValueError):
        coerce_id("١")
    assert page_arg({"page": "400000000000000000"}) == 100_000
    assert page_arg({"page": "x"}) == 1
    assert page_arg({"page": "9" * 5000}) == 100_000 and page_arg({"page": "000"}) == 1


@pytest.mark.parametrize("url", [f"/documents/{HUGE}", f"/documents/{JUST_OVER}/pdf",
                                 f"/orders/{JUST_OVER}", "/documents/١", "/orders/١"])
def test_ids_out_of_range_or_not_ascii_are_not_found(customer_client, url):
    assert customer_client.get(url, follow_redirects=True).status_code == 404


def test_unicode_digits_never_reach_a_staff_action(staff_client):
    response = staff_client.post("/admin/documents/api-tokens/١/revoke")
    assert response.status_code == 404
    assert staff_client.get(f"/admin/users/{JUST_OVER}").status_code == 404


@pytest.mark.parametrize("url", [
    "/orders/?page=400000000000000000", "/documents/invoice/?page=400000000000000000",
    "/orders/catalogue?page=400000000000000000", "/orders/?date_to=9999-12-31",
    "/orders/?date_from=0001-01-01&date_to=9999-12-31", "/orders/statement?date_to=9999-12-31",
    "/orders/export.csv?date_to=9999-12-31", "/documents/invoice/?date_to=9999-12-31",
])
def test_customer_lists_survive_edge_pages_and_dates(customer_client, url):
    assert customer_client.get(url).status_code == 200


@pytest.mark.parametrize("url", [
    f"/admin/users?company={JUST_OVER}", "/admin/users?company=١",
    "/admin/users?page=400000000000000000",
    "/admin/audit?to=9999-12-31", "/admin/orders/?date_to=9999-12-31&status=",
    "/admin/orders/?page=400000000000000000", "/admin/documents/?page=400000000000000000",
    f"/admin/users/new?company={JUST_OVER}",
])
def test_staff_lists_survive_edge_values(staff_client, url):
    assert staff_client.get(url).status_code == 200


@pytest.mark.parametrize("product_id", ["-9999999999999999999999", JUST_OVER, "١", "abc"])
def test_cart_and_compare_refuse_impossible_product_ids(app, customer, product_id):
    client = PortalClient(app)
    client.login(customer.username)
    assert client.post("/orders/cart/add", data={"product_id": product_id,
                                                 "quantity": "1"}).status_code == 404
    assert client.post("/orders/compare/add", data={"product_id": product_id}).status_code == 303
    assert client.post("/orders/compare/remove",
                       data={"product_id": product_id}).status_code == 303


@pytest.mark.parametrize("data", [{"subject": "Fatura\x00", "body": "Merhaba", "topic": ""},
                                  {"subject": "Fatura", "body": "a\x00b", "topic": ""}])
def test_nul_in_a_form_is_a_bad_request_and_nothing_is_saved(customer_client, data):
    response = customer_client.post("/support/new", data=data)
    assert response.status_code == 400
    assert "could not be understood" in response.text
    assert customer_client.get("/orders/?q=%00").status_code == 400
