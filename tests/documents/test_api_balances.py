"""The API fields balances read: an order per document, allocations, credit limit and terms."""

from __future__ import annotations

from decimal import Decimal

from plugins.documents.models import CompanyTerms, DocumentAllocation

INVOICE = {"company": "C-7", "number": "FTR-1", "issued_on": "2026-03-02",
           "due_on": "2026-04-01", "order": "SO-2026-000001",
           "lines": [{"product_name": "Çimento", "quantity": "10", "unit_price": "100",
                      "tax_rate": "20"}]}


def _company(api, **terms):
    body = {"name": "Anadolu Yapı Market A.Ş.", **terms}
    return api("PUT", "/api/v1/companies/C-7", json=body)


def test_companies_carry_credit_limit_and_payment_terms(api, db):
    response = _company(api, credit_limit="25000.00", credit_currency="try",
                        payment_terms_days=30, payment_terms="30 gün vadeli")
    assert response.status_code == 201
    read = api("GET", "/api/v1/companies/C-7").json
    assert read["credit_limit"] == "25000.00" and read["credit_currency"] == "TRY"
    assert read["payment_terms_days"] == 30
    again = _company(api, credit_limit="25000", credit_currency="TRY", payment_terms_days=30,
                     payment_terms="30 gün vadeli")
    assert again.json["changed"] is False
    assert _company(api).json["changed"] is True  # left out: emptied
    assert db.query(CompanyTerms).count() == 0


def test_a_payment_allocates_to_an_invoice_and_an_order(api, db):
    _company(api)
    assert api("PUT", "/api/v1/invoices/F-1", json=INVOICE).status_code == 201
    payment = {"company": "C-7", "issued_on": "2026-03-20", "amount": "1500.00",
               "allocations": [{"invoice": "FTR-1", "amount": "1200.00"},
                               {"order": "SO-2026-000002", "amount": "300"}]}
    response = api("PUT", "/api/v1/payments/T-1", json=payment)
    assert response.status_code == 201, response.json
    rows = db.query(DocumentAllocation).order_by(DocumentAllocation.position).all()
    assert [(r.order_number, r.amount) for r in rows] == [
        (None, Decimal("1200.00")), ("SO-2026-000002", Decimal("300.00"))]
    read = api("GET", "/api/v1/payments/T-1").json
    assert read["allocations"] == [
        {"invoice": "FTR-1", "order": None, "amount": "1200.00"},
        {"invoice": None, "order": "SO-2026-000002", "amount": "300.00"}]
    assert api("GET", "/api/v1/invoices/F-1").json["order"] == "SO-2026-000001"
    assert api("PUT", "/api/v1/payments/T-1", json=payment).json["changed"] is False
    payment["allocations"] = []
    assert api("PUT", "/api/v1/payments/T-1", json=payment).json["changed"] is True
    assert db.query(DocumentAllocation).count() == 0


def test_allocations_that_cannot_be_right_are_refused(api, db):
    _company(api)
    api("PUT", "/api/v1/invoices/F-1", json=INVOICE)
    payment = {"company": "C-7", "issued_on": "2026-03-20", "amount": "100.00",
               "currency": "EUR",
               "allocations": [{"invoice": "FTR-404", "amount": "10"},
                               {"invoice": "FTR-1", "amount": "10"},
                               {"invoice": "FTR-1", "order": "SO-1", "amount": "10"},
                               {"order": "SO-1", "amount": "-5"}]}
    response = api("PUT", "/api/v1/payments/T-2", json=payment)
    assert response.status_code == 422
    fields = [e["field"] for e in response.json["errors"]]
    assert fields == ["allocations[0].invoice", "allocations[1].invoice", "allocations[2]",
                      "allocations[3].amount"]
    too_much = {"company": "C-7", "issued_on": "2026-03-20", "amount": "100.00",
                "allocations": [{"invoice": "FTR-1", "amount": "100.01"}]}
    response = api("PUT", "/api/v1/payments/T-3", json=too_much)
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "allocations"
    assert db.query(DocumentAllocation).count() == 0


def test_only_credit_documents_take_allocations(api):
    _company(api)
    body = dict(INVOICE, allocations=[{"invoice": "X", "amount": "1"}])
    response = api("PUT", "/api/v1/invoices/F-9", json=body)
    assert response.status_code == 422
    assert response.json["errors"] == [{"field": "allocations", "message": "Unknown field."}]
