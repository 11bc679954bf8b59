"""Demo threads in Turkish and English; loading the demo twice adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from plugins.support.models import CannedReply, Message, SupportRequest
from portal.testing import visible_text


def counts(db):
    return tuple(db.scalar(select(func.count()).select_from(model))
                 for model in (SupportRequest, Message, CannedReply))


def test_demo_threads_are_there_once(app, db, client):
    from portal.core.demo import DEMO_PASSWORD, load_demo

    with app.app_context():
        load_demo(app)
    first = counts(db)
    assert first[0] == 4 and first[1] >= 8 and first[2] == 2
    subjects = set(db.scalars(select(SupportRequest.subject)))
    assert {"Sevkiyat ne zaman yola çıkar?", "LED panel: dimmable version?"} <= subjects
    assert set(db.scalars(select(SupportRequest.status))) >= {"new", "open", "closed"}
    with app.app_context():
        load_demo(app)
    assert counts(db) == first
    client.login("ayse", DEMO_PASSWORD)
    text = visible_text(client.get("/support/").text)
    assert "Sevkiyat ne zaman yola çıkar?" in text and "Faturada iskonto eksik" in text
