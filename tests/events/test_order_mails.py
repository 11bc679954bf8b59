"""Order mails: the customer's confirmation and the staff's "new order", in each one's language."""

from portal.core.models import STAFF, Delivery, Event
from portal.testing import deliver, mail_text


def test_placing_an_order_mails_the_company_and_the_staff_who_opted_in(
        app, db, make_user, make_company, place_order, smtp_server, staff, staff_client):
    company = make_company("Anadolu Yapı")
    buyer = make_user("ayse", company=company, email="ayse@anadolu.test", locale="tr")
    make_user("mehmet", company=company, email="mehmet@anadolu.test", locale="en")
    make_user("other", email="other@elsewhere.test")  # another company
    rep = db.merge(staff)
    rep.email, rep.locale = "rep@supplier.test", "en"
    db.commit()
    make_user("quiet", kind=STAFF, email="quiet@supplier.test")  # staff who did not opt in
    staff_client.post("/account/notifications", data={"kind": ["orders.placed"]})

    order = place_order(buyer)
    deliver(app)
    by_address = {m["To"]: m for m in smtp_server.messages}
    assert set(by_address) == {"ayse@anadolu.test", "mehmet@anadolu.test", "rep@supplier.test"}
    assert by_address["ayse@anadolu.test"]["Subject"] == (
        f"{order.number} numaralı siparişiniz alındı")
    assert by_address["mehmet@anadolu.test"]["Subject"] == f"Order {order.number} received"
    assert "Total: 14,814.00 TRY" in mail_text(by_address["mehmet@anadolu.test"])
    assert "Toplam: 14.814,00 TRY" in mail_text(by_address["ayse@anadolu.test"])
    assert f"https://portal.example.test/orders/{order.id}" in mail_text(
        by_address["mehmet@anadolu.test"])
    assert by_address["rep@supplier.test"]["Subject"] == f"New order {order.number}"
    assert f"https://portal.example.test/admin/orders/{order.id}" in mail_text(
        by_address["rep@supplier.test"])
    assert rep.id in {d.user_id for d in db.query(Delivery)}


def test_a_customer_who_switched_it_off_gets_nothing(app, db, customer, customer_client,
                                                     place_order, smtp_server):
    customer.email = "ayse@anadolu.test"
    db.merge(customer)
    db.commit()
    page = customer_client.soup("/account/")
    box = page.find("input", attrs={"name": "kind", "value": "orders.placed"})
    assert box.has_attr("checked")
    customer_client.post("/account/notifications", data={"kind": ["orders.status_changed"]})
    assert not customer_client.soup("/account/").find(
        "input", attrs={"name": "kind", "value": "orders.placed"}).has_attr("checked")
    place_order(customer)
    deliver(app)
    assert smtp_server.messages == []


def test_a_rolled_back_order_sends_nothing(app, db, customer, place_order, smtp_server):
    customer.email = "ayse@anadolu.test"
    db.merge(customer)
    db.commit()
    place_order(customer, commit=False)
    db.rollback()
    assert deliver(app) == 0
    assert db.query(Event).count() == 0
    assert smtp_server.messages == []


def test_status_changes_mail_the_customer(app, db, customer, staff, place_order, smtp_server):
    from plugins.orders.ordering import change_status

    customer.email = "ayse@anadolu.test"
    customer.locale = "en"
    db.merge(customer)
    db.commit()
    order = place_order(customer)
    with app.test_request_context():
        change_status(db, order, "in_progress", staff)
        db.commit()
        change_status(db, order, "cancelled", staff, "Out of stock.")
        db.commit()
    deliver(app)
    subjects = [m["Subject"] for m in smtp_server.to("ayse@anadolu.test")]
    assert subjects == [f"Order {order.number} received", f"Order {order.number} accepted",
                        f"Order {order.number} cancelled"]
    assert "Out of stock." in mail_text(smtp_server.messages[-1])
