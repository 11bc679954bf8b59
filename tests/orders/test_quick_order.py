"""Quick order: pasted lines or a CSV, every line checked and previewed before the cart."""

from __future__ import annotations

import io
from decimal import Decimal

from bs4 import BeautifulSoup
from sqlalchemy import select

from plugins.orders.models import CartLine

from .conftest import restrict


def preview(client, text=None, upload=None):
    data = {"action": "preview"}
    if text is not None:
        data["lines"] = text
    if upload is not None:
        data["csv_file"] = (io.BytesIO(upload.encode()), "order.csv")
    response = client.post("/orders/quick-order", data=data,
                           content_type="multipart/form-data")
    return response, BeautifulSoup(response.text, "html.parser")


def test_every_line_is_checked_and_nothing_goes_in_before_confirming(buyer, shop, db,
                                                                    customer_group):
    shop.products["BY-400"].active = False
    db.commit()
    text = "\n".join(["VD-100 20", "vd-101\t5", "KB-200; 2.5", "XX-999 1", "VD-100 1.5",
                      "LM-300 0", "BY-400 1", "NP-500 1", "", "# comment"])
    response, soup = preview(buyer, text)
    assert response.status_code == 200
    rows = soup.find(id="quick-preview-table").select("tbody tr")
    assert len(rows) == 8
    assert [r.find_all("td")[-1].get_text(strip=True) for r in rows] == [
        "OK", "OK", "OK", "No product has this code.",
        "This product is sold in whole units only.", "The quantity must be more than zero.",
        "This product is no longer available.", "This product has no price for you yet."]
    assert "3 of 8 lines" in soup.find(id="quick-summary").text
    assert db.scalar(select(CartLine)) is None
    # confirming adds the good lines only
    response = buyer.post("/orders/quick-order", data={"action": "add", "lines": text})
    assert response.status_code == 303
    lines = {line.product_id: line.quantity for line in db.scalars(select(CartLine))}
    assert lines == {shop.products["VD-100"].id: Decimal("20"),
                     shop.products["VD-101"].id: Decimal("5"),
                     shop.products["KB-200"].id: Decimal("2.5")}
    page = buyer.soup("/orders/cart").get_text()
    assert "3 lines were added" in page and "5 lines had problems" in page


def test_outside_the_restriction_is_refused_without_naming_the_product(buyer, shop, db,
                                                                      customer_group):
    restrict(db, customer_group, "orders.categories", "ELK")
    _response, soup = preview(buyer, "VD-100 2\nLM-300 1")
    rows = soup.find(id="quick-preview-table").select("tbody tr")
    assert rows[0].find_all("td")[-1].get_text(strip=True) == "You cannot order this product."
    assert "Vida" not in rows[0].get_text()
    assert rows[1].find_all("td")[-1].get_text(strip=True) == "OK"
    buyer.post("/orders/quick-order", data={"action": "add", "lines": "VD-100 2\nLM-300 1"})
    assert [line.product_id for line in db.scalars(select(CartLine))] == [
        shop.products["LM-300"].id]


def test_csv_upload_with_header_and_semicolons(buyer, shop):
    _response, soup = preview(buyer, upload="code;quantity\nVD-100;4\nKB-200;3.25\n")
    rows = soup.find(id="quick-preview-table").select("tbody tr")
    assert [r.find_all("td")[-1].get_text(strip=True) for r in rows] == ["OK", "OK"]
    assert "VD-100\t4" in soup.find("input", attrs={"name": "lines", "type": "hidden"})["value"]


def test_empty_input_says_what_to_do(buyer, shop):
    response, soup = preview(buyer, "  \n")
    assert response.status_code == 422
    assert "Paste at least one line" in soup.find(id="quick-error").text
