"""Order list and statement exports: every matching order, CSV and XLSX, no formulas."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from portal.core.db import get_engine
from portal.testing import PortalClient


def read_csv(response):
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_order_list_export_has_every_matching_order_and_only_own(
        app, buyer, shop, customer, make_order, make_user, make_company, staff):
    for n in range(25):  # more than one page (20)
        make_order(customer, [(shop.products["VD-100"], 1, "2.50")], po_number=f"=PO{n}")
    other = make_user("other-buyer", company=make_company("Başka Ltd."))
    make_order(other, [(shop.products["VD-100"], 1, "2.50")], po_number="FOREIGN")
    page = buyer.soup("/orders/?status=sent")
    link = page.select_one(".downloads a")
    assert link["href"].startswith("/orders/export.csv") and "status=sent" in link["href"]
    rows = read_csv(buyer.get(link["href"]))
    assert rows[0][:3] == ["Number", "Date", "Status"]
    assert len(rows) == 26 and all(r[3].startswith("'=PO") for r in rows[1:])
    assert "FOREIGN" not in buyer.get("/orders/export.csv").get_data(as_text=True)
    sheet = load_workbook(io.BytesIO(buyer.get("/orders/export.xlsx").data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 26 and values[1][3].startswith("=PO") and sheet["D2"].data_type == "s"
    staff_client = PortalClient(app)
    staff_client.login(staff.username)
    staff_rows = read_csv(staff_client.get("/admin/orders/export.csv"))
    assert staff_rows[0][1] == "Customer" and len(staff_rows) == 27
    assert get_engine(app).pool.checkedout() == 0


def test_statement_xlsx(buyer, shop, customer, make_order):
    make_order(customer, [(shop.products["VD-100"], 4, "2.50")], status="in_progress")
    response = buyer.get("/orders/statement?format=xlsx")
    assert response.headers["Cache-Control"] == "private, no-store"
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Order" and rows[1][4] == "VD-100" and rows[1][7] == 4
    assert rows[-1][0] == "Total"
