"""The return window, removing a draft's files, the staff inbox's query count, mail templates."""

from __future__ import annotations

import datetime as dt
import io
import types

from sqlalchemy import select

from plugins.returns.models import ReturnRequest, RmaAttachment
from portal.testing import PortalClient

from .conftest import TODAY, invoice_lines
from .test_pages import PNG, _form


def test_an_invoice_past_the_return_window_says_why(make_app, db, customer, company,
                                                    make_invoice):
    app = make_app(RETURNS_WINDOW_DAYS="30")
    app.test_client_class = PortalClient
    client = app.test_client()
    client.login(customer.username)
    old = make_invoice(company, issued_on=TODAY - dt.timedelta(days=45))
    page = client.soup(f"/documents/{old.id}")
    assert page.find("a", string="Request a return")  # the action stays…
    form = client.soup(f"/returns/new/{old.id}")
    assert "within 30 days" in form.find(id="rma-refusal").get_text()  # …and explains
    assert form.find("form", id="rma-form") is None
    lines = invoice_lines(db, old.id)
    response = client.post(f"/returns/new/{old.id}", data=_form(lines, **{
        f"qty-{lines[0].id}": "1"}))
    assert response.status_code == 422
    assert db.scalar(select(ReturnRequest)) is None


def test_a_draft_can_drop_a_file_and_add_another(customer_client, db, invoice):
    lines = invoice_lines(db, invoice.id)
    data = _form(lines, **{f"qty-{lines[0].id}": "1"})
    data["attachments"] = [(io.BytesIO(PNG), "first.png")]
    created = customer_client.post(f"/returns/new/{invoice.id}", data=data,
                                   content_type="multipart/form-data")
    row = db.scalar(select(ReturnRequest))
    first_id = db.scalar(select(RmaAttachment.id))
    assert created.status_code == 303
    data = _form(lines, **{f"qty-{lines[0].id}": "2"})
    data["remove_file"] = str(first_id)
    data["attachments"] = [(io.BytesIO(PNG), "second.png")]
    edited = customer_client.post(f"/returns/{row.id}/edit", data=data,
                                  content_type="multipart/form-data")
    assert edited.status_code == 303, edited.text
    db.expire_all()
    assert [a.original_name for a in db.scalars(select(RmaAttachment))] == ["second.png"]
    assert customer_client.get(f"/returns/{row.id}/files/{first_id}").status_code == 404


def test_too_many_files_are_refused(make_app, db, customer, invoice):
    app = make_app(RETURNS_MAX_FILES="1")
    app.test_client_class = PortalClient
    client = app.test_client()
    client.login(customer.username)
    lines = invoice_lines(db, invoice.id)
    data = _form(lines, **{f"qty-{lines[0].id}": "1"})
    data["attachments"] = [(io.BytesIO(PNG), "a.png"), (io.BytesIO(PNG), "b.png")]
    response = client.post(f"/returns/new/{invoice.id}", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "at most 1 files" in response.text
    assert db.scalar(select(ReturnRequest)) is None


def test_staff_inbox_query_count_is_fixed(staff_client, customer, invoice, make_request,
                                          count_queries):
    def measure():
        with count_queries() as counter:
            assert staff_client.get("/admin/returns/").status_code == 200
        return counter.count

    for _ in range(3):
        make_request(customer, invoice, {1: "0.05"})
    measure()
    few = measure()
    for _ in range(27):
        make_request(customer, invoice, {1: "0.05"})
    assert measure() == few


def test_mail_templates_render_in_english_and_turkish(app):
    from flask_babel import force_locale

    recipient = types.SimpleNamespace(display_name="Ayşe Demir")
    payload = {"number": "RMA-2026-000007", "status": "approved", "status_label": "Approved",
               "message": "Depoya gönderin."}
    with app.test_request_context():
        for name in ("status_changed", "submitted", "withdrawn"):
            template = app.jinja_env.get_template(f"returns/mail/{name}.txt")
            text = template.render(event=None, payload=payload, recipient=recipient,
                                   link="https://portal.example/returns/7",
                                   supplier_name="Tedarikçi A.Ş.")
            assert "RMA-2026-000007" in text and "https://portal.example/returns/7" in text
        template = app.jinja_env.get_template("returns/mail/status_changed.txt")
        with force_locale("tr"):
            text = template.render(event=None, payload=payload, recipient=recipient,
                                   link=None, supplier_name="Tedarikçi A.Ş.")
        assert "Merhaba Ayşe Demir" in text and "Onaylandı" in text


def test_sending_a_draft_that_another_request_beat_keeps_the_draft(
        customer_client, customer, db, invoice, make_request):
    draft = make_request(customer, invoice, {0: "10"}, status="draft")
    make_request(customer, invoice, {0: "7"})
    response = customer_client.post(f"/returns/{draft}/send")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/returns/{draft}/edit")
    page = customer_client.soup(response.headers["Location"])
    assert "another request took some of these goods" in page.get_text()
    db.expire_all()
    assert db.get(ReturnRequest, draft).status == "draft"


def test_editing_a_draft_when_a_send_races_rerenders_the_form(
        customer_client, customer, db, invoice, make_request, monkeypatch):
    """The form's own check passed, then another request took the goods before ``submit``
    locked the lines: the form comes back with what is left, the draft unchanged."""
    from decimal import Decimal

    from plugins.returns.services import requests as rma

    draft = make_request(customer, invoice, {0: "5"}, status="draft")
    lines = invoice_lines(db, invoice.id)

    def short(*args, **kwargs):
        raise rma.QuantityShortage("Meanwhile another request took some of these goods.",
                                   {lines[0].id: Decimal("1")})

    monkeypatch.setattr(rma, "submit", short)
    response = customer_client.post(f"/returns/{draft}/edit", data=_form(
        lines, action="send", **{f"qty-{lines[0].id}": "6"}))
    assert response.status_code == 422
    assert "Only 1 is left to return." in response.text
    db.expire_all()
    row = db.get(ReturnRequest, draft)
    assert row.status == "draft"
