"""The rules: another company's request is 404 everywhere, internal notes never reach a
customer (page, poll, CSV, attachment, API), fixed query counts, plain-text bodies, events."""

from __future__ import annotations

import io
import types

import pytest
from markupsafe import Markup
from sqlalchemy import select

from plugins.support.models import SupportAttachment
from plugins.support.services import NewAttachment
from plugins.support.services import requests as support
from plugins.support.text import plain_text
from portal.core.models import Event
from portal.core.storage import get_storage
from portal.testing import htmx_headers


def stored(app, name="note.pdf", data=b"%PDF-1.4 secret"):
    """A file put in storage the way save_upload does."""
    import secrets

    key = f"support/{secrets.token_hex(16)}"
    with app.app_context():
        get_storage().write(key, io.BytesIO(data), 10_000)
    return NewAttachment(key, name, len(data), "application/pdf")


@pytest.fixture
def foreign(open_one, make_user, app, db, staff):
    """A request of another company, with a public file."""
    other = make_user("other")
    request = open_one(other, subject="Başkasının sorusu",
                       attachments=[stored(app, "theirs.pdf")])
    return request


def test_another_companys_request_is_404_everywhere(customer_client, foreign, db):
    file_id = db.scalar(select(SupportAttachment.id)
                        .where(SupportAttachment.request_id == foreign.id))
    for url in (f"/support/{foreign.id}", f"/support/{foreign.id}/messages",
                f"/support/{foreign.id}/export.csv", f"/support/attachments/{file_id}"):
        assert customer_client.get(url, headers=htmx_headers()).status_code == 404, url
    for url in ("reply", "close", "reopen"):
        response = customer_client.post(f"/support/{foreign.id}/{url}",
                                        data={"body": "x", "idempotency_key": "z" * 32})
        assert response.status_code == 404, url
    db.refresh(foreign)
    assert foreign.status == "new"


@pytest.fixture
def with_note(open_one, customer, staff, app, db):
    request = open_one(customer, subject="Notlu talep")
    with app.test_request_context():
        support.reply(db, request, author=staff, body="GİZLİ NOT: müşteri borçlu", internal=True,
                      attachments=[stored(app, "gizli.pdf")])
        support.reply(db, request, author=staff, body="Açık cevap")
        db.commit()
    return request


def test_internal_notes_never_reach_a_customer(customer_client, with_note, db):
    page = customer_client.get(f"/support/{with_note.id}").text
    assert "GİZLİ NOT" not in page and "gizli.pdf" not in page and "Açık cevap" in page
    poll = customer_client.get(f"/support/{with_note.id}/messages?after=0",
                               headers=htmx_headers("support-messages")).text
    assert "GİZLİ NOT" not in poll and "Açık cevap" in poll
    csv = customer_client.get(f"/support/{with_note.id}/export.csv").data.decode("utf-8-sig")
    assert "GİZLİ NOT" not in csv and "gizli.pdf" not in csv and "Açık cevap" in csv
    note_file = db.scalar(select(SupportAttachment.id)
                          .where(SupportAttachment.original_name == "gizli.pdf"))
    assert customer_client.get(f"/support/attachments/{note_file}").status_code == 404
    assert "GİZLİ" not in customer_client.get("/support/").text


