"""Returns features built but untested at the page level: staff "replaced / repaired", the RMA
PDF's content, and the list's period filter, paging and XLSX export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import select

from plugins.returns.models import ReturnRequest
from portal.core.models import AuditLog, Event

pytest_plugins = ["tests.pdf_text"]


def _history(db, request_id):
    from plugins.returns.models import StatusChange

    return list(db.scalars(select(StatusChange).where(StatusChange.request_id == request_id)
                           .order_by(StatusChange.id)))


# -- mark replaced / repaired -----------------------------------------------------------------


@pytest.mark.parametrize("outcome, label", [("replaced", "Replaced"), ("repaired", "Repaired")])
def test_staff_marks_received_goods_replaced_or_repaired(staff_client, customer, staff,
                                                         invoice, make_request, db, outcome,
                                                         label):
    request_id = make_request(customer, invoice, {0: "2"}, status="received", staff=staff)
    page = staff_client.soup(f"/admin/returns/{request_id}")
    assert page.find(id="rma-resolve")
    response = staff_client.post(f"/admin/returns/{request_id}/resolve",
                                 data={"resolve-outcome": outcome,
                                       "resolve-message": "Yenisi kargoya verildi."})
    assert response.status_code == 303
    after = staff_client.get(response.headers["Location"]).text
    number = db.get(ReturnRequest, request_id).number
    assert f"Request {number} marked {label.lower()}." in after
    db.expire_all()
    assert db.get(ReturnRequest, request_id).status == outcome
    last = _history(db, request_id)[-1]
    assert (last.status, last.message, last.by_name) == (outcome, "Yenisi kargoya verildi.",
                                                         "Murat Kaya")
    audit = db.scalar(select(AuditLog).where(AuditLog.action == f"returns.{outcome}"))
    assert audit is not None and audit.target_id == str(request_id)
    assert audit.actor_id == staff.id and audit.detail["previous"] == "received"
    events = list(db.scalars(select(Event).where(Event.kind == "returns.status_changed",
                                                 Event.subject_id == str(request_id))))
    assert events[-1].payload["status"] == outcome
    # the customer sees the outcome on their own page
    customer_view = staff_client.application.test_client()
    assert customer_view.login(customer.username).status_code == 303
    own = customer_view.soup(f"/returns/{request_id}")
    assert label in own.find(id="rma-timeline").get_text()
    assert "Yenisi kargoya verildi." in own.find(id="rma-timeline").get_text()


def test_resolve_needs_an_outcome_and_the_goods_received(staff_client, customer, staff,
                                                         invoice, make_request, db):
    received = make_request(customer, invoice, {0: "1"}, status="received", staff=staff)
    missing = staff_client.post(f"/admin/returns/{received}/resolve", data={})
    assert missing.status_code == 422 and "Choose replaced or repaired." in missing.text
    approved = make_request(customer, invoice, {0: "1"}, status="approved", staff=staff)
    early = staff_client.post(f"/admin/returns/{approved}/resolve",
                              data={"resolve-outcome": "replaced"})
    assert early.status_code == 422
    db.expire_all()
    assert db.get(ReturnRequest, received).status == "received"
    assert db.get(ReturnRequest, approved).status == "approved"
    assert db.scalar(select(AuditLog).where(AuditLog.action == "returns.replaced")) is None


def test_resolve_without_the_csrf_token_changes_nothing(staff_client, customer, staff, invoice,
                                                        make_request, db):
    request_id = make_request(customer, invoice, {0: "1"}, status="received", staff=staff)
    response = staff_client.post(f"/admin/returns/{request_id}/resolve", csrf=False,
                                 data={"resolve-outcome": "repaired"})
    assert response.status_code == 400
    db.expire_all()
    assert db.get(ReturnRequest, request_id).status == "received"
    assert db.scalar(select(AuditLog).where(AuditLog.action == "returns.repaired")) is None


def test_customers_cannot_resolve(customer_client, customer, staff, invoice, make_request, db):
    request_id = make_request(customer, invoice, {0: "1"}, status="received", staff=staff)
    response = customer_client.post(f"/admin/returns/{request_id}/resolve",
                                    data={"resolve-outcome": "replaced"})
    assert response.status_code == 403
    db.expire_all()
    assert db.get(ReturnRequest, request_id).status == "received"


# -- the RMA PDF ------------------------------------------------------------------------------


@pytest.fixture
def app(make_app):
    return make_app(RETURNS_ADDRESS="İade Deposu\nOrganize Sanayi 4. Cad. No 12\nGebze / Kocaeli",
                    RETURNS_PER_PAGE="2")


def test_the_rma_pdf_carries_the_number_and_the_return_address(customer_client, customer, staff,
                                                                invoice, make_request, db,
                                                                pdf_text):
    request_id = make_request(customer, invoice, {0: "2"}, status="approved", staff=staff)
    response = customer_client.get(f"/returns/{request_id}/pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = "\n".join(pdf_text)
    row = db.get(ReturnRequest, request_id)
    assert row.number in text
    assert "İade Deposu" in text and "Organize Sanayi 4. Cad. No 12" in text
    assert "Gebze / Kocaeli" in text
    assert invoice.number in text and "Çimento 50 kg" in text
    assert "Depoya gönderin." in text  # the supplier's instructions


# -- the list: period, paging, XLSX -----------------------------------------------------------


def _dated(db, request_id, day):
    row = db.get(ReturnRequest, request_id)
    row.created_at = dt.datetime.combine(day, dt.time(10, 0))
    db.commit()
    return row.number


def test_the_period_filter_keeps_the_requests_of_those_days(customer_client, customer, invoice,
                                                            make_request, db):
    old = _dated(db, make_request(customer, invoice, {0: "1"}), dt.date(2026, 1, 10))
    mid = _dated(db, make_request(customer, invoice, {0: "1"}), dt.date(2026, 2, 15))
    new = _dated(db, make_request(customer, invoice, {0: "1"}), dt.date(2026, 3, 20))
    text = customer_client.soup("/returns/?date_from=2026-02-01&date_to=2026-02-28") \
        .find(id="rma-results").get_text()
    assert mid in text and old not in text and new not in text and "1 request" in text
    # both ends of the period are whole days
    text = customer_client.soup("/returns/?date_from=2026-01-10&date_to=2026-02-15").get_text()
    assert old in text and mid in text and new not in text
    csv = customer_client.get("/returns/export.csv?date_from=2026-03-01").data \
        .decode("utf-8-sig")
    assert new in csv and mid not in csv and old not in csv


def test_the_list_pages_by_returns_per_page(customer_client, customer, invoice, make_request,
                                            db):
    numbers = [_dated(db, make_request(customer, invoice, {0: "1"}), dt.date(2026, 1, day))
               for day in (1, 2, 3, 4, 5)]
    newest_first = numbers[::-1]
    seen = []
    for page in (1, 2, 3):
        soup = customer_client.soup(f"/returns/?page={page}")
        rows = soup.find(id="rma-table").find("tbody").find_all("tr")
        seen += [r.find("th").get_text(strip=True) for r in rows]
        assert "5 requests" in soup.find(id="rma-results").get_text()
    assert seen == newest_first
    # a page past the end shows the last one, the filters survive in the pager links
    last = customer_client.soup("/returns/?page=9").find(id="rma-table").get_text()
    assert numbers[0] in last
    pager = customer_client.soup("/returns/?status=submitted").find(id="rma-results")
    links = [a["href"] for a in pager.find_all("a", href=True) if "after=" in a["href"]]
    assert links and all("status=submitted" in href for href in links)


def test_the_xlsx_export_has_the_companys_own_filtered_rows(customer_client, customer, staff,
                                                            invoice, make_request, make_user,
                                                            other_company, make_invoice, db):
    from openpyxl import load_workbook

    open_number = db.get(ReturnRequest, make_request(customer, invoice, {0: "1"})).number
    closed = db.get(ReturnRequest, make_request(customer, invoice, {0: "1"}, status="closed",
                                                staff=staff)).number
    stranger = make_user("stranger", company=other_company)
    foreign = db.get(ReturnRequest, make_request(stranger, make_invoice(other_company),
                                                 {0: "1"})).number
    page = customer_client.soup("/returns/")
    assert page.find("a", href="/returns/export.xlsx")
    response = customer_client.get("/returns/export.xlsx")
    assert response.status_code == 200
    assert "rma-requests.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    rows = [tuple(cell for cell in row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:4] == ("RMA number", "Date", "Invoice", "Status")
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {open_number, closed} and foreign not in numbers
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number[closed][2] == invoice.number and by_number[closed][3] == "Closed"
    assert by_number[open_number][6] == "Ayşe Demir"
    filtered = load_workbook(io.BytesIO(customer_client.get(
        "/returns/export.xlsx?status=closed").data), read_only=True).active
    assert [r[0] for r in filtered.iter_rows(min_row=2, values_only=True)] == [closed]
