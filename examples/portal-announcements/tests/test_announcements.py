"""Announcements: staff publish, customers read their own and everyone's, nobody else's."""

from bs4 import BeautifulSoup
from portal_announcements.demo import DEMO
from portal_announcements.models import Announcement
from portal_announcements.services import publish
from sqlalchemy import select

from portal.core.models import AuditLog
from portal.testing import PortalClient, htmx_headers, visible_text


def test_customers_read_announcements_for_everyone_and_their_company(customer_client, customer,
                                                                      db, make_company):
    publish(db, "For everyone", "Hello all.")
    mine = publish(db, "For us", "Hello you.", company_id=customer.company_id)
    theirs = publish(db, "For them", "Not for you.", company_id=make_company().id)
    db.commit()
    text = visible_text(customer_client.get("/announcements/").text)
    assert "For everyone" in text and "For us" in text and "For them" not in text
    assert "Hello you." in customer_client.get(f"/announcements/{mine.id}").text
    assert customer_client.get(f"/announcements/{theirs.id}").status_code == 404


def test_the_dashboard_panel_shows_the_newest(customer_client, db):
    for n in range(5):
        publish(db, f"News {n}", "…")
    db.commit()
    home = BeautifulSoup(customer_client.get("/").text, "html.parser")
    assert home.find(id="panel-announcements")["hx-get"] == "/announcements/panel"
    response = customer_client.get("/announcements/panel",
                                   headers=htmx_headers("panel-announcements"))
    assert "<html" not in response.text
    assert visible_text(response.text).count("News") == 3  # ANNOUNCEMENTS_PANEL_SIZE


def test_the_list_is_paged_with_a_fixed_number_of_queries(customer_client, db, count_queries):
    def queries(n):
        db.query(Announcement).delete()
        for i in range(n):
            publish(db, f"Item {i}", "…")
        db.commit()
        with count_queries() as counter:
            response = customer_client.get("/announcements/",
                                           headers=htmx_headers("announcement-list"))
        assert response.status_code == 200
        return counter.count

    customer_client.get("/announcements/")  # the first request also stores plugin states
    assert queries(3) == queries(30)
    assert "Next page" in customer_client.get("/announcements/").text


def test_staff_publish_with_errors_kept_and_withdraw(staff_client, db, customer):
    response = staff_client.post("/admin/announcements/",
                                 data={"title": "", "body": "Kept text", "company": ""})
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert "Enter a title." in soup.find(id="title-error").text
    assert soup.find("textarea", id="body").text.strip() == "Kept text"
    assert db.scalar(select(Announcement)) is None

    response = staff_client.post("/admin/announcements/", data={
        "title": "Stock count", "body": "Closed on Friday.", "company": f"#{customer.company_id}"})
    assert response.status_code == 303
    row = db.scalar(select(Announcement))
    assert row.company_id == customer.company_id
    assert db.scalar(select(AuditLog.action).where(AuditLog.target_id == str(row.id))) \
        == "announcements.publish"
    assert staff_client.post(f"/admin/announcements/{row.id}/withdraw").status_code == 303
    db.expire_all()
    assert db.get(Announcement, row.id).withdrawn_at is not None


def test_staff_pages_are_for_staff_and_posts_need_csrf(customer_client, app, db, staff):
    assert customer_client.get("/admin/announcements/").status_code == 403
    app.test_client_class = PortalClient
    other = app.test_client()
    other.login(staff.username)
    response = other.post("/admin/announcements/", csrf=False,
                          data={"title": "x", "body": "y", "company": ""})
    assert response.status_code == 400


def test_turkish(customer_client, db):
    publish(db, "Bayram", "Kapalıyız.")
    db.commit()
    customer_client.post("/account/language", data={"lang": "tr"})
    text = visible_text(customer_client.get("/announcements/").text)
    assert "Duyurular" in text and "Bayram" in text


def test_settings_are_listed_on_the_plugin_page(admin_client):
    soup = admin_client.soup("/admin/plugins/announcements")
    rows = {tr.th.code.text: tr.td.get_text(" ", strip=True) for tr in soup.select("tbody tr")}
    assert rows["PORTAL_ANNOUNCEMENTS_PANEL_SIZE"] == "3 (default)"


def test_demo_data_once(app, db):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["plugins", "enable", "announcements", "--demo"])
        assert result.exit_code == 0, result.output
    assert sorted(db.scalars(select(Announcement.title))) == sorted(t for t, _ in DEMO)
