"""PDF downloads and CSV exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zlib

import pytest

from .conftest import line


def pdf_streams(data: bytes) -> bytes:
    """Every stream of a PDF, inflated where compressed (to look for the text's glyph map)."""
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return b"\n".join(out)


def test_pdf_is_a_business_document_with_turkish_text(customer_client, company, make_document):
    doc = make_document(company, "invoice", number="INV-2026-000042", lines=[
        line(name="Işık şalteri ĞÜŞ ğüçö İ", quantity="2", price="99.90")])
    response = customer_client.get(f"/documents/{doc.id}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert 'attachment; filename="INV-2026-000042.pdf"' == response.headers["Content-Disposition"]
    data = response.data
    assert data.startswith(b"%PDF-")
    assert b"DejaVu" in data  # a Unicode font is embedded
    streams = pdf_streams(data)
    # The ToUnicode map of the embedded font holds the Turkish letters drawn on the page.
    for letter in "ışğİŞ":
        assert f"<{ord(letter):04X}>".encode() in streams, letter


def test_pdf_falls_back_without_the_font(make_app, db, customer, company, make_document):
    from portal.testing import PortalClient

    app = make_app(DOCUMENTS_PDF_FONT="/nonexistent/font.ttf")
    app.test_client_class = PortalClient
    client = app.test_client()
    client.login(customer.username)
    doc = make_document(company, "invoice", lines=[line(name="Işık şalteri")])
    response = client.get(f"/documents/{doc.id}/pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert b"Helvetica" in response.data


def test_staff_can_download_any_customers_pdf(staff_client, other_company, make_document):
    doc = make_document(other_company, "quotation", number="QT-1")
    response = staff_client.get(f"/admin/documents/{doc.id}/pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")


def read_csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_export_follows_the_filters(customer_client, company, make_document):
    make_document(company, "invoice", number="INV-1", issued_on=dt.date(2026, 1, 5),
                  due_on=dt.date(2026, 2, 4))
    make_document(company, "invoice", number="INV-2", issued_on=dt.date(2026, 2, 5),
                  status="paid", notes='Not: "acil", virgül, yeni\nsatır')
    make_document(company, "invoice", number="INV-3", issued_on=dt.date(2026, 3, 5))
    page = customer_client.soup("/documents/invoice/?date_from=2026-02-01&sort=number&dir=asc")
    link = page.find("a", string=re.compile("CSV"))
    assert "date_from=2026-02-01" in link["href"]
    response = customer_client.get(link["href"])
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:3] == ["Number", "Date", "Status"]
    assert [r[0] for r in rows[1:]] == ["INV-2", "INV-3"]
    assert rows[1][1] == "2026-02-05" and rows[1][2] == "Paid"
    assert rows[1][10] == "2220.00"
    only_paid = read_csv(customer_client.get("/documents/invoice/export.csv?status=paid"))
    assert [r[0] for r in only_paid[1:]] == ["INV-2"]


@pytest.mark.parametrize("count", [3, 30])
def test_csv_lists_every_matching_document_not_just_one_page(customer_client, company, db,
                                                              count, make_app):
    from plugins.documents.services import create_document

    for n in range(count):
        create_document(db, company_id=company.id, doc_type="payment", number=f"P-{n}",
                        issued_on=dt.date(2026, 1, 1), lines=[], gross_total=n)
    db.commit()
    rows = read_csv(customer_client.get("/documents/payment/export.csv"))
    assert len(rows) == count + 1
