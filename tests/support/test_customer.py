"""Customer pages: the list, a new request (with links and files), the thread, close/reopen."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from plugins.support.models import CLOSED, Message, SupportAttachment, SupportRequest, Topic
from plugins.support.services import requests as support
from portal.core.db import utcnow
from portal.testing import htmx_headers, visible_text


def topic_id(db, key):
    return str(db.scalar(select(Topic.id).where(Topic.key == key)))


def new_form(client, url="/support/new"):
    soup = client.soup(url)
    form = soup.find("form", id="new-request-form")
    return {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")} | {
        "subject": form.find(id="subject").get("value", "")}, soup


def test_support_is_in_the_menu_and_lists_the_companys_requests(customer_client, open_one,
                                                                 customer, make_user, db):
    colleague = make_user("mehmet", company_id=customer.company_id, full_name="Mehmet Öztürk")
    mine = open_one(customer, subject="Benim sorum")
    theirs = open_one(colleague, subject="Meslektaşın sorusu")
    open_one(make_user("stranger"), subject="Başka firma")
    soup = customer_client.soup("/")
    assert soup.find("nav", class_="menu").find("a", string="Support")
    soup = customer_client.soup("/support/")
    text = visible_text(str(soup.find(id="support-table")))
    assert mine.number in text and theirs.number in text and "Başka firma" not in text
    assert "Mehmet Öztürk" in text
    # the colleague's request has a message the customer has not read: marked unread
    row = soup.find("a", string=theirs.number).find_parent("tr")
    assert "unread" in row["class"] and "New reply" in visible_text(str(row))
    assert "unread" not in (soup.find("a", string=mine.number).find_parent("tr").get("class")
                            or [])


def test_without_view_company_only_own_requests_show(customer_client, open_one, customer,
                                                     make_user, db, customer_group):
    from portal.core.models import AccessGroupExclusion

    db.add(AccessGroupExclusion(group_id=customer_group.id, permission="support.view_company"))
    db.commit()
    colleague = make_user("mehmet", company_id=customer.company_id)
    theirs = open_one(colleague, subject="Meslektaşın sorusu")
    mine = open_one(customer, subject="Benim")
    text = visible_text(customer_client.get("/support/").text)
    assert mine.number in text and theirs.number not in text
    assert customer_client.get(f"/support/{theirs.id}").status_code == 404


def test_filters_and_paging(customer_client, open_one, customer, db, app):
    for n in range(30):
        open_one(customer, subject=f"Soru {n:02d}", topic="order" if n % 2 else "invoice")
    soup = customer_client.soup("/support/")
    assert len(soup.select("#support-table tbody tr")) == 25
    assert soup.find("a", rel="next")
    soup = customer_client.soup("/support/?page=2")
    assert len(soup.select("#support-table tbody tr")) == 5
    soup = customer_client.soup(f"/support/?topic={topic_id(db, 'invoice')}")
    assert "15 requests." in visible_text(str(soup))
    soup = customer_client.soup("/support/?q=soru+07")
    assert [a.text for a in soup.select("#support-table th a")] != []
    assert "1 request." in visible_text(str(soup))
    fragment = customer_client.get("/support/?status=closed",
                                   headers=htmx_headers("support-results"))
    assert BeautifulSoup(fragment.text, "html.parser").find("html") is None
    assert "No requests match." in fragment.text


def test_a_turkish_search_finds_dotted_and_dotless_i(customer_client, open_one, customer):
    open_one(customer, subject="IŞIK arızası")
    assert "1 request." in visible_text(customer_client.get("/support/?q=ışık").text)
    assert "1 request." in visible_text(customer_client.get("/support/?q=isik").text)


def test_new_request_with_attachments_opens_the_thread(customer_client, topics, db, customer):
    data, _soup = new_form(customer_client)
    data |= {"topic": topic_id(db, "delivery"), "subject": "Eksik koli",
             "body": "İki koli eksik geldi.\nFotoğraflar ekte.",
             "files": [(io.BytesIO(b"%PDF-1.4 test"), "irsaliye.pdf"),
                       (io.BytesIO(b"\x89PNG fake"), "koli fotoğrafı.png")]}
    response = customer_client.post("/support/new", data=data,
                                    content_type="multipart/form-data")
    assert response.status_code == 303
    page = customer_client.get(response.headers["Location"])
    text = visible_text(page.text)
    assert "Eksik koli" in text and "İki koli eksik geldi." in text
    assert "irsaliye.pdf" in text and "koli fotoğrafı.png" in text
    request = db.scalar(select(SupportRequest))
    assert request.company_id == customer.company_id and request.author_id == customer.id
    files = list(db.scalars(select(SupportAttachment).order_by(SupportAttachment.id)))
    assert [f.original_name for f in files] == ["irsaliye.pdf", "koli fotoğrafı.png"]
    assert all(f.stored_key.startswith("support/") for f in files)
    download = customer_client.get(f"/support/attachments/{files[0].id}")
    assert download.status_code == 200 and download.data == b"%PDF-1.4 test"
    assert "attachment" in download.headers["Content-Disposition"]


def test_a_refused_file_keeps_the_input_and_writes_nothing(customer_client, topics, db):
    data, _soup = new_form(customer_client)
    data |= {"topic": topic_id(db, "other"), "subject": "Dosya", "body": "Ekte",
             "files": [(io.BytesIO(b"MZ..."), "virus.exe")]}
    response = customer_client.post("/support/new", data=data,
                                    content_type="multipart/form-data")
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert "virus.exe" in soup.find(id="files-error").text
    assert soup.find(id="subject")["value"] == "Dosya"
    assert soup.find(id="body").text.strip() == "Ekte"
    assert db.scalar(select(func.count()).select_from(SupportRequest)) == 0


def test_too_many_files_are_refused(customer_client, topics, db, app):
    app.config["SUPPORT_MAX_FILES"] = 2
    data, _soup = new_form(customer_client)
    data |= {"topic": topic_id(db, "other"), "subject": "Dosya", "body": "Ekte",
             "files": [(io.BytesIO(b"x"), f"{n}.pdf") for n in range(3)]}
    response = customer_client.post("/support/new", data=data,
                                    content_type="multipart/form-data")
    assert response.status_code == 422 and "at most 2 files" in response.text


def test_missing_fields_are_explained_next_to_them(customer_client, topics, db):
    data, _soup = new_form(customer_client)
    response = customer_client.post("/support/new", data=data | {"body": "mesaj"})
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find(id="subject-error") and soup.find(id="topic-error")
    assert soup.find(id="body").text.strip() == "mesaj"


def test_a_double_submit_makes_one_request_and_one_message(customer_client, topics, db):
    data, _soup = new_form(customer_client)
    data |= {"topic": topic_id(db, "order"), "subject": "Bir kez", "body": "Tek mesaj"}
    first = customer_client.post("/support/new", data=dict(data))
    second = customer_client.post("/support/new", data=dict(data))
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert db.scalar(select(func.count()).select_from(SupportRequest)) == 1
    assert db.scalar(select(func.count()).select_from(Message)) == 1
    page = customer_client.get(second.headers["Location"])
    assert "not sent twice" in page.text


def test_a_double_reply_makes_one_message(customer_client, open_one, customer, db):
    request = open_one(customer)
    soup = customer_client.soup(f"/support/{request.id}")
    key = soup.find("form", id="reply-form").find("input", attrs={"name": "idempotency_key"})
    data = {"body": "Ek bilgi", "idempotency_key": key["value"]}
    for _ in range(2):
        assert customer_client.post(f"/support/{request.id}/reply",
                                    data=dict(data)).status_code == 303
    assert db.scalar(select(func.count()).select_from(Message)
                     .where(Message.request_id == request.id)) == 2


# -- "Ask us about this" ---------------------------------------------------------------------------


@pytest.fixture
def invoice(db, customer):
    from plugins.documents.services import LineData, create_document

    doc = create_document(db, company_id=customer.company_id, doc_type="invoice",
                          number="FT-2026-000031", issued_on=dt.date(2026, 3, 5),
                          lines=[LineData(product_code="YP-1020", product_name="Çimento",
                                          quantity=Decimal("2"), unit="torba",
                                          unit_price=Decimal("185"), tax_rate=Decimal("20"),
                                          discount_rate=Decimal("0"))])
    db.commit()
    return doc


def test_ask_about_a_document_fills_the_form_and_keeps_the_link(customer_client, topics, db,
                                                                invoice):
    page = customer_client.soup(f"/documents/{invoice.id}")
    link = page.find("a", string="Ask us about this")
    assert link and link["href"] == f"/support/new?link=document:{invoice.id}"
    data, soup = new_form(customer_client, link["href"])
    assert data["subject"] == "Question about document FT-2026-000031"
    assert "FT-2026-000031" in soup.find(id="request-link").text
    selected = soup.find(id="topic").find("option", selected=True)
    assert selected["value"] == topic_id(db, "invoice")
    response = customer_client.post("/support/new", data=data | {
        "topic": topic_id(db, "invoice"), "body": "Tutar hatalı"})
    assert response.status_code == 303
    request = db.scalar(select(SupportRequest))
    assert (request.link_type, request.link_id, request.link_label) == \
        ("document", invoice.id, "FT-2026-000031")
    thread = customer_client.soup(response.headers["Location"])
    assert thread.find("a", string="FT-2026-000031")["href"] == f"/documents/{invoice.id}"


def test_a_link_to_another_companys_record_is_404(customer_client, topics, db, make_company):
    from plugins.documents.services import LineData, create_document

    other = make_company("Başka A.Ş.")
    doc = create_document(db, company_id=other.id, doc_type="invoice", number="FT-9",
                          issued_on=dt.date(2026, 3, 5),
                          lines=[LineData(product_code="A", product_name="A",
                                          quantity=Decimal("1"), unit="pcs",
                                          unit_price=Decimal("1"), tax_rate=Decimal("20"),
                                          discount_rate=Decimal("0"))])
    db.commit()
    assert customer_client.get(f"/support/new?link=document:{doc.id}").status_code == 404
    assert customer_client.get("/support/new?link=order:99999").status_code == 404
    assert customer_client.get("/support/new?link=bogus").status_code == 404
    data, _soup = new_form(customer_client)
    response = customer_client.post("/support/new", data=data | {
        "topic": topic_id(db, "invoice"), "subject": "x", "body": "y",
        "link": f"document:{doc.id}"})
    assert response.status_code == 404
    assert db.scalar(select(func.count()).select_from(SupportRequest)) == 0


@pytest.fixture
def order(app, db, customer):
    from plugins.orders.models import Product
    from plugins.orders.ordering import NewLine, OrderDetails, place_order

    product = Product(code="VD-100", name="Vida")
    db.add(product)
    db.flush()
    with app.test_request_context():
        placed = place_order(db, company_id=customer.company_id, user=customer,
                             lines=[NewLine(product.id, "VD-100", "Vida", "pcs", Decimal("1"),
                                            Decimal("2.50"), Decimal("20"))],
                             details=OrderDetails("support-test-order-key"))
        db.commit()
        return placed


def test_ask_about_an_order_through_the_record_action(customer_client, topics, db, order):
    page = customer_client.soup(f"/orders/{order.id}")
    link = page.find("a", string="Ask us about this")
    assert link["href"] == f"/support/new?link=order:{order.id}"
    data, soup = new_form(customer_client, link["href"])
    assert data["subject"] == f"Question about order {order.number}"
    assert soup.find(id="topic").find("option", selected=True)["value"] == topic_id(db, "order")


def test_ask_about_an_rma_checks_it_through_the_returns_service(customer_client, topics, db,
                                                                monkeypatch, customer):
    import sys
    import types

    from plugins.support.services import links

    seen = []

    def get_request(session, request_id, company_id):
        seen.append((request_id, company_id))
        if request_id == 5 and company_id == customer.company_id:
            return types.SimpleNamespace(id=5, number="RMA-2026-000005")
        return None

    fake = types.ModuleType("plugins.returns.services")
    fake.get_request = get_request
    monkeypatch.setitem(sys.modules, "plugins.returns.services", fake)
    data, soup = new_form(customer_client, "/support/new?link=rma:5")
    assert data["subject"] == "Question about return RMA-2026-000005"
    assert customer_client.get("/support/new?link=rma:6").status_code == 404
    assert seen == [(5, customer.company_id), (6, customer.company_id)]
    assert links.resolve(db, customer.company_id, ("rma", 5))[2] == "RMA-2026-000005"


def test_the_rma_record_action_links_to_the_form(app, customer):
    from plugins.support import plugin

    with app.test_request_context():
        [action] = plugin.portal_record_actions("returns.rma", type("R", (), {"id": 3}), customer)
        assert action.endpoint == "support.new" and dict(action.url_values) == {"link": "rma:3"}
        assert plugin.portal_record_actions("other.thing", None, customer) == []


# -- the thread ---------------------------------------------------------------------------------


def test_the_thread_shows_both_sides_in_order_and_marks_them_read(customer_client, open_one,
                                                                  customer, staff, app, db):
    request = open_one(customer, body="Soru <b>kalın</b>\nikinci satır")
    with app.test_request_context():
        support.reply(db, request, author=staff, body="Cevap: https://example.com/a?x=1.")
        db.commit()
    assert "unread" in customer_client.soup("/support/").find(
        "a", string=request.number).find_parent("tr")["class"]
    soup = customer_client.soup(f"/support/{request.id}")
    items = soup.select("#support-messages li.message")
    assert [i.find("strong").text for i in items] == ["Ayşe Demir", "Murat Kaya"]
    assert "from-staff" in items[1]["class"] and "New" in items[1].text
    body = items[0].find(class_="message-body")
    assert body.find("b") is None and "<b>kalın</b>" in body.text and body.find("br")
    link = items[1].find(class_="message-body").find("a")
    assert link["href"] == "https://example.com/a?x=1" and "noopener" in link["rel"]
    assert "unread" not in (customer_client.soup("/support/").find(
        "a", string=request.number).find_parent("tr").get("class") or [])


def test_reply_close_and_reopen(customer_client, open_one, customer, db):
    request = open_one(customer)
    response = customer_client.post(f"/support/{request.id}/reply",
                                    data={"body": "Ek: sipariş no 123",
                                          "idempotency_key": "a" * 32})
    assert response.status_code == 303
    assert "Ek: sipariş no 123" in customer_client.get(f"/support/{request.id}").text
    customer_client.post(f"/support/{request.id}/close")
    db.refresh(request)
    assert request.status == CLOSED
    soup = customer_client.soup(f"/support/{request.id}")
    assert soup.find(id="reopen-request")
    customer_client.post(f"/support/{request.id}/reopen")
    db.refresh(request)
    assert request.status == "open"


def test_a_reply_to_a_long_closed_request_is_refused_and_kept(customer_client, open_one, customer,
                                                              staff, db, app):
    request = open_one(customer)
    with app.test_request_context():
        support.change_status(db, request, CLOSED, actor=staff,
                              now=utcnow() - dt.timedelta(days=30))
        db.commit()
    soup = customer_client.soup(f"/support/{request.id}")
    assert soup.find(id="reply-form") is None and soup.find(id="reopen-request") is None
    response = customer_client.post(f"/support/{request.id}/reply",
                                    data={"body": "Geç gelen soru", "idempotency_key": "b" * 32})
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert "closed more than 14 days ago" in soup.find(id="body-error").text
    assert soup.find(id="body").text.strip() == "Geç gelen soru"


def test_polling_answers_204_until_a_new_message_arrives(customer_client, open_one, customer,
                                                         staff, app, db):
    request = open_one(customer)
    soup = customer_client.soup(f"/support/{request.id}")
    section = soup.find(id="support-messages")
    assert section["hx-trigger"] == "every 15s, supportvisible from:document"
    assert "data-support-poll" in section.attrs
    poll = section["hx-get"]
    assert customer_client.get(poll, headers=htmx_headers("support-messages")).status_code == 204
    with app.test_request_context():
        support.reply(db, request, author=staff, body="Yeni cevap")
        db.commit()
    fragment = customer_client.get(poll, headers=htmx_headers("support-messages"))
    assert fragment.status_code == 200
    part = BeautifulSoup(fragment.text, "html.parser")
    assert part.find("html") is None and "Yeni cevap" in part.text
    assert part.find(id="support-messages")["hx-get"] != poll
    # without htmx the URL is the thread page
    assert customer_client.get(poll).status_code == 303


def test_the_poll_script_pauses_while_the_tab_is_hidden(customer_client, open_one, customer):
    request = open_one(customer)
    soup = customer_client.soup(f"/support/{request.id}")
    src = soup.find("script", src=lambda s: s and "poll.js" in s)["src"]
    script = customer_client.get(src).text
    assert "document.hidden" in script and "preventDefault" in script
    assert "supportvisible" in script


def test_the_conversation_downloads_as_csv(customer_client, open_one, customer, staff, app, db):
    request = open_one(customer, body="=HYPERLINK(\"http://evil\")")
    with app.test_request_context():
        support.reply(db, request, author=staff, body="Kamuya açık cevap")
        db.commit()
    response = customer_client.get(f"/support/{request.id}/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "Kamuya açık cevap" in text


def test_permissions(client, make_user, open_one, customer_group, db):
    from portal.core.models import AccessGroupExclusion

    db.add(AccessGroupExclusion(group_id=customer_group.id, permission="support.create"))
    db.commit()
    user = make_user("reader")
    request = open_one(user)
    client.login("reader")
    assert client.get("/support/").status_code == 200
    assert client.get("/support/new").status_code == 403
    assert client.post(f"/support/{request.id}/reply",
                       data={"body": "x", "idempotency_key": "c" * 32}).status_code == 403
    soup = client.soup(f"/support/{request.id}")
    assert soup.find(id="reply-form") is None and soup.find(id="new-request") is None
    outsider = make_user("outsider", groups=[])
    client.post("/logout")
    client.login(outsider.username)
    assert client.get("/support/").status_code == 403


def test_the_pages_speak_turkish(customer_client, open_one, customer, staff, app, db):
    request = open_one(customer)
    with app.test_request_context():
        support.reply(db, request, author=staff, body="Yarın")
        db.commit()
    customer_client.post("/account/language", data={"lang": "tr", "next": "/"})
    text = visible_text(customer_client.get("/support/").text)
    assert "Destek" in text and "Yanıtınız bekleniyor" in text and "Teslimat" in text
    text = visible_text(customer_client.get(f"/support/{request.id}").text)
    assert "Yazışma" in text and "Yanıtı gönder" in text
