"""Answering reconciliation statements: confirm, dispute with lines and reason, final once
confirmed, visible to staff and to the ERP."""

from __future__ import annotations

from plugins.documents.models import ReconciliationAnswer
from portal.core.events import Event


def _form(client, doc):
    soup = client.soup(f"/documents/{doc.id}")
    return soup.find("form", action=f"/balances/reconciliations/{doc.id}/answer")


def test_a_customer_disputes_then_confirms_and_then_cannot_answer_again(
        app, customer_client, staff, company, book, db, api):
    doc = book.statement(company)
    assert _form(customer_client, doc) is not None
    response = customer_client.post(f"/balances/reconciliations/{doc.id}/answer",
                                    data={"rs-answer": "disputed", "rs-lines": ["2"],
                                          "rs-reason": ""})
    assert response.status_code == 422  # a dispute needs a reason
    assert db.query(ReconciliationAnswer).count() == 0
    response = customer_client.post(f"/balances/reconciliations/{doc.id}/answer",
                                    data={"rs-answer": "disputed", "rs-lines": ["2"],
                                          "rs-reason": "Ödeme 5 Mayıs'ta yapıldı."})
    assert response.status_code == 303
    page = customer_client.soup(f"/documents/{doc.id}")
    section = page.find(id="reconciliation-answer").get_text(" ", strip=True)
    assert "Disputed" in section and "Lines that differ: 2" in section
    read = api("GET", f"/api/v1/reconciliation-answers/{doc.number}").json
    assert read["answer"] == "disputed" and read["disputed_lines"] == [2]
    assert read["status"] == "disputed"
    event = db.query(Event).filter_by(kind="balances.reconciliation_answered").one()
    assert event.payload["answer"] == "disputed"

    for _twice in range(2):
        response = customer_client.post(f"/balances/reconciliations/{doc.id}/answer",
                                        data={"rs-answer": "confirmed"})
        assert response.status_code == 303
    db.expire_all()
    answer = db.get(ReconciliationAnswer, doc.id)
    assert answer.answer == "confirmed"
    assert db.query(Event).filter_by(kind="balances.reconciliation_answered").count() == 2
    assert _form(customer_client, doc) is None
    staff_client = app.test_client()
    assert staff_client.login(staff.username).status_code == 303
    staff_page = staff_client.soup(f"/admin/documents/{doc.id}")
    assert "Confirmed" in staff_page.find(id="reconciliation-answer").get_text()
    assert staff_page.find("form", action=f"/balances/reconciliations/{doc.id}/answer") is None


def test_another_companys_statement_is_not_found(customer_client, other_company, book, db):
    doc = book.statement(other_company)
    response = customer_client.post(f"/balances/reconciliations/{doc.id}/answer",
                                    data={"rs-answer": "confirmed"})
    assert response.status_code == 404
    assert db.query(ReconciliationAnswer).count() == 0


def test_the_api_resource_is_read_only(api, company, book):
    doc = book.statement(company)
    assert api("GET", f"/api/v1/reconciliation-answers/{doc.number}").json["answer"] is None
    response = api("PUT", f"/api/v1/reconciliation-answers/{doc.number}",
                   json={"answer": "confirmed"})
    assert response.status_code == 422
    assert api("GET", "/api/v1/reconciliation-answers/RS-404").status_code == 404


def test_a_dispute_opens_a_support_request_when_support_is_enabled(
        app, customer_client, customer, company, book, monkeypatch):
    import sys
    import types

    from portal.core.db import get_session
    from portal.testing import enable_plugins

    def set_support(on):
        with app.app_context():
            session = get_session()
            app.extensions["portal.plugins"].set_enabled(session, "support", on)
            session.commit()

    set_support(False)
    calls = []
    fake = types.ModuleType("plugins.support.services")
    fake.open_request = lambda session, **kwargs: calls.append(kwargs)
    monkeypatch.setitem(sys.modules, "plugins.support.services", fake)
    doc = book.statement(company)
    customer_client.post(f"/balances/reconciliations/{doc.id}/answer",
                         data={"rs-answer": "disputed", "rs-reason": "Tutar farklı."})
    assert calls == []  # support is off
    enable_plugins(app, "support")
    other = book.statement(company)
    response = customer_client.post(f"/balances/reconciliations/{other.id}/answer",
                                    data={"rs-answer": "disputed", "rs-lines": ["1"],
                                          "rs-reason": "Tutar farklı."})
    assert response.status_code == 303
    assert len(calls) == 1
    assert calls[0]["link"] == ("document", other.id)
    assert calls[0]["company_id"] == company.id and "Tutar farklı." in calls[0]["body"]
    assert calls[0]["author"].username == customer.username


def test_a_dispute_opens_a_real_support_request_tied_to_the_statement(
        app, customer_client, company, book, db):
    """With the real support plugin: the customer finds the dispute among its support requests,
    linked to the statement."""
    from sqlalchemy import select

    from plugins.support.models import SupportRequest

    doc = book.statement(company)
    response = customer_client.post(f"/balances/reconciliations/{doc.id}/answer",
                                    data={"rs-answer": "disputed", "rs-reason": "Tutar farklı."})
    assert response.status_code == 303
    request = db.scalars(select(SupportRequest)).one()
    assert (request.company_id, request.link_type, request.link_id) == (
        company.id, "document", doc.id)
    assert doc.number in request.subject
    assert doc.number in customer_client.get("/support/").text
