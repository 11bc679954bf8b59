"""Quick order with awkward files and too many lines: read, or a clear message, never a 500."""

from __future__ import annotations

import io

from bs4 import BeautifulSoup

from plugins.orders.quick_order import MAX_LINES


def upload(client, data: bytes):
    response = client.post("/orders/quick-order",
                           data={"action": "preview", "csv_file": (io.BytesIO(data), "o.csv")},
                           content_type="multipart/form-data")
    return response, BeautifulSoup(response.text, "html.parser")


def test_old_mac_line_endings_are_read(buyer, shop):
    response, soup = upload(buyer, b"code;quantity\rVD-100;2\rVD-101;3\r")
    assert response.status_code == 200
    assert len(soup.find(id="quick-preview-table").select("tbody tr")) == 2


def test_binary_file_gets_a_message(buyer, shop):
    response, soup = upload(buyer, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert response.status_code == 422
    assert "not a CSV" in soup.find(id="quick-error").text


def test_a_giant_cell_gets_a_message(buyer, shop):
    response, soup = upload(buyer, b'"' + b"A" * 140_000 + b'";1\nVD-100;2\n')
    assert response.status_code == 422
    assert "could not be read as CSV" in soup.find(id="quick-error").text


def test_lines_beyond_the_limit_are_announced(buyer, shop):
    text = "\n".join(["VD-100 1"] * (MAX_LINES + 100))
    response = buyer.post("/orders/quick-order", data={"action": "preview", "lines": text})
    soup = BeautifulSoup(response.text, "html.parser")
    assert "100 lines after them were left out" in soup.find(id="quick-left-out").text
    assert f"Up to {MAX_LINES} lines" in soup.find(id="quick-limit").text
    response = buyer.post("/orders/quick-order", data={"action": "add", "lines": text},
                          follow_redirects=True)
    assert "100 lines after them were left out" in response.text


def test_an_oversized_quick_order_is_refused_by_its_length_at_once(buyer, shop):
    from plugins.orders.quick_order import MAX_REQUEST_BYTES

    body = b"lines=" + b"A" * MAX_REQUEST_BYTES
    response = buyer.post("/orders/quick-order", csrf=False, data=body,
                          content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "too large (the limit is " in response.text


def test_the_quick_order_form_states_its_limits(buyer, shop):
    text = buyer.soup("/orders/quick-order").find(id="quick-limit").get_text()
    assert "500 lines" in text and "1,024 KB" in text
