"""The support services: numbering, threads, status rules, merge, read state, events."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from plugins.support.models import CLOSED, NEW, OPEN, WAITING, Message, ReadState
from plugins.support.services import SupportError, open_request
from plugins.support.services import requests as support
from portal.core.db import utcnow
from portal.core.models import AuditLog, Event


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def events_of(db, kind=None):
    stmt = select(Event).order_by(Event.id)
    if kind:
        stmt = stmt.where(Event.kind == kind)
    return list(db.scalars(stmt))


def test_numbers_count_up_per_year(db, ctx, topics, customer):
    first = open_request(db, company_id=customer.company_id, author=customer, topic="order",
                         subject="Bir", body="x")
    second = open_request(db, company_id=customer.company_id, author=customer, topic="order",
                          subject="İki", body="y")
    year = utcnow().year
    assert (first.number, second.number) == (f"SR-{year}-000001", f"SR-{year}-000002")
    old = open_request(db, company_id=customer.company_id, author=customer, topic="order",
                       subject="Eski", body="z", now=dt.datetime(2025, 5, 1, tzinfo=dt.UTC))
    assert old.number == "SR-2025-000001"


def test_open_request_flushes_records_the_event_and_never_commits(db, ctx, topics, customer):
    request = open_request(db, company_id=customer.company_id, author=customer, topic="invoice",
                           subject="  Mutabakat   farkı ", body="Tutar tutmuyor.\r\nKontrol?",
                           link=("document", 7, "RC-2026-000012"))
    assert request.id is not None and request.status == NEW
    assert request.subject == "Mutabakat farkı"
    assert (request.link_type, request.link_id, request.link_label) == \
        ("document", 7, "RC-2026-000012")
    [message] = db.scalars(select(Message).where(Message.request_id == request.id))
    assert message.body == "Tutar tutmuyor.\nKontrol?" and not message.from_staff
    [event] = events_of(db, "support.created")
    assert event.subject_type == "support_request" and event.subject_id == str(request.id)
    assert event.company_id == customer.company_id
    assert event.payload == {"number": request.number, "subject": "Mutabakat farkı",
                             "status": "new", "excerpt": "Tutar tutmuyor. Kontrol?",
                             "by": "Ayşe Demir"}
    db.rollback()
    assert events_of(db) == []


def test_an_unknown_topic_falls_back_to_other(db, ctx, topics, customer):
    request = open_request(db, company_id=customer.company_id, author=customer,
                           topic="no-such-topic", subject="S", body="B")
    from plugins.support.models import Topic

    assert db.get(Topic, request.topic_id).key == "other"


@pytest.mark.parametrize("subject,body", [("", "body"), ("subject", "  \n ")])
def test_an_empty_subject_or_message_is_refused(db, ctx, topics, customer, subject, body):
    with pytest.raises(SupportError):
        open_request(db, company_id=customer.company_id, author=customer, topic="order",
                     subject=subject, body=body)


def test_a_staff_reply_is_the_first_response_and_waits_for_the_customer(db, ctx, open_one,
                                                                         customer, staff):
    request = open_one(customer)
    support.reply(db, request, author=staff, body="Yarın yola çıkıyor.")
    assert request.status == WAITING and request.first_response_at is not None
    first = request.first_response_at
    support.reply(db, request, author=customer, body="Teşekkürler")
    assert request.status == OPEN
    support.reply(db, request, author=staff, body="Rica ederiz")
    assert request.first_response_at == first
    kinds = [e.kind for e in events_of(db)]
    assert kinds == ["support.created", "support.replied", "support.customer_replied",
                     "support.replied"]
    assert events_of(db, "support.replied")[0].payload["by"] == "Murat Kaya"


def test_internal_notes_tell_nobody_and_do_not_count_as_an_answer(db, ctx, open_one, customer,
                                                                  staff):
    request = open_one(customer)
    before = request.last_public_message_id
    support.reply(db, request, author=staff, body="Depoya sordum", internal=True)
    assert request.status == NEW and request.first_response_at is None
    assert request.last_public_message_id == before
    assert [e.kind for e in events_of(db)] == ["support.created"]
    with pytest.raises(SupportError):
        support.reply(db, request, author=customer, body="sneaky", internal=True)


def test_a_customer_reply_to_a_closed_request_reopens_it_within_the_period(db, ctx, open_one,
                                                                           customer, staff):
    request = open_one(customer)
    support.change_status(db, request, CLOSED, actor=staff)
    assert request.resolved_at is not None
    support.reply(db, request, author=customer, body="Bir sorum daha var", reopen_days=14)
    assert request.status == OPEN and request.resolved_at is None


def test_after_the_period_a_reply_is_refused_and_nothing_is_written(db, ctx, open_one, customer,
                                                                    staff):
    request = open_one(customer)
    support.change_status(db, request, CLOSED, actor=staff,
                          now=utcnow() - dt.timedelta(days=20))
    db.commit()
    count = len(list(db.scalars(select(Message))))
    with pytest.raises(SupportError, match="14"):
        support.reply(db, request, author=customer, body="Geç kaldım", reopen_days=14)
    assert len(list(db.scalars(select(Message)))) == count
    assert not support.can_reopen(request, 14)
    with pytest.raises(SupportError):
        support.reopen_by_customer(db, request, actor=customer, reopen_days=14)


def test_the_same_reply_key_adds_one_message(db, ctx, open_one, customer):
    request = open_one(customer)
    one = support.reply(db, request, author=customer, body="Tekrar", idempotency_key="k" * 32)
    two = support.reply(db, request, author=customer, body="Tekrar", idempotency_key="k" * 32)
    assert one.id == two.id
    assert len(list(db.scalars(select(Message).where(Message.request_id == request.id)))) == 2


def test_assigning_opens_a_new_request_and_is_audited(db, ctx, open_one, customer, staff):
    request = open_one(customer)
    support.assign(db, request, staff, actor=staff)
    assert request.assignee_id == staff.id and request.status == OPEN
    actions = [a.action for a in db.scalars(select(AuditLog).order_by(AuditLog.id))]
    assert actions[-2:] == ["support.assign", "support.status"]
    with pytest.raises(SupportError):
        support.assign(db, request, customer, actor=staff)


def test_merge_moves_the_messages_and_closes_the_duplicate(db, ctx, open_one, customer, staff,
                                                           make_user):
    target = open_one(customer, subject="Teslimat")
    duplicate = open_one(customer, subject="Teslimat (tekrar)", body="Aynı soru")
    support.merge(db, duplicate, target, actor=staff)
    bodies = [m.body for m in db.scalars(select(Message).where(Message.request_id == target.id)
                                         .order_by(Message.id))]
    assert "Aynı soru" in bodies and any("Merged" in b for b in bodies)
    assert duplicate.status == CLOSED and duplicate.merged_into_id == target.id
    with pytest.raises(SupportError):
        support.reply(db, duplicate, author=customer, body="x")
    other = open_one(make_user("other"))
    with pytest.raises(SupportError):
        support.merge(db, other, target, actor=staff)


def test_read_state_never_goes_back(db, ctx, open_one, customer):
    request = open_one(customer)
    first = request.last_public_message_id   # the author has read the first message
    support.mark_read(db, request.id, customer.id, first + 50)
    support.mark_read(db, request.id, customer.id, first + 10)
    state = db.get(ReadState, (request.id, customer.id))
    db.refresh(state)
    assert state.last_read_message_id == first + 50
