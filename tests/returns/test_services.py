"""The remaining-quantity rule, numbering, status changes with history, audit and events."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from plugins.returns.models import ReturnRequest, StatusChange
from plugins.returns.services import get_request
from plugins.returns.services import requests as rma
from plugins.returns.services import statuses as st
from portal.core.models import AuditLog, Event

from .conftest import TODAY, invoice_lines, line


def _remaining(app, db, company, invoice):
    with app.test_request_context():
        _inv, rows = rma.returnable_lines(db, company.id, invoice.id)
        return [row.remaining for row in rows]


def test_numbers_follow_the_year_counter(app, db, customer, invoice, make_request):
    first = make_request(customer, invoice, {0: "1"})
    second = make_request(customer, invoice, {0: "1"})
    numbers = [db.get(ReturnRequest, i).number for i in (first, second)]
    year = TODAY.year
    assert numbers == [f"RMA-{year}-000001", f"RMA-{year}-000002"]


def test_remaining_is_invoiced_minus_returned_minus_open_requests(
        app, db, customer, company, invoice, make_invoice, make_request, staff):
    lines = invoice_lines(db, invoice.id)
    assert _remaining(app, db, company, invoice) == [D("10"), D("2.5")]
    make_request(customer, invoice, {0: "3"})                      # sent: holds 3
    make_request(customer, invoice, {0: "1"}, status="draft")      # a draft holds nothing
    assert _remaining(app, db, company, invoice) == [D("7"), D("2.5")]
    # a goods return the ERP based on the invoice (no line origin: matched by product code)
    make_invoice(company, doc_type="goods_return", based_on=[invoice.id],
                 lines=[line(quantity="2")])
    assert _remaining(app, db, company, invoice) == [D("5"), D("2.5")]
    # a withdrawn or rejected request gives its quantity back
    withdrawn = make_request(customer, invoice, {1: "1.5"})
    assert _remaining(app, db, company, invoice) == [D("5"), D("1")]
    with app.test_request_context():
        row = get_request(db, withdrawn, company.id)
        rma.withdraw(db, row, customer)
        db.commit()
    assert _remaining(app, db, company, invoice) == [D("5"), D("2.5")]
    # received goods count once: through the goods return document, not the request
    make_request(customer, invoice, {1: "2"}, status="received", staff=staff)
    assert _remaining(app, db, company, invoice) == [D("5"), D("0.5")]
    assert lines[1].quantity == D("2.5")


def test_a_goods_return_based_on_the_goods_issue_counts_too(app, db, company, make_invoice):
    goods_issue = make_invoice(company, doc_type="goods_issue")
    invoice = make_invoice(company, based_on=[goods_issue.id])
    make_invoice(company, doc_type="goods_return", based_on=[goods_issue.id],
                 lines=[line(quantity="4")])
    assert _remaining(app, db, company, invoice) == [D("6"), D("2.5")]


def test_asking_for_more_than_is_left_is_refused_with_the_line_error(
        app, db, customer, invoice, make_request):
    make_request(customer, invoice, {0: "8"})
    lines = invoice_lines(db, invoice.id)
    with app.test_request_context(), pytest.raises(rma.ReturnError) as refused:
        rma.save_draft(db, company_id=customer.company_id, user=customer,
                       invoice_id=invoice.id,
                       data=rma.RequestInput(description="x", lines={
                           lines[0].id: rma.LineInput(D("3"))}))
    assert "At most 2" in refused.value.line_errors[lines[0].id]
    db.rollback()
    assert db.scalar(select(func.count()).select_from(ReturnRequest)) == 1


def test_a_restricted_product_cannot_be_returned(app, db, customer, invoice):
    lines = invoice_lines(db, invoice.id)
    with app.test_request_context(), pytest.raises(rma.ReturnError) as refused:
        rma.save_draft(db, company_id=customer.company_id, user=customer,
                       invoice_id=invoice.id, allowed_codes=frozenset({"YP-3301"}),
                       data=rma.RequestInput(description="x", lines={
                           lines[0].id: rma.LineInput(D("1"))}))
    assert lines[0].id in refused.value.line_errors


def test_another_companys_invoice_is_not_found(app, db, customer, other_company, make_invoice):
    foreign = make_invoice(other_company)
    with app.test_request_context():
        assert rma.returnable_lines(db, customer.company_id, foreign.id) is None


def test_the_return_window_refuses_an_older_invoice(app, db, company, make_invoice):
    old = make_invoice(company, issued_on=TODAY - dt.timedelta(days=40))
    with app.test_request_context():
        assert rma.refusal(old, TODAY, None) is None
        assert "30 days" in rma.refusal(old, TODAY, 30)
        assert rma.refusal(old, TODAY, 60) is None


def test_every_status_change_writes_history_audit_and_one_event(
        app, db, customer, staff, invoice, make_request):
    request_id = make_request(customer, invoice, status="closed", staff=staff)
    history = [c.status for c in db.scalars(select(StatusChange).where(
        StatusChange.request_id == request_id).order_by(StatusChange.id))]
    assert history == ["submitted", "approved", "received", "credited", "closed"]
    audit = [a.action for a in db.scalars(select(AuditLog).where(
        AuditLog.target_type == "rma").order_by(AuditLog.id))]
    assert audit == [f"returns.{s}" for s in history]
    events = list(db.scalars(select(Event).where(Event.subject_type == "rma")
                             .order_by(Event.id)))
    assert [e.kind for e in events] == ["returns.submitted"] + ["returns.status_changed"] * 4
    assert {e.subject_id for e in events} == {str(request_id)}
    assert events[1].payload["status"] == "approved"
    assert events[1].payload["status_label"] == "Approved"
    assert events[1].payload["message"] == "Depoya gönderin."
    assert events[0].payload["number"].startswith("RMA-")


def test_a_refused_step_changes_nothing(app, db, customer, staff, invoice, make_request):
    request_id = make_request(customer, invoice)
    with app.test_request_context():
        row = get_request(db, request_id, None)
        with pytest.raises(rma.ReturnError):
            st_change = rma.change_status(db, row, st.CREDITED, actor=staff)  # noqa: F841
    db.rollback()
    assert db.get(ReturnRequest, request_id).status == "submitted"


def test_get_request_is_scoped_to_the_company(db, customer, other_company, invoice,
                                              make_request):
    request_id = make_request(customer, invoice)
    found = get_request(db, request_id, customer.company_id)
    assert (found.id, found.company_id) == (request_id, customer.company_id)
    assert found.number.startswith("RMA-")
    assert get_request(db, request_id, other_company.id) is None
    assert get_request(db, 10**9, customer.company_id) is None


def test_two_concurrent_requests_for_the_whole_remainder_cannot_both_pass(
        app, db, customer, invoice):
    """Two sessions send a draft for all 10 units at once: one is sent, the other is told
    what is left (0); the database never holds more than was invoiced."""
    from flask_login import login_user

    from portal.core.db import get_session

    lines = invoice_lines(db, invoice.id)
    drafts = []
    with app.test_request_context():
        for _ in range(2):
            row = rma.save_draft(db, company_id=customer.company_id, user=customer,
                                 invoice_id=invoice.id, data=rma.RequestInput(
                                     description="Hepsi bozuk.",
                                     lines={lines[0].id: rma.LineInput(D("10"))}))
            drafts.append(row.id)
        db.commit()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def send(request_id):
        try:
            with app.test_request_context():
                session = get_session()
                user = session.get(type(customer), customer.id)
                login_user(user)
                row = get_request(session, request_id, user.company_id)
                barrier.wait()
                try:
                    rma.submit(session, row, user)
                    session.commit()
                    results.append("sent")
                except rma.QuantityShortage as exc:
                    session.rollback()
                    results.append(("short", exc.left))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(i,)) for i in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert "sent" in results and len(results) == 2
    refused = next(r for r in results if r != "sent")
    assert refused[0] == "short" and refused[1] == {lines[0].id: D("0")}
    db.expire_all()
    statuses = sorted(db.get(ReturnRequest, i).status for i in drafts)
    assert statuses == ["draft", "submitted"]