def test_internal_notes_never_reach_the_api(api, with_note, db):
    response = api("GET", f"/api/v1/support-requests/{with_note.number}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["number"] == with_note.number and body["subject"] == "Notlu talep"
    assert [m["body"] for m in body["messages"]] == ["Merhaba,\nsiparişimiz nerede?",
                                                     "Açık cevap"]
    assert "GİZLİ" not in response.text and "gizli.pdf" not in response.text
    assert api("GET", "/api/v1/support-requests/SR-0000-000000").status_code == 404
    assert api("GET", f"/api/v1/support-requests/{with_note.number}",
               token=None).status_code == 401
    refused = api("PUT", f"/api/v1/support-requests/{with_note.number}", json={})
    assert refused.status_code == 422


def test_internal_notes_never_reach_a_customer_event(with_note, db):
    events = list(db.scalars(select(Event).where(Event.subject_id == str(with_note.id))))
    assert all("GİZLİ" not in str(e.payload) for e in events)


# -- query counts ----------------------------------------------------------------------------


def _grow_thread(app, db, request, staff, customer, count):
    with app.test_request_context():
        for n in range(count):
            author = staff if n % 2 else customer
            support.reply(db, request, author=author, body=f"Mesaj {n}",
                          internal=bool(author is staff and n % 4 == 1),
                          attachments=[stored(app, f"{n}.pdf")] if n % 3 == 0 else ())
        db.commit()


def test_the_thread_costs_the_same_for_3_and_30_messages(customer_client, staff_client_factory,
                                                         open_one, customer, staff, app, db,
                                                         count_queries):
    small, large = open_one(customer), open_one(customer)
    _grow_thread(app, db, small, staff, customer, 2)
    _grow_thread(app, db, large, staff, customer, 29)
    counts = []
    for request in (small, large):
        customer_client.get(f"/support/{request.id}")  # read state written once
        with count_queries() as counter:
            assert customer_client.get(f"/support/{request.id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
    staff_client = staff_client_factory()
    counts = []
    for request in (small, large):
        with count_queries() as counter:
            assert staff_client.get(f"/admin/support/{request.id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_the_list_and_inbox_cost_the_same_for_3_and_30_requests(customer_client, open_one,
                                                                 customer, staff_client_factory,
                                                                 count_queries):
    for _ in range(3):
        open_one(customer)
    customer_client.get("/support/")   # the first request of a session does more
    with count_queries() as few:
        customer_client.get("/support/")
    staff_client = staff_client_factory()
    staff_client.get("/admin/support/")
    with count_queries() as few_inbox:
        staff_client.get("/admin/support/")
    for _ in range(27):
        open_one(customer)
    with count_queries() as many:
        customer_client.get("/support/")
    with count_queries() as many_inbox:
        staff_client.get("/admin/support/")
    assert few.count == many.count <= 12, (few.count, many.count)
    assert few_inbox.count == many_inbox.count, (few_inbox.count, many_inbox.count)


# -- plain text ------------------------------------------------------------------------------


@pytest.mark.parametrize("text,html", [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("bir\niki", "bir<br>\niki"),
    ("see https://example.com/a?b=1&c=2.", 'see <a href="https://example.com/a?b=1&amp;c=2" '
     'rel="nofollow noopener noreferrer">https://example.com/a?b=1&amp;c=2</a>.'),
    ("(https://x.org/a_(b))", '(<a href="https://x.org/a_(b)" rel="nofollow noopener '
     'noreferrer">https://x.org/a_(b)</a>)'),
    ('https://x.org/"onmouseover="alert(1)', '<a href="https://x.org/" rel="nofollow noopener '
     'noreferrer">https://x.org/</a>&#34;onmouseover=&#34;alert(1)'),
    ("javascript:alert(1)", "javascript:alert(1)"),
    ("", ""),
])
def test_plain_text_is_escaped_with_line_breaks_and_links(text, html):
    result = plain_text(text)
    assert isinstance(result, Markup) and str(result) == html


# -- events and mail -------------------------------------------------------------------------


def test_the_event_kinds_and_their_mail_templates(app, open_one, customer, staff, db):
    from portal.core.events import event_kinds

    kinds = {k: v for k, v in event_kinds(app).items() if k.startswith("support.")}
    assert {k: v.audience for k, v in kinds.items()} == {
        "support.created": "staff", "support.replied": "customer",
        "support.customer_replied": "staff", "support.status_changed": "customer"}
    assert kinds["support.created"].staff_endpoint == "support_staff.show"
    request = open_one(customer)
    payload = {"number": request.number, "subject": request.subject, "status": "waiting",
               "excerpt": "Merhaba", "by": "Murat Kaya"}
    with app.test_request_context():
        for kind in kinds:
            template = app.jinja_env.get_template(f"support/mail/{kind.split('.')[1]}.txt")
            text = template.render(event=types.SimpleNamespace(kind=kind), payload=payload,
                                   recipient=customer, link="https://portal.example/x",
                                   supplier_name="Tedarikçi A.Ş.")
            assert request.number in text and "https://portal.example/x" in text, kind
