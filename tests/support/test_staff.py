"""Staff pages: inbox, thread handling (reply, note, take/assign, status, merge, canned replies),
topics; every change audited."""

from __future__ import annotations

import io

from bs4 import BeautifulSoup
from sqlalchemy import select

from plugins.support.models import CLOSED, OPEN, WAITING, CannedReply, Topic
from plugins.support.services import requests as support
from portal.core.models import AuditLog
from portal.testing import htmx_headers, visible_text


def test_inbox_counts_per_status_and_puts_unassigned_oldest_first(staff_client, open_one,
                                                                  customer, staff, make_user,
                                                                  app, db):
    old = open_one(customer, subject="Eski")
    new = open_one(customer, subject="Yeni")
    taken = open_one(make_user("other"), subject="Alınmış")
    with app.test_request_context():
        support.assign(db, taken, staff, actor=staff)
        db.commit()
    soup = staff_client.soup("/admin/support/")
    numbers = [a.text for a in soup.select("#inbox-table tbody th a")]
    assert numbers == [old.number, new.number, taken.number]
    counts = {a["data-status"]: a.find("span").text for a in soup.select("#status-counts a")
              if a.get("data-status")}
    assert counts == {"new": "2", "open": "1", "waiting": "0", "closed": "0"}
    soup = staff_client.soup("/admin/support/?assignee=none")
    assert [a.text for a in soup.select("#inbox-table tbody th a")] == [old.number, new.number]
    soup = staff_client.soup(f"/admin/support/?assignee={staff.id}")
    assert [a.text for a in soup.select("#inbox-table tbody th a")] == [taken.number]
    soup = staff_client.soup("/admin/support/?assignee=none")  # the customer's requests
    company_link = soup.select("#inbox-table tbody td a")[0]["href"]  # its name links
    soup = staff_client.soup(company_link)
    assert len(soup.select("#inbox-table tbody tr")) == 2
    topic = db.scalar(select(Topic.id).where(Topic.key == "invoice"))
    assert "No requests match." in staff_client.get(f"/admin/support/?topic={topic}").text
    fragment = staff_client.get("/admin/support/?status=open",
                                headers=htmx_headers("support-results"))
    assert BeautifulSoup(fragment.text, "html.parser").find("html") is None


def test_customers_cannot_open_staff_pages(customer_client, open_one, customer):
    request = open_one(customer)
    assert customer_client.get("/admin/support/").status_code == 403
    assert customer_client.get(f"/admin/support/{request.id}").status_code == 403


def test_take_reply_with_a_file_note_and_status(staff_client, open_one, customer, staff, db):
    request = open_one(customer)
    staff_client.post(f"/admin/support/{request.id}/take")
    db.refresh(request)
    assert request.assignee_id == staff.id and request.status == OPEN
    response = staff_client.post(f"/admin/support/{request.id}/reply", data={
        "body": "Depoya sordum, iade kabul", "internal": "y", "idempotency_key": "n" * 32})
    assert response.status_code == 303
    response = staff_client.post(f"/admin/support/{request.id}/reply", data={
        "body": "Merhaba, yarın sevk ediyoruz.", "idempotency_key": "r" * 32,
        "files": [(io.BytesIO(b"%PDF-1.4"), "irsaliye.pdf")]},
        content_type="multipart/form-data")
    assert response.status_code == 303
    db.refresh(request)
    assert request.status == WAITING and request.first_response_at is not None
    soup = staff_client.soup(f"/admin/support/{request.id}")
    notes = soup.select("li.message.internal")
    assert len(notes) == 1 and "Depoya sordum" in notes[0].text
    assert soup.find("a", string="irsaliye.pdf")
    assert soup.find(id="first-response").text != "—"
    staff_client.post(f"/admin/support/{request.id}/status", data={"status": "closed"})
    db.refresh(request)
    assert request.status == CLOSED and request.resolved_at is not None
    assert soup.find(id="resolution").text == "—"
    assert staff_client.soup(f"/admin/support/{request.id}").find(id="resolution").text != "—"
    actions = [a.action for a in db.scalars(select(AuditLog).where(
        AuditLog.target_type == "support_request").order_by(AuditLog.id))]
    assert actions == ["support.open", "support.assign", "support.status", "support.note",
                       "support.reply", "support.status"]


