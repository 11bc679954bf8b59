"""Mails of what the ERP or the staff record: a shipment, a new reconciliation statement."""

from __future__ import annotations

from sqlalchemy import select

from plugins.orders.models import Order
from portal.core.models import Event
from portal.testing import deliver, mail_text


def _ship_by_api(api, db, order):
    number = db.get(Order, order.id).number
    for payload in ({"status": "accepted"},
                    {"status": "shipped", "goods_issue_number": "IRS-2026-0042",
                     "issued_on": "2026-11-30", "lines": [{"line_no": 1, "quantity": "4"}]}):
        assert api("PUT", f"/api/v1/orders/{number}", json=payload).status_code == 200
    return number


def test_a_shipment_is_mailed_in_the_customers_language(app, api, db, make_user, make_company,
                                                        place_order, smtp_server):
    company = make_company("Anadolu Yapı")
    buyer = make_user("ayse", company=company, email="ayse@anadolu.test", locale="tr")
    make_user("mehmet", company=company, email="mehmet@anadolu.test", locale="en")
    order = place_order(buyer)
    deliver(app)
    smtp_server.messages.clear()
    number = _ship_by_api(api, db, order)
    deliver(app)
    shipped = {m["To"]: m for m in smtp_server.messages if "shipped" in m["Subject"]
               or "sevk" in m["Subject"].lower()}
    assert set(shipped) == {"ayse@anadolu.test", "mehmet@anadolu.test"}
    english = mail_text(shipped["mehmet@anadolu.test"])
    assert shipped["mehmet@anadolu.test"]["Subject"] == f"Order {number} shipped"
    assert "goods issue IRS-2026-0042 of Nov 30, 2026" in english
    assert f"https://portal.example.test/orders/{order.id}" in english
    assert "30 Kas 2026" in mail_text(shipped["ayse@anadolu.test"])


def test_a_new_reconciliation_statement_asks_the_customer_to_answer(app, api, db, make_user,
                                                                    make_company, smtp_server):
    company = make_company("Anadolu Yapı", external_id="C-2001")
    make_user("mehmet", company=company, email="mehmet@anadolu.test", locale="en")
    make_user("other", email="other@elsewhere.test")  # another company hears nothing
    payload = {"company": "C-2001", "issued_on": "2026-04-05", "period_start": "2026-01-01",
               "period_end": "2026-03-31", "opening_balance": "0", "closing_balance": "1250.40"}
    assert api("PUT", "/api/v1/reconciliations/RS-77", json=payload).status_code == 201
    assert api("PUT", "/api/v1/reconciliations/RS-77", json=payload).status_code == 200
    # an invoice is not announced: only types that ask for an answer are; a resent one neither
    invoice = {"company": "C-2001", "issued_on": "2026-04-05", "lines": [
        {"product_name": "Nakliye", "quantity": "1", "unit_price": "250", "tax_rate": "20"}]}
    assert api("PUT", "/api/v1/invoices/INV-1", json=invoice).status_code == 201
    assert len(db.scalars(select(Event).where(Event.kind == "documents.issued")).all()) == 1
    deliver(app)
    (mail,) = smtp_server.messages
    assert mail["To"] == "mehmet@anadolu.test"
    assert mail["Subject"].startswith("Reconciliation statement ")
    text = mail_text(mail)
    assert "Jan 1, 2026 to Mar 31, 2026" in text and "TRY\xa01,250.40" in text
    assert "confirm it, or tell us which lines differ" in text
    document_id = db.scalar(select(Event.subject_id).where(Event.kind == "documents.issued"))
    assert f"https://portal.example.test/documents/{document_id}" in text


def test_a_mail_with_only_a_text_template_also_has_simple_html(app, api, db, make_user,
                                                               make_company, place_order,
                                                               smtp_server):
    from bs4 import BeautifulSoup

    company = make_company("Anadolu Yapı")
    buyer = make_user("mehmet", company=company, email="mehmet@anadolu.test", locale="en")
    order = place_order(buyer)
    number = db.get(Order, order.id).number
    assert api("PUT", f"/api/v1/orders/{number}",
               json={"status": "cancelled", "note": "<b>Stok</b> yok"}).status_code == 200
    deliver(app)
    (mail,) = [m for m in smtp_server.messages if "cancelled" in m["Subject"]]
    html = BeautifulSoup(mail.get_body(("html",)).get_content(), "html.parser")
    assert html.title.string == f"Order {number} cancelled"
    assert "has been cancelled. <b>Stok</b> yok" in html.get_text()  # the note stays text
    assert html.find("b") is None
    link = html.find("a", href=f"https://portal.example.test/orders/{order.id}")
    assert link is not None
    assert html.find("a", string="Choose which e-mails you get") is not None
