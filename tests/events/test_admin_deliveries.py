"""Admin › Deliveries lists every mail; without SMTP (development) it is where mails are read."""

from portal.core.models import FAILED, Delivery
from portal.testing import PortalClient, deliver


def test_without_smtp_mails_go_to_the_log_and_the_page_shows_them(
        make_app, db, admin, customer, place_order, caplog):
    app = make_app(WORKER_QUEUE="memory")  # no SMTP_URL: development
    app.test_client_class = PortalClient
    customer = db.merge(customer)
    customer.email = "ayse@anadolu.test"
    db.commit()
    order = place_order(customer)
    with caplog.at_level("INFO", logger="portal.mail"):
        deliver(app)
    assert f"Order {order.number} received" in caplog.text
    client = app.test_client()
    client.login(admin.username)
    page = client.soup("/admin/deliveries")
    assert page.find(id="mail-to-log") is not None
    link = page.find("a", string=f"Order {order.number} received")
    body = client.soup(link["href"]).find(id="delivery-body").get_text()
    assert f"we have received your order {order.number}" in body


def test_the_list_costs_the_same_queries_for_3_or_30_rows(admin_client, db, count_queries):
    def add(n):
        db.add_all(Delivery(channel="email", recipient=f"r{i}@x.test", subject=f"S{i}",
                            status=FAILED, attempts=3, last_error="boom") for i in range(n))
        db.commit()

    add(3)
    admin_client.get("/admin/deliveries")
    with count_queries() as few:
        assert admin_client.get("/admin/deliveries").status_code == 200
    add(27)
    with count_queries() as many:
        page = admin_client.soup("/admin/deliveries?status=failed")
    assert many.count == few.count
    assert len(page.select("#delivery-table tbody tr")) == 30


def test_a_failed_mail_is_retried_from_its_page(app, db, admin_client, customer, smtp_server):
    row = Delivery(channel="email", recipient="ayse@anadolu.test", subject="Hello",
                   body_text="Hi", status=FAILED, attempts=10, last_error="Connection refused")
    db.add(row)
    db.commit()
    page = admin_client.soup(f"/admin/deliveries/{row.id}")
    assert page.find("form", id="retry-form") is not None
    admin_client.post(f"/admin/deliveries/{row.id}/retry")
    deliver(app)
    assert [m["Subject"] for m in smtp_server.messages] == ["Hello"]
    db.refresh(row)
    assert row.status == "sent"
    again = admin_client.post(f"/admin/deliveries/{row.id}/retry", follow_redirects=True)
    assert "Only a failed delivery" in again.text
