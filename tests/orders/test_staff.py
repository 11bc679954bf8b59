"""Staff pages: inbox, accept, cancel with a reason, complete, register a shipment."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.testing import PortalClient

from .conftest import get_order, order_lines


@pytest.fixture
def rep(app, staff, db):
    app.test_client_class = PortalClient
    client = app.test_client()
    assert client.login(staff.username).status_code == 303
    return client


def test_inbox_lists_sent_orders_with_the_customer(rep, shop, customer, make_order, db):
    p = shop.products
    sent = make_order(customer, [(p["VD-100"], 1, "2.50")])
    make_order(customer, [(p["VD-100"], 1, "2.50")], status="completed")
    soup = rep.soup("/admin/orders/")
    rows = soup.find(id="staff-order-table").select("tbody tr")
    assert len(rows) == 1
    assert get_order(db, sent).number in rows[0].get_text()
    assert soup.find(id="status").find("option", selected=True)["value"] == "sent"
    assert len(rep.soup("/admin/orders/?status=").find(id="staff-order-table")
               .select("tbody tr")) == 2
    assert len(rep.soup("/admin/orders/?status=open").find(id="staff-order-table")
               .select("tbody tr")) == 1
    menu = [a.get_text(strip=True) for a in rep.soup("/admin/").select("nav.menu a")]
    assert "Received orders" in menu


def test_accept_then_complete(rep, shop, customer, make_order, db):
    order_id = make_order(customer, [(shop.products["VD-100"], 1, "2.50")])
    assert rep.post(f"/admin/orders/{order_id}/accept").status_code == 303
    assert get_order(db, order_id).status == "in_progress"
    # nothing shipped yet: a page warns and asks to confirm, the order stays in progress
    warned = rep.post(f"/admin/orders/{order_id}/complete")
    assert warned.status_code == 200
    page = BeautifulSoup(warned.text, "html.parser")
    assert "not been shipped" in page.get_text()
    assert "VD-100" in page.find(id="unshipped-table").get_text()
    confirm = page.find(id="confirm-complete")
    assert confirm.find("input", {"name": "confirm"})["value"] == "1"
    assert get_order(db, order_id).status == "in_progress"
    assert rep.post(confirm["action"], data={"confirm": "1"}).status_code == 303
    assert get_order(db, order_id).status == "completed"
    soup = rep.soup(f"/admin/orders/{order_id}")
    assert "Murat Kaya" in soup.find(id="order-history").get_text()
    # a completed order cannot be accepted again
    rep.post(f"/admin/orders/{order_id}/accept")
    assert get_order(db, order_id).status == "completed"
    assert "cannot be changed" in rep.soup(f"/admin/orders/{order_id}").get_text()


def test_cancel_needs_a_reason_which_the_customer_sees(rep, buyer, shop, customer, make_order,
                                                        db):
    order_id = make_order(customer, [(shop.products["VD-100"], 1, "2.50")],
                          status="in_progress")
    response = rep.post(f"/admin/orders/{order_id}/cancel", data={"reason": ""})
    assert response.status_code == 422
    assert BeautifulSoup(response.text, "html.parser").find(id="reason-error")
    assert get_order(db, order_id).status == "in_progress"
    rep.post(f"/admin/orders/{order_id}/cancel", data={"reason": "Stokta yok"})
    assert get_order(db, order_id).status == "cancelled"
    page = buyer.soup(f"/orders/{order_id}").get_text()
    assert "Stokta yok" in page and "Cancelled" in page


def test_register_a_partial_then_the_remaining_shipment(rep, buyer, shop, customer, make_order,
                                                        db):
    from plugins.documents.models import Document, DocumentLine

    p = shop.products
    order_id = make_order(customer, [(p["VD-100"], 10, "2.50"), (p["KB-200"], "2.5", "12.40")],
                          status="in_progress")
    l1, l2 = order_lines(db, order_id)
    form = rep.soup(f"/admin/orders/{order_id}/ship").find(id="shipment-form")
    assert form.find(id=f"ship-{l1.id}")["value"] == "10"
    assert form.find(id=f"ship-{l2.id}")["value"] == "2.5"
    response = rep.post(f"/admin/orders/{order_id}/ship",
                        data={f"ship-{l1.id}": "4", f"ship-{l2.id}": "0"})
    assert response.status_code == 303
    doc = db.scalar(select(Document))
    assert doc.doc_type == "goods_issue" and doc.company_id == customer.company_id
    assert (doc.origin_kind, doc.origin_ref) == ("orders.order", str(order_id))
    doc_lines = db.scalars(select(DocumentLine)).all()
    assert [(d.product_code, d.quantity, d.origin_kind, d.origin_ref) for d in doc_lines] == [
        ("VD-100", Decimal("4"), "orders.order_line", str(l1.id))]
    assert doc.net_total == Decimal("10.00")
    # over-shipping is refused, the rest is accepted
    response = rep.post(f"/admin/orders/{order_id}/ship",
                        data={f"ship-{l1.id}": "7", f"ship-{l2.id}": "2.5"})
    assert response.status_code == 422
    assert "At most 6 remain" in BeautifulSoup(response.text, "html.parser").find(
        id=f"ship-{l1.id}-error").text
    assert len(db.scalars(select(Document)).all()) == 1
    rep.post(f"/admin/orders/{order_id}/ship", data={f"ship-{l1.id}": "6", f"ship-{l2.id}": "2.5"})
    # the customer sees the shipped quantities and both goods issues
    soup = buyer.soup(f"/orders/{order_id}")
    shipped = [r.find_all("td")[2].get_text(strip=True)
               for r in soup.find(id="order-lines").select("tbody tr")]
    assert shipped == ["10", "2.5"]
    assert len(soup.find(id="order-documents").find_all("a")) == 2
    staff_page = rep.soup(f"/admin/orders/{order_id}")
    links = [a["href"] for a in staff_page.find(id="order-documents").find_all("a")]
    assert len(links) == 2 and all(h.startswith("/admin/documents/") for h in links)
    statement = buyer.soup("/orders/statement")
    total = [td.get_text(strip=True) for td in statement.find(id="statement-total")("td")]
    assert total[:3] == ["12.5", "12.5", "0"]


def test_shipment_needs_an_accepted_order_and_some_quantity(rep, shop, customer, make_order, db):
    sent = make_order(customer, [(shop.products["VD-100"], 10, "2.50")])
    response = rep.get(f"/admin/orders/{sent}/ship")
    assert response.status_code == 303
    accepted = make_order(customer, [(shop.products["VD-100"], 10, "2.50")],
                          status="in_progress")
    (line,) = order_lines(db, accepted)
    response = rep.post(f"/admin/orders/{accepted}/ship", data={f"ship-{line.id}": ""})
    assert response.status_code == 422
    assert "at least one line" in response.text


def test_customers_cannot_open_staff_pages(buyer, shop, customer, make_order):
    order_id = make_order(customer, [(shop.products["VD-100"], 1, "2.50")])
    assert buyer.get("/admin/orders/").status_code == 403
    assert buyer.get(f"/admin/orders/{order_id}").status_code == 403
    assert buyer.post(f"/admin/orders/{order_id}/accept").status_code == 403


def test_unknown_order_is_404_for_staff(rep):
    assert rep.get("/admin/orders/999999").status_code == 404


def test_inbox_query_count_is_fixed(rep, shop, customer, make_order, count_queries):
    for _ in range(3):
        make_order(customer, [(shop.products["VD-100"], 1, "2.50")])
    rep.get("/admin/orders/")
    with count_queries() as few:
        rep.get("/admin/orders/")
    for _ in range(27):
        make_order(customer, [(shop.products["VD-100"], 1, "2.50")])
    with count_queries() as many:
        rep.get("/admin/orders/")
    assert few.count == many.count


def test_completing_a_fully_shipped_order_needs_no_confirmation(rep, shop, customer, make_order,
                                                                 db):
    order_id = make_order(customer, [(shop.products["VD-100"], 2, "2.50")],
                          status="in_progress")
    line = order_lines(db, order_id)[0]
    assert rep.post(f"/admin/orders/{order_id}/ship",
                    data={f"ship-{line.id}": "2"}).status_code == 303
    assert rep.post(f"/admin/orders/{order_id}/complete").status_code == 303
    assert get_order(db, order_id).status == "completed"


def test_staff_see_the_customers_po_number_as_theirs_not_as_your_po_number(rep, buyer, shop,
                                                                            customer, make_order):
    order_id = make_order(customer, [(shop.products["VD-100"], 1, "2.50")])
    labels = [dt.get_text(strip=True) for dt in rep.soup(f"/admin/orders/{order_id}").select("dt")]
    assert "PO number" in labels and "Your PO number" not in labels
    labels = [dt.get_text(strip=True) for dt in buyer.soup(f"/orders/{order_id}").select("dt")]
    assert "Your PO number" in labels