def test_assign_to_a_colleague_and_back_to_nobody(staff_client, open_one, customer, make_user,
                                                  db):
    colleague = make_user("second", kind="staff", full_name="Zehra Aydın")
    request = open_one(customer)
    staff_client.post(f"/admin/support/{request.id}/assign", data={"assignee": colleague.id})
    db.refresh(request)
    assert request.assignee_id == colleague.id
    staff_client.post(f"/admin/support/{request.id}/assign", data={"assignee": customer.id})
    db.refresh(request)
    assert request.assignee_id == colleague.id      # a customer is refused
    staff_client.post(f"/admin/support/{request.id}/assign", data={"assignee": ""})
    db.refresh(request)
    assert request.assignee_id is None


def test_merge_a_duplicate(staff_client, open_one, customer, db):
    target = open_one(customer, subject="Teslimat")
    duplicate = open_one(customer, subject="Teslimat tekrar", body="Aynı soru yine")
    soup = staff_client.soup(f"/admin/support/{duplicate.id}")
    assert soup.find("select", id="merge-target").find("option", value=str(target.id))
    response = staff_client.post(f"/admin/support/{duplicate.id}/merge",
                                 data={"target": target.id})
    assert response.headers["Location"].endswith(f"/admin/support/{target.id}")
    assert "Aynı soru yine" in staff_client.get(f"/admin/support/{target.id}").text
    db.refresh(duplicate)
    assert duplicate.merged_into_id == target.id and duplicate.status == CLOSED


def test_merge_refuses_another_companys_request(staff_client, open_one, customer, make_user, db):
    mine = open_one(customer)
    other = open_one(make_user("other"))
    staff_client.post(f"/admin/support/{mine.id}/merge", data={"target": other.id})
    db.refresh(mine)
    assert mine.merged_into_id is None


def test_canned_replies_fill_the_reply(staff_client, open_one, customer, db):
    response = staff_client.post("/admin/support/canned", data={
        "title": "Kapanış", "body": "İlginiz için teşekkürler."})
    assert response.status_code == 303
    canned = db.scalar(select(CannedReply))
    request = open_one(customer)
    soup = staff_client.soup(f"/admin/support/{request.id}")
    link = soup.find("a", string="Kapanış")
    soup = staff_client.soup(link["href"].split("#")[0])
    assert soup.find(id="body").text.strip() == "İlginiz için teşekkürler."
    staff_client.post(f"/admin/support/canned/{canned.id}", data={"title": "Son",
                                                                    "body": "Yeni metin"})
    db.refresh(canned)
    assert (canned.title, canned.body) == ("Son", "Yeni metin")
    staff_client.post(f"/admin/support/canned/{canned.id}/delete")
    assert db.scalar(select(CannedReply)) is None


def test_the_business_edits_the_topic_list(staff_client, topics, customer_client_factory, db):
    response = staff_client.post("/admin/support/topics", data={
        "key": "warranty", "name_en": "Warranty", "name_tr": "Garanti", "active": "y"})
    assert response.status_code == 303
    other = db.scalar(select(Topic).where(Topic.key == "other"))
    staff_client.post(f"/admin/support/topics/{other.id}", data={
        "key": "other", "name_en": "Something else", "name_tr": "Başka bir konu"})
    db.refresh(other)
    assert other.name_en == "Something else" and not other.active
    duplicate = staff_client.post("/admin/support/topics", data={
        "key": "warranty", "name_en": "W", "name_tr": "G", "active": "y"})
    assert duplicate.status_code == 422
    customer = customer_client_factory()
    options = [o.text for o in customer.soup("/support/new").find(id="topic").find_all("option")]
    assert "Warranty" in options and "Something else" not in options
    customer.post("/account/language", data={"lang": "tr", "next": "/"})
    options = [o.text for o in customer.soup("/support/new").find(id="topic").find_all("option")]
    assert "Garanti" in options and "Teslimat" in options


def test_a_staff_poll_includes_internal_notes(staff_client, open_one, customer, staff, app, db):
    request = open_one(customer)
    soup = staff_client.soup(f"/admin/support/{request.id}")
    poll = soup.find(id="support-messages")["hx-get"]
    with app.test_request_context():
        support.reply(db, request, author=staff, body="Not: müşteri VIP", internal=True)
        db.commit()
    fragment = staff_client.get(poll, headers=htmx_headers("support-messages"))
    assert fragment.status_code == 200 and "müşteri VIP" in visible_text(fragment.text)


def test_unknown_requests_are_404(staff_client):
    assert staff_client.get("/admin/support/999").status_code == 404
    assert staff_client.post("/admin/support/999/reply", data={"body": "x"}).status_code == 404
    assert staff_client.get("/admin/support/attachments/999").status_code == 404
