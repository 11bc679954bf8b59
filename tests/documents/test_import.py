"""``portal import FILE.json``: the API's payloads from a file, all or nothing."""

from __future__ import annotations

import json
from decimal import Decimal

from plugins.documents.models import Document, DocumentLink
from portal.core.models import CustomerCompany

BATCH = {
    "companies": [{"external_id": "C-7001", "name": "Ege Tarım Ürünleri Koop."}],
    "goods-issues": [{"external_id": "GI-1", "company": "C-7001", "issued_on": "2026-02-01",
                      "lines": [{"product_name": "Kompoze gübre", "quantity": "4",
                                 "unit": "çuval", "unit_price": "965", "tax_rate": "20"}]}],
    "invoices": [{"external_id": "INV-1", "company": "C-7001", "issued_on": "2026-02-02",
                  "based_on": [{"type": "goods_issue", "external_id": "GI-1"}],
                  "lines": [{"product_name": "Kompoze gübre", "quantity": "4", "unit": "çuval",
                             "unit_price": "965", "tax_rate": "20"}]}],
    "payments": [{"external_id": "PAY-1", "company": "C-7001", "issued_on": "2026-03-01",
                  "amount": "4632.00",
                  "based_on": [{"type": "invoice", "external_id": "INV-1"}]}],
}


def run(app, tmp_path, data):
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return app.test_cli_runner().invoke(args=["import", str(path)])


def test_import_loads_a_batch_and_is_idempotent(app, db, tmp_path):
    result = run(app, tmp_path, BATCH)
    assert result.exit_code == 0, result.output
    assert "invoices: 1 created, 0 updated, 0 unchanged" in result.output
    invoice = db.query(Document).filter_by(external_id="INV-1").one()
    assert invoice.gross_total == Decimal("4632.00")
    assert db.query(DocumentLink).count() == 2
    again = run(app, tmp_path, BATCH)
    assert again.exit_code == 0
    assert "invoices: 0 created, 0 updated, 1 unchanged" in again.output
    assert db.query(Document).count() == 3


def test_import_with_one_bad_record_writes_nothing(app, db, tmp_path):
    bad = json.loads(json.dumps(BATCH))
    bad["payments"][0]["amount"] = "çok"
    bad["bananas"] = []
    result = run(app, tmp_path, bad)
    assert result.exit_code != 0
    assert "payments[0].amount" in result.output and "bananas" in result.output
    assert "Nothing was imported" in result.output
    assert db.query(CustomerCompany).count() == 0
    assert db.query(Document).count() == 0


def test_import_refuses_invalid_json(app, db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    result = app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code != 0 and "not valid JSON" in result.output
