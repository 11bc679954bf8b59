"""Exports: their own session (the pool is never exhausted), CSV/XLSX convention, no formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading

from portal.core.db import get_engine

from .conftest import line


def checked_out(app) -> int:
    return get_engine(app).pool.checkedout()


def test_two_hundred_exports_return_every_connection(app, customer_client, company,
                                                     make_document):
    make_document(company, "invoice", number="INV-1")
    for _ in range(200):
        response = customer_client.get("/documents/invoice/export.csv")
        assert response.status_code == 200 and "INV-1" in response.get_data(as_text=True)
        response.close()
    assert checked_out(app) == 0
    assert customer_client.get("/documents/invoice/").status_code == 200


def test_an_export_abandoned_half_way_returns_its_connection(app, customer_client, company,
                                                             db):
    from plugins.documents.services import create_document

    for n in range(3000):
        create_document(db, company_id=company.id, doc_type="payment", number=f"P-{n:05d}",
                        issued_on=dt.date(2026, 1, 1), lines=[], gross_total=n)
    db.commit()
    for _ in range(20):
        response = customer_client.get("/documents/payment/export.csv", buffered=False)
        next(iter(response.response))  # the first chunk only: the client went away
        response.close()
    assert checked_out(app) == 0


def test_pages_answer_while_exports_run(app, customer, company, make_document):
    from portal.testing import PortalClient

    make_document(company, "invoice", number="INV-1")
    errors = []

    def export_many():
        client = PortalClient(app)
        client.login(customer.username)
        for _ in range(40):
            response = client.get("/documents/invoice/export.csv")
            if response.status_code != 200:
                errors.append(response.status_code)
            response.close()

    threads = [threading.Thread(target=export_many) for _ in range(3)]
    for thread in threads:
        thread.start()
    reader = PortalClient(app)
    reader.login(customer.username)
    statuses = [reader.get("/documents/invoice/").status_code for _ in range(10)]
    for thread in threads:
        thread.join()
    assert statuses == [200] * 10 and errors == []
    assert checked_out(app) == 0


def test_csv_neutralises_formulas_but_keeps_numbers(customer_client, company, make_document):
    make_document(company, "payment", number="=HYPERLINK(\"http://x\")", lines=[],
                  gross_total=-15)
    make_document(company, "payment", number="@SUM(A1)", lines=[], gross_total=5)
    text = customer_client.get("/documents/payment/export.csv?sort=number&dir=asc") \
        .get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    numbers = sorted(row[0] for row in rows[1:])
    assert numbers == ["'=HYPERLINK(\"http://x\")", "'@SUM(A1)"]
    totals = sorted(row[10] for row in rows[1:])
    assert totals == ["-15.0000", "5.0000"] or totals == ["-15.00", "5.00"]


def test_turkish_csv_uses_semicolons_and_decimal_commas(customer_client, customer, company, db,
                                                        make_document):
    customer.locale = "tr"
    db.commit()
    make_document(company, "invoice", number="FT-1", lines=[line(quantity="1", price="12.50",
                                                                tax="0")])
    response = customer_client.get("/documents/invoice/export.csv")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][0] != "Number"  # the header speaks Turkish
    assert rows[1][0] == "FT-1"
    assert rows[1][10].startswith("12,5")


def test_xlsx_export_keeps_types_and_never_stores_a_formula(customer_client, company,
                                                           make_document):
    from openpyxl import load_workbook

    make_document(company, "invoice", number="=1+1", issued_on=dt.date(2026, 3, 5))
    response = customer_client.get("/documents/invoice/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.data)).active
    header, first = list(sheet.iter_rows(values_only=True))[:2]
    assert header[0] == "Number"
    assert first[0] == "=1+1" and sheet["A2"].data_type == "s"
    assert first[1].date() == dt.date(2026, 3, 5)
    assert float(first[10]) == 2220.0


def test_list_page_offers_both_downloads(customer_client, company, make_document):
    make_document(company, "invoice")
    page = customer_client.soup("/documents/invoice/?status=issued")
    links = {a.get_text(strip=True): a["href"] for a in page.select(".downloads a")}
    assert links["CSV"].startswith("/documents/invoice/export.csv?")
    assert "export.xlsx?" in links["Excel (XLSX)"] and "status=issued" in links["Excel (XLSX)"]


def test_downloads_are_not_cached(customer_client, company, make_document):
    doc = make_document(company, "invoice")
    for url in ("/documents/invoice/export.csv", f"/documents/{doc.id}/pdf"):
        assert customer_client.get(url).headers["Cache-Control"] == "private, no-store"
