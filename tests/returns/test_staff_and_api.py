"""Staff processing (inbox, approve, reject, receive, credit, close) and the rma-requests API."""

from __future__ import annotations

from decimal import Decimal as D

from sqlalchemy import select

from plugins.documents.models import Document
from plugins.returns.models import ReturnRequest
from portal.core.models import Event


def test_inbox_lists_new_requests_first_with_customer_and_invoice(
        staff_client, customer, staff, invoice, make_request, db):
    approved = make_request(customer, invoice, {0: "1"}, status="approved", staff=staff)
    new = make_request(customer, invoice, {0: "1"})
    make_request(customer, invoice, {0: "1"}, status="draft")  # drafts are the customer's
    soup = staff_client.soup("/admin/returns/")
    rows = soup.find(id="rma-inbox-table").find("tbody").find_all("tr")
    assert len(rows) == 2
    first = rows[0].get_text()
    assert db.get(ReturnRequest, new).number in first and invoice.number in first
    assert db.get(ReturnRequest, approved).number in rows[1].get_text()


def test_customers_cannot_open_staff_pages(customer_client, customer, invoice, make_request):
    request_id = make_request(customer, invoice, {0: "1"})
    assert customer_client.get("/admin/returns/").status_code == 403
    assert customer_client.get(f"/admin/returns/{request_id}").status_code == 403
    assert customer_client.post(f"/admin/returns/{request_id}/approve").status_code == 403


def test_the_whole_staff_flow_creates_goods_return_and_credit_note(
        staff_client, customer, invoice, make_request, db):
    request_id = make_request(customer, invoice, {0: "4"})
    from plugins.returns.models import ReturnLine

    line = db.scalar(select(ReturnLine).where(ReturnLine.request_id == request_id))
    # too much is refused next to the line, nothing changes
    bad = staff_client.post(f"/admin/returns/{request_id}/approve",
                            data={f"approve-{line.id}": "5", "approve-instructions": "x"})
    assert bad.status_code == 422 and "Between 0 and 4" in bad.text
    ok = staff_client.post(f"/admin/returns/{request_id}/approve",
                           data={f"approve-{line.id}": "3", "approve-expected_on": "2030-01-31",
                                 "approve-instructions": "Gebze deposuna gönderin."})
    assert ok.status_code == 303
    received = staff_client.post(f"/admin/returns/{request_id}/receive",
                                 data={f"receive-{line.id}": "3",
                                       f"received-condition-{line.id}": "damaged"})
    assert received.status_code == 303
    credited = staff_client.post(f"/admin/returns/{request_id}/credit", data={})
    assert credited.status_code == 303
    closed = staff_client.post(f"/admin/returns/{request_id}/close", data={})
    assert closed.status_code == 303
    db.expire_all()
    row = db.get(ReturnRequest, request_id)
    assert row.status == "closed"
    db.refresh(line)
    assert (line.quantity, line.approved_quantity, line.received_quantity,
            line.credited_quantity, line.received_condition) == (D("4"), D("3"), D("3"), D("3"),
                                                                 "damaged")
    docs = list(db.scalars(select(Document).where(Document.origin_kind == "returns.rma")
                           .order_by(Document.id)))
    assert [d.doc_type for d in docs] == ["goods_return", "credit_note"]
    assert docs[1].gross_total == D("666.00")  # 3 × 185.00 + 20 % VAT
    kinds = [e.kind for e in db.scalars(select(Event).where(Event.subject_type == "rma"))]
    assert kinds.count("returns.status_changed") == 4


def test_reject_needs_a_reason(staff_client, customer, invoice, make_request, db):
    request_id = make_request(customer, invoice, {0: "1"})
    assert staff_client.post(f"/admin/returns/{request_id}/reject",
                             data={"reject-reason": ""}).status_code == 422
    assert staff_client.post(f"/admin/returns/{request_id}/reject",
                             data={"reject-reason": "Kullanılmış ürün."}).status_code == 303
    db.expire_all()
    assert db.get(ReturnRequest, request_id).reject_reason == "Kullanılmış ürün."


def test_api_reads_a_request_by_number(api, customer, invoice, make_request, db):
    request_id = make_request(customer, invoice, {0: "2"})
    number = db.get(ReturnRequest, request_id).number
    response = api("GET", f"/api/v1/rma-requests/{number}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "submitted" and body["lines"][0]["quantity"] == "2"
    assert api("GET", "/api/v1/rma-requests/RMA-0000-000000").status_code == 404
    assert api("GET", f"/api/v1/rma-requests/{number}", token=None).status_code == 401


def test_api_status_update_with_erp_documents_is_idempotent(api, customer, company, invoice,
                                                            make_invoice, make_request, db):
    request_id = make_request(customer, invoice, {0: "2"})
    number = db.get(ReturnRequest, request_id).number
    make_invoice(company, doc_type="goods_return", based_on=[invoice.id],
                 external_id="ERP-GR-1", number="GR-ERP-1")
    payload = {"status": "received", "message": "Depoya ulaştı.",
               "lines": [{"line_no": 1, "approved_quantity": "2", "received_quantity": "2"}],
               "documents": [{"type": "goods_return", "external_id": "ERP-GR-1"}]}
    first = api("PUT", f"/api/v1/rma-requests/{number}", json=payload)
    assert first.status_code == 200 and first.get_json()["changed"] is True
    again = api("PUT", f"/api/v1/rma-requests/{number}", json=payload)
    assert again.get_json()["changed"] is False
    body = api("GET", f"/api/v1/rma-requests/{number}").get_json()
    assert body["status"] == "received"
    assert body["documents"][0]["number"] == "GR-ERP-1"
    events = list(db.scalars(select(Event).where(Event.kind == "returns.status_changed")))
    assert len(events) == 1 and events[0].payload["message"] == "Depoya ulaştı."
    back = api("PUT", f"/api/v1/rma-requests/{number}", json={"status": "submitted"})
    assert back.status_code == 422
    unknown = api("PUT", f"/api/v1/rma-requests/{number}",
                  json={"status": "credited",
                        "documents": [{"type": "credit_note", "external_id": "nope"}]})
    assert unknown.status_code == 422


def test_demo_data_has_every_status_and_is_idempotent(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    statuses = set(db.scalars(select(ReturnRequest.status)))
    assert statuses == {"draft", "submitted", "approved", "rejected", "withdrawn", "received",
                        "credited", "replaced", "repaired", "closed"}
    count = len(list(db.scalars(select(ReturnRequest.id))))
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert len(list(db.scalars(select(ReturnRequest.id)))) == count
