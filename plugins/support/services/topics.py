"""Topics (the business's list) and canned replies."""

from __future__ import annotations

from sqlalchemy import func, select

from ..models import CannedReply, Topic

DEFAULT_TOPICS = [
    # key, English, Turkish (the migration adds the same list)
    ("order", "Order", "Sipariş"),
    ("delivery", "Delivery", "Teslimat"),
    ("invoice", "Invoice and payment", "Fatura ve ödeme"),
    ("return", "Return", "İade"),
    ("product", "Product question", "Ürün sorusu"),
    ("account", "Account", "Hesap"),
    ("other", "Other", "Diğer"),
]


def ensure_default_topics(session) -> None:
    """Add the default topics whose keys are missing (demo data and tests; idempotent)."""
    known = set(session.scalars(select(Topic.key)))
    for position, (key, name_en, name_tr) in enumerate(DEFAULT_TOPICS):
        if key not in known:
            session.add(Topic(key=key, name_en=name_en, name_tr=name_tr, position=position,
                              active=True))
    session.flush()


def all_topics(session, *, active_only: bool = False) -> list[Topic]:
    stmt = select(Topic).order_by(Topic.position, Topic.id)
    if active_only:
        stmt = stmt.where(Topic.active.is_(True))
    return list(session.scalars(stmt))


def topic_by_key(session, key: str) -> Topic | None:
    return session.scalar(select(Topic).where(Topic.key == key))


def save_topic(session, topic: Topic | None, *, key: str, name_en: str, name_tr: str,
               active: bool) -> Topic:
    """Create (``topic=None``) or change a topic; a new one goes to the end of the list."""
    if topic is None:
        last = session.scalar(select(func.max(Topic.position))) or 0
        topic = Topic(key=key, position=last + 1)
        session.add(topic)
    topic.name_en, topic.name_tr, topic.active = name_en.strip(), name_tr.strip(), active
    session.flush()
    return topic


def canned_replies(session) -> list[CannedReply]:
    return list(session.scalars(select(CannedReply).order_by(CannedReply.position,
                                                             CannedReply.title)))


def save_canned_reply(session, reply: CannedReply | None, *, title: str, body: str) -> CannedReply:
    if reply is None:
        last = session.scalar(select(func.max(CannedReply.position))) or 0
        reply = CannedReply(position=last + 1)
        session.add(reply)
    reply.title, reply.body = title.strip(), body.strip()
    session.flush()
    return reply
