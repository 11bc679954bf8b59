"""Issue 13: every export follows one convention — UTF-8 with BOM, ``;`` where the decimal mark
is a comma (Turkish), ``,`` otherwise — and has an XLSX beside it. The test walks every CSV rule
of the app, so a new export that does its own thing fails here."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _values(db):
    from plugins.support.models import SupportRequest
    from portal.core.models import CustomerCompany

    company = db.scalar(select(CustomerCompany).where(CustomerCompany.name.like("Anadolu%")))
    request = db.scalar(select(SupportRequest).where(SupportRequest.company_id == company.id)
                        .order_by(SupportRequest.id))
    return {"doc_type": "invoice", "company_id": company.id, "request_id": request.id}


def _csv_rules(app):
    rules = [r for r in app.url_map.iter_rules() if r.rule.endswith(".csv")]
    assert len(rules) >= 7, [r.rule for r in rules]
    return rules


def _url(rule, values, ext):
    path = rule.rule.removesuffix(".csv") + "." + ext
    for arg in rule.arguments - {"fmt"}:
        path = path.replace(f"<{arg}>", str(values[arg])).replace(f"<int:{arg}>",
                                                                  str(values[arg]))
    return path


@pytest.mark.parametrize("language, delimiter", [("en", ","), ("tr", ";")])
def test_every_csv_export_has_the_convention_and_an_xlsx_beside_it(app, db, signed_in, language,
                                                                    delimiter):
    values = _values(db)
    clients = {"customer": signed_in("ayse"), "staff": signed_in("admin")}
    for client in clients.values():
        client.post("/account/language", data={"lang": language, "next": "/"})
    for rule in _csv_rules(app):
        client = clients["staff" if rule.rule.startswith("/admin/") else "customer"]
        url = _url(rule, values, "csv")
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.mimetype == "text/csv", url
        body = response.get_data()
        assert body.startswith("\ufeff".encode()), url
        first = body.decode("utf-8-sig").splitlines()[0]
        other = "," if delimiter == ";" else ";"
        assert delimiter in first and (other not in first or language == "en"), (url, first)
        xlsx = client.get(_url(rule, values, "xlsx"))
        assert xlsx.status_code == 200 and xlsx.mimetype == XLSX, url
        sheet = load_workbook(io.BytesIO(xlsx.data), read_only=True).active
        assert next(sheet.iter_rows(values_only=True)), url
