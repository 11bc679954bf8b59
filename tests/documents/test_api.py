"""The integration API: tokens, idempotent create-or-update, validation, OpenAPI."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from werkzeug.exceptions import MethodNotAllowed, NotFound

from plugins.documents.models import ApiToken, Document, DocumentLine, DocumentLink
from portal.core.models import AuditLog, CustomerCompany

COMPANY = {"name": "Işık Elektrik Ltd. Şti.", "tax_number": "4650098765",
           "billing_address": "Kızılay Mah. 45\n06420 Çankaya / Ankara",
           "email": "info@isikelektrik.example"}
GOODS_ISSUE = {"company": "C-2001", "number": "IRS-2026-0001", "issued_on": "2026-03-01",
               "lines": [{"product_code": "EL-1001", "product_name": "NYA kablo 2,5 mm²",
                          "quantity": "3", "unit": "makara", "unit_price": "1895.00",
                          "tax_rate": "20"}]}
INVOICE = {"company": "C-2001", "number": "FTR-2026-0001", "issued_on": "2026-03-02",
           "due_on": "2026-04-01", "status": "issued",
           "based_on": [{"type": "goods_issue", "external_id": "GI-1"}],
           "lines": [{"product_code": "EL-1001", "product_name": "NYA kablo 2,5 mm²",
                      "quantity": 3, "unit": "makara", "unit_price": "1895.00",
                      "tax_rate": "20", "discount_rate": "5"},
                     {"product_name": "Nakliye", "quantity": "1", "unit_price": 250.5,
                      "tax_rate": "20"}]}


@pytest.fixture
def loaded(api):
    assert api("PUT", "/api/v1/companies/C-2001", json=COMPANY).status_code == 201
    assert api("PUT", "/api/v1/goods-issues/GI-1", json=GOODS_ISSUE).status_code == 201


def test_requests_without_a_valid_token_are_refused(api, db, admin):
    from plugins.documents.api import new_token

    assert api("PUT", "/api/v1/companies/C-1", json=COMPANY, token=None).status_code == 401
    response = api("PUT", "/api/v1/companies/C-1", json=COMPANY, token="ptk_wrong")
    assert response.status_code == 401
    assert response.json["errors"][0]["message"].startswith("The API token is not valid")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    row, token = new_token(db, "old", admin.id)
    from portal.core.db import utcnow

    row.revoked_at = utcnow()
    db.commit()
    assert api("GET", "/api/v1/companies/C-1", token=token).status_code == 401
    assert api("PUT", "/api/v1/companies/C-1", json=COMPANY, token=token).status_code == 401
    assert db.query(CustomerCompany).filter_by(external_id="C-1").count() == 0


def test_a_signed_in_browser_is_not_an_api_client(customer_client):
    response = customer_client.put("/api/v1/companies/C-1", json=COMPANY)
    assert response.status_code == 401


def test_token_is_stored_hashed(db, api_token):
    row = db.query(ApiToken).one()
    assert row.token_hash == hashlib.sha256(api_token.encode()).hexdigest()
    assert api_token not in (row.token_hash, row.prefix)


def test_company_create_or_update_is_idempotent(api, db):
    first = api("PUT", "/api/v1/companies/C-2001", json=COMPANY)
    assert first.status_code == 201 and first.json["created"] is True
    again = api("PUT", "/api/v1/companies/C-2001", json=COMPANY)
    assert again.status_code == 200
    assert again.json == {"id": first.json["id"], "external_id": "C-2001", "created": False,
                          "changed": False}
    changed = api("PUT", "/api/v1/companies/C-2001", json=dict(COMPANY, phone="+90 312 1"))
    assert changed.json["changed"] is True
    db.expire_all()
    company = db.query(CustomerCompany).filter_by(external_id="C-2001").one()
    assert company.phone == "+90 312 1" and company.search_key == "isik elektrik ltd. sti."
    assert db.query(CustomerCompany).count() == 1
    read = api("GET", "/api/v1/companies/C-2001")
    assert read.json["name"] == "Işık Elektrik Ltd. Şti."
    assert db.query(AuditLog).filter(AuditLog.action.like("api.%")).count() == 2


def test_document_create_or_update_is_idempotent(api, db, loaded):
    first = api("PUT", "/api/v1/invoices/INV-1", json=INVOICE)
    assert first.status_code == 201, first.json
    db.expire_all()
    doc = db.query(Document).filter_by(external_id="INV-1").one()
    assert doc.doc_type == "invoice" and doc.number == "FTR-2026-0001"
    assert doc.gross_total == Decimal("6781.50")  # (3 × 1895 × 0.95 + 250.50) × 1.2
    stamp, line_ids = doc.updated_at, sorted(r.id for r in db.query(DocumentLine)
                                             .filter_by(document_id=doc.id))
    audit_count = db.query(AuditLog).count()

    again = api("PUT", "/api/v1/invoices/INV-1", json=INVOICE)
    assert again.status_code == 200 and again.json["changed"] is False
    db.expire_all()
    doc = db.get(Document, doc.id)
    assert doc.updated_at == stamp
    assert sorted(r.id for r in db.query(DocumentLine).filter_by(document_id=doc.id)) == line_ids
    assert db.query(AuditLog).count() == audit_count
    assert db.query(Document).count() == 2

    edited = dict(INVOICE, status="paid", lines=INVOICE["lines"][:1])
    response = api("PUT", "/api/v1/invoices/INV-1", json=edited)
    assert response.json["changed"] is True
    db.expire_all()
    doc = db.get(Document, doc.id)
    assert doc.status == "paid" and doc.gross_total == Decimal("6480.90")
    assert db.query(DocumentLine).filter_by(document_id=doc.id).count() == 1
    body = api("GET", "/api/v1/invoices/INV-1").json
    assert body["based_on"] == [{"type": "goods_issue", "external_id": "GI-1"}]
    assert body["due_on"] == "2026-04-01" and body["gross_total"] == "6480.90"


def test_every_document_type_has_a_resource(api, db, loaded):
    resources = {"quotations": {"valid_until": "2026-04-01"}, "goods-issues": {},
                 "invoices": {}, "tax-invoices": {}, "goods-returns": {}, "credit-notes": {},
                 "reconciliations": {"period_start": "2026-01-01", "period_end": "2026-03-31",
                                     "opening_balance": "0", "closing_balance": "10"},
                 "payments": {"amount": "1500.00"}}
    for name, extra in resources.items():
        payload = {"company": "C-2001", "issued_on": "2026-03-05", **extra}
        if name not in ("payments", "reconciliations"):
            payload["lines"] = GOODS_ISSUE["lines"]
        response = api("PUT", f"/api/v1/{name}/X-{name}", json=payload)
        assert response.status_code == 201, (name, response.json)
        assert api("PUT", f"/api/v1/{name}/X-{name}", json=payload).json["changed"] is False
    payment = db.query(Document).filter_by(external_id="X-payments").one()
    assert payment.doc_type == "payment" and payment.gross_total == Decimal("1500.00")
    assert payment.number == "PAY-2026-000001"  # numbered by the portal when not given


def test_bad_payload_gets_field_errors_and_writes_nothing(api, db, loaded):
    before = (db.query(Document).count(), db.query(DocumentLine).count(),
              db.query(DocumentLink).count())
    bad = dict(INVOICE, issued_on="02.03.2026", status="lost", colour="red",
               based_on=[{"type": "goods_issue", "external_id": "NOPE"}],
               lines=[{"product_name": "", "quantity": "three", "unit_price": True}])
    response = api("PUT", "/api/v1/invoices/INV-BAD", json=bad)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json["errors"]}
    assert {"issued_on", "status", "colour", "lines[0].product_name", "lines[0].quantity",
            "lines[0].unit_price"} <= fields
    # the reference problems are reported once the shape is right, still writing nothing
    response = api("PUT", "/api/v1/invoices/INV-BAD", json=dict(
        INVOICE, company="C-404", based_on=[{"type": "goods_issue", "external_id": "NOPE"}]))
    assert response.status_code == 422
    assert {e["field"] for e in response.json["errors"]} == {"company", "based_on[0]"}
    assert api("PUT", "/api/v1/invoices/INV-BAD", data="not json",
               content_type="application/json").status_code == 400
    db.expire_all()
    assert (db.query(Document).count(), db.query(DocumentLine).count(),
            db.query(DocumentLink).count()) == before


def test_a_failing_update_leaves_the_document_as_it_was(api, db, loaded):
    api("PUT", "/api/v1/invoices/INV-1", json=INVOICE)
    response = api("PUT", "/api/v1/invoices/INV-1", json=dict(INVOICE, company="C-404"))
    assert response.status_code == 422
    db.expire_all()
    doc = db.query(Document).filter_by(external_id="INV-1").one()
    assert doc.gross_total == Decimal("6781.50")
    assert db.query(DocumentLine).filter_by(document_id=doc.id).count() == 2


def test_based_on_must_be_the_same_customers_document(api, db, loaded):
    api("PUT", "/api/v1/companies/C-2002", json=dict(COMPANY, name="Başka Firma"))
    response = api("PUT", "/api/v1/invoices/INV-X", json=dict(INVOICE, company="C-2002"))
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "based_on[0]"


def test_unknown_resource_and_record_are_404_json(api):
    assert api("PUT", "/api/v1/bananas/1", json={}).status_code == 404
    response = api("GET", "/api/v1/invoices/none")
    assert response.status_code == 404 and response.json["errors"]


# -- OpenAPI ----------------------------------------------------------------------------------


def _spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def test_openapi_matches_the_routes(app, client, api):
    spec = _spec(client)
    assert spec["openapi"].startswith("3.")
    adapter = app.url_map.bind("localhost")
    documented = set()
    for path, item in spec["paths"].items():
        url = "/api/v1" + path.replace("{external_id}", "SAMPLE-1")
        for method in ("get", "put", "post", "delete", "patch"):
            if method in item:
                documented.add((path, method))
                endpoint, args = adapter.match(url, method=method.upper())
                assert endpoint.startswith("documents_api.")
                # the route answers for this resource (not "no such resource"); a change
                # feed (a path without an id) answers its first page
                response = api(method.upper(), url, json={})
                expected = (404, 422) if "{external_id}" in path else (200,)
                assert response.status_code in expected and "No API resource" not in str(
                    response.json)
            else:
                with pytest.raises((MethodNotAllowed, NotFound)):
                    adapter.match(url, method=method.upper())
    # vice versa: every API route and method is documented for every resource
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("documents_api.") or "openapi" in rule.rule:
            continue
        depth = rule.rule.removeprefix("/api/v1").count("/")  # feed, record, record's file
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            for path in spec["paths"]:
                if path.count("/") == depth:
                    assert (path, method.lower()) in documented
    names = {p.split("/")[1] for p in spec["paths"]}
    assert {"companies", "quotations", "goods-issues", "invoices", "tax-invoices",
            "reconciliations", "goods-returns", "credit-notes", "payments"} <= names


def test_openapi_required_fields_are_really_required(client, api, loaded):
    spec = _spec(client)
    schemas = spec["components"]["schemas"]
    examples = {"companies": COMPANY, "invoices": INVOICE, "goods-issues": GOODS_ISSUE}
    for name, payload in examples.items():
        put = spec["paths"][f"/{name}/{{external_id}}"]["put"]
        ref = put["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        schema = schemas[ref.rsplit("/", 1)[1]]
        assert set(payload) <= set(schema["properties"])
        assert schema["required"]
        for field in schema["required"]:
            partial = {k: v for k, v in payload.items() if k != field}
            response = api("PUT", f"/api/v1/{name}/REQ-{field}", json=partial)
            assert response.status_code == 422, (name, field)
            assert field in {e["field"] for e in response.json["errors"]}
        line_schema = schema["properties"].get("lines", {}).get("items")
        if line_schema:
            assert set(line_schema["required"]) == {"product_name", "quantity", "unit_price"}


# -- admin pages for tokens ---------------------------------------------------------------


def test_admin_creates_a_token_shown_once_and_revokes_it(admin_client, db, client):
    response = admin_client.post("/admin/documents/api-tokens/", data={"name": "ERP canlı"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    token = soup.find("input", id="new-token")["value"]
    assert token.startswith("ptk_")
    listing = admin_client.get("/admin/documents/api-tokens/").text
    assert token not in listing and "ERP canlı" in listing
    row = db.query(ApiToken).one()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.put("/api/v1/companies/C-9", json=COMPANY, headers=headers).status_code == 201
    revoke = admin_client.post(f"/admin/documents/api-tokens/{row.id}/revoke")
    assert revoke.status_code == 303
    assert client.put("/api/v1/companies/C-9", json=COMPANY, headers=headers).status_code == 401


def test_token_name_is_required(admin_client, db):
    response = admin_client.post("/admin/documents/api-tokens/", data={"name": ""})
    assert response.status_code == 422
    assert BeautifulSoup(response.text, "html.parser").find(id="name-error") is not None
    assert db.query(ApiToken).count() == 0


def test_only_admins_manage_tokens(staff_client, customer, client):
    assert staff_client.get("/admin/documents/api-tokens/").status_code == 403
    assert staff_client.post("/admin/documents/api-tokens/",
                             data={"name": "x"}).status_code == 403
