"""Bulk import of products and prices: upload, preview with row-level errors, confirm."""

from __future__ import annotations

import io
from decimal import Decimal as D

from bs4 import BeautifulSoup
from openpyxl import Workbook
from sqlalchemy import func, select

from plugins.orders import catalogue_import as ci
from plugins.orders.models import Price, Product
from portal.core.models import AuditLog


def _upload(client, content: bytes, name: str = "urunler.csv", kind: str = "products"):
    return client.post("/admin/orders/import", data={
        "kind": kind, "file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _errors(response) -> list[tuple[str, str, str]]:
    table = _soup(response).find(id="import-errors")
    return [tuple(td.get_text(strip=True) for td in tr.find_all("td"))
            for tr in table.select("tbody tr")]


def _confirm(client, response):
    token = _soup(response).find("input", attrs={"name": "token"})["value"]
    return client.post("/admin/orders/import/confirm", data={"token": token, "apply": "1"})


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_csv_with_bom_and_semicolons_turkish_decimals(staff_client, shop, db):
    content = ("\ufeffkod;ad;kategori;birim;tam birim;kdv\n"
               "YN-1;Çekiç;FAS;pcs;evet;7,5\n"
               "VD-100;Vida M6 × 30 yeni;;;;\n").encode("utf-8")
    preview = _upload(staff_client, content)
    assert preview.status_code == 200
    summary = _soup(preview).find(id="import-summary").get_text(" ", strip=True)
    assert "To create: 1" in summary and "To update: 1" in summary
    assert db.scalar(select(Product).where(Product.code == "YN-1")) is None  # nothing yet
    assert _confirm(staff_client, preview).status_code == 303
    db.expire_all()
    created = db.scalar(select(Product).where(Product.code == "YN-1"))
    assert (created.name, created.tax_rate, created.whole_units) == ("Çekiç", D("7.5"), True)
    assert db.get(Product, shop.products["VD-100"].id).name == "Vida M6 × 30 yeni"
    entry = db.scalar(select(AuditLog).where(AuditLog.action == "orders.import.products"))
    assert (entry.detail["created"], entry.detail["updated"]) == (1, 1)
    # The stored file is gone: a second confirm with the same token changes nothing.
    again = _confirm_token(staff_client, preview)
    assert again.status_code == 303 and again.location.endswith("/admin/orders/import")


def _confirm_token(client, preview):
    token = _soup(preview).find("input", attrs={"name": "token"})["value"]
    return client.post("/admin/orders/import/confirm", data={"token": token, "apply": "1"})


def test_row_level_errors_and_nothing_written(staff_client, shop, db):
    content = (b"code,name,category,tax_rate\n"
               b"A-1,Bir,FAS,20\n"
               b"A-1,Bir tekrar,FAS,20\n"
               b"A-2,Iki,YOK,20\n"
               b"A-3,Uc,FAS,yirmi\n"
               b",Dort,FAS,20\n")
    preview = _upload(staff_client, content)
    assert preview.status_code == 422
    assert _errors(preview) == [
        ("3", "code", "The code A-1 is already on row 2 of this file."),
        ("4", "category", "There is no category with the code YOK."),
        ("5", "tax_rate", "“yirmi” is not a number; write it like 12.5."),
        ("6", "code", "Enter the product code."),
    ]
    assert _soup(preview).find(id="confirm-import") is None
    assert db.scalar(select(func.count()).select_from(Product)
                     .where(Product.code.like("A-%"))) == 0


def test_point_decimal_in_a_semicolon_file_is_an_error(staff_client, shop):
    preview = _upload(staff_client, b"product;price_list;price\nVD-100;STD;2.5\n",
                      name="fiyat.csv", kind="prices")
    assert _errors(preview) == [("2", "price", "“2.5” is not a number; write it like 12,5.")]


def test_xlsx_prices_update_and_create(staff_client, shop, db):
    content = _xlsx([["product", "price_list", "price"], ["VD-100", "STD", 2.75],
                     ["NP-500", "STD", "1.234,5"], ["XX-1", "STD", 1]])
    preview = _upload(staff_client, content, name="fiyat.xlsx", kind="prices")
    assert _errors(preview) == [
        ("3", "price", "“1.234,5” is not a number; write it like 12.5."),
        ("4", "product", "There is no product with the code XX-1."),
    ]
    content = _xlsx([["product", "price_list", "price"], ["VD-100", "STD", 2.75],
                     ["NP-500", "STD", "1234.5"]])
    preview = _upload(staff_client, content, name="fiyat.xlsx", kind="prices")
    assert preview.status_code == 200
    assert _confirm(staff_client, preview).status_code == 303
    db.expire_all()
    prices = dict(db.execute(select(Product.code, Price.unit_price)
                             .join(Price, Price.product_id == Product.id)).all())
    assert prices["VD-100"] == D("2.75") and prices["NP-500"] == D("1234.5")


def test_row_limit_is_stated_and_enforced(staff_client, shop, monkeypatch):
    form = staff_client.soup("/admin/orders/import")
    assert "At most 5000 rows per file." in form.get_text()
    monkeypatch.setattr(ci, "MAX_ROWS", 2)
    monkeypatch.setattr(ci.read_table, "__defaults__", (2,))
    preview = _upload(staff_client, b"code,name\nA,a\nB,b\nC,c\n")
    assert preview.status_code == 422
    assert "at most 2 are imported at once" in _soup(preview).find(id="file-error").get_text()


def test_bad_type_and_missing_columns(staff_client, shop):
    response = _upload(staff_client, b"x", name="urunler.txt")
    assert response.status_code == 422 and _soup(response).find(id="file-error")
    response = _upload(staff_client, b"ad\nA\n")
    assert "lacks the columns code" in _soup(response).find(id="file-error").get_text()


def test_a_forged_token_changes_nothing(staff_client, shop, db):
    response = staff_client.post("/admin/orders/import/confirm",
                                 data={"token": "orders_import/" + "0" * 32, "apply": "1"})
    assert response.status_code == 303
    assert db.scalar(select(AuditLog).where(AuditLog.action.like("orders.import.%"))) is None


def test_customers_cannot_import(customer_client, shop):
    assert _upload(customer_client, b"code,name\nA,a\n").status_code == 403
    assert customer_client.post("/admin/orders/import/confirm",
                                data={"token": "x"}).status_code == 403


def test_cancel_deletes_the_stored_file(staff_client, shop, db):
    preview = _upload(staff_client, b"code,name\nZZ-1,Zed\n")
    token = _soup(preview).find("input", attrs={"name": "token"})["value"]
    assert staff_client.post("/admin/orders/import/confirm",
                             data={"token": token, "cancel": "1"}).status_code == 303
    assert _confirm_token(staff_client, preview).location.endswith("/admin/orders/import")
    assert db.scalar(select(Product).where(Product.code == "ZZ-1")) is None
