"""From committed events to delivered messages: sequence, dispatch, send, retry.

The steps, each in its own short transaction, all safe to run in several worker copies:

1. :func:`dispatch` takes a lock row (``outbox_lock``: copies take turns), stamps each
   committed, not yet stamped event with the next ``seq`` (commit order: the change feed's
   cursor) and creates its deliveries: one e-mail per recipient (rendered in the recipient's
   language) and one call per matching webhook. An event is stamped once, so its deliveries are
   made once (the unique key ``(event_id, channel, recipient)`` guards it besides).
2. :func:`deliver` claims one delivery by moving it from ``pending`` to ``sending`` in one
   ``UPDATE … WHERE status = 'pending'``: only one copy wins and sends. A failure puts it back to
   ``pending`` with a later ``next_attempt_at`` (exponential backoff); after ``max_attempts`` it
   is ``failed`` with its error, shown on Admin › Deliveries, where it can be retried.
   A copy that dies while sending leaves the row ``sending`` until its lease ends; then it is
   due again (delivery is at least once in that case, exactly once otherwise).

Everything here runs inside an app context (the worker pushes one) and never in a request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from portal.core import mail
from portal.core.db import utcnow
from portal.core.events import event_kinds
from portal.core.models import (
    EMAIL,
    FAILED,
    PENDING,
    SENDING,
    SENT,
    WEBHOOK,
    Delivery,
    Event,
    OutboxLock,
    User,
    Webhook,
)
from portal.core.notifications import Mail, event_mail, recipients
from portal.core.site import supplier_name

DISPATCH_LOCK = "dispatch"
LEASE = dt.timedelta(minutes=5)  # how long a claimed delivery may take before it is due again


def _session():
    return current_app.extensions["portal.sessionmaker"]()


def _setting(name: str, default):
    value = current_app.config.get(name)
    return type(default)(value) if value not in (None, "") else default


def max_attempts() -> int:
    return _setting("DELIVERY_MAX_ATTEMPTS", 10)


def backoff(attempts: int) -> dt.timedelta:
    """Wait before try ``attempts + 1``: base × 2^(attempts − 1), at most an hour (30 s, 1 min…)."""
    base = _setting("DELIVERY_BACKOFF_SECONDS", 30.0)
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600.0))


# -- creating deliveries ------------------------------------------------------------------------


def queue_mail(session, *, to: str, message: Mail, kind: str, user: User | None = None,
               ) -> Delivery:
    """Add a ready mail to the current transaction (the core's own mails: invitation, reset).

    It is sent by the worker after the commit, like every other delivery; a rollback drops it.
    """
    delivery = Delivery(channel=EMAIL, recipient=to, user_id=user.id if user else None,
                        kind=kind, subject=message.subject, body_text=message.text,
                        body_html=message.html, status=PENDING, attempts=0,
                        next_attempt_at=utcnow(), last_error="")
    session.add(delivery)
    session.info["portal.deliveries"] = True
    return delivery


def _take_lock(session, name: str) -> None:
    """Serialise copies: the row update waits for (PostgreSQL) or excludes (SQLite) others."""
    for _attempt in range(3):
        done = session.execute(update(OutboxLock).where(OutboxLock.name == name)
                               .values(at=utcnow())).rowcount
        if done:
            return
        try:
            with session.begin_nested():
                session.add(OutboxLock(name=name, at=utcnow()))
            return
        except IntegrityError:
            continue
    raise RuntimeError(f"Could not take the {name!r} lock")


def webhook_body(event: Event) -> str:
    return json.dumps({"id": event.id, "seq": event.seq, "kind": event.kind,
                       "at": event.at.isoformat() if event.at else None,
                       "company_id": event.company_id,
                       "subject": {"type": event.subject_type, "id": event.subject_id},
                       "payload": event.payload or {}}, ensure_ascii=False, sort_keys=True)


def sequence_pending(session, limit: int = 200) -> list[Event]:
    """Stamp committed, unstamped events with the next ``seq`` (the caller holds the lock)."""
    events = session.scalars(select(Event).where(Event.seq.is_(None))
                             .order_by(Event.id).limit(limit)).all()
    if events:
        last = session.scalar(select(func.coalesce(func.max(Event.seq), 0)))
        for offset, event in enumerate(events, start=1):
            event.seq = last + offset
        session.flush()
    return events


def sequence_events(app=None) -> int:
    """Stamp what is waiting (the change feed calls it so it never waits for the worker)."""
    session = _session()
    try:
        if session.scalar(select(Event.id).where(Event.seq.is_(None)).limit(1)) is None:
            return 0
        _take_lock(session, DISPATCH_LOCK)
        count = len(sequence_pending(session))
        session.commit()
        return count
    finally:
        session.close()


def dispatch(limit: int = 200) -> list[int]:
    """Turn committed events into deliveries; returns the ids of the deliveries made."""
    session = _session()
    kinds = event_kinds()
    made: list[Delivery] = []
    # Read before taking the lock: it may store plugin states on a connection of its own.
    enabled = current_app.extensions["portal.plugins"].enabled_names()
    try:
        _take_lock(session, DISPATCH_LOCK)
        events = sequence_pending(session, limit)
        hooks = session.scalars(select(Webhook).where(Webhook.is_active.is_(True))).all()
        for event in events:
            kind = kinds.get(event.kind)
            if kind is not None:
                for user in recipients(session, event, kind, enabled):
                    message = event_mail(event, kind, user)
                    made.append(Delivery(
                        event_id=event.id, channel=EMAIL, recipient=user.email,
                        user_id=user.id, kind=event.kind, subject=message.subject,
                        body_text=message.text, body_html=message.html))
            body = None
            for hook in hooks:
                if event.kind in (hook.kinds or ()):
                    body = body or webhook_body(event)
                    made.append(Delivery(event_id=event.id, channel=WEBHOOK,
                                         recipient=str(hook.id), webhook_id=hook.id,
                                         kind=event.kind, subject=event.kind, body_text=body))
        for delivery in made:
            delivery.status, delivery.attempts, delivery.last_error = PENDING, 0, ""
            delivery.next_attempt_at = utcnow()
            session.add(delivery)
        session.commit()
        return [d.id for d in made]
    finally:
        session.close()


# -- sending ------------------------------------------------------------------------------------


def due_ids(limit: int = 100) -> list[int]:
    """Deliveries whose time has come (pending, or sending with an expired lease)."""
    session = _session()
    try:
        return list(session.scalars(
            select(Delivery.id).where(Delivery.status.in_((PENDING, SENDING)),
                                      Delivery.next_attempt_at <= utcnow())
            .order_by(Delivery.next_attempt_at, Delivery.id).limit(limit)))
    finally:
        session.close()


def _claim(session, delivery_id: int) -> bool:
    now = utcnow()
    claimed = session.execute(
        update(Delivery).where(Delivery.id == delivery_id,
                               Delivery.status.in_((PENDING, SENDING)),
                               Delivery.next_attempt_at <= now)
        .values(status=SENDING, attempts=Delivery.attempts + 1, next_attempt_at=now + LEASE)
    ).rowcount
    session.commit()
    return claimed == 1


def deliver(delivery_id: int) -> dt.datetime | None:
    """Send one delivery if it is due and no other copy has it.

    Returns when to try again after a failure (None: sent, failed for good, or not ours).
    """
    session = _session()
    try:
        if not _claim(session, delivery_id):
            return None
        delivery = session.get(Delivery, delivery_id)
        try:
            outcome = (_send_mail(delivery) if delivery.channel == EMAIL
                       else _call_webhook(session, delivery))
        except DeliveryError as exc:
            return _failed(session, delivery, str(exc))
        delivery.status, delivery.sent_at = SENT, utcnow()
        delivery.last_error = "" if outcome is None else outcome
        session.commit()
        return None
    finally:
        session.close()


def _failed(session, delivery: Delivery, error: str) -> dt.datetime | None:
    delivery.last_error = error[:2000]
    if delivery.attempts >= max_attempts():
        delivery.status = FAILED
        retry_at = None
    else:
        delivery.status = PENDING
        retry_at = delivery.next_attempt_at = utcnow() + backoff(delivery.attempts)
    session.commit()
    current_app.logger.warning("Delivery %s (%s to %s), try %s: %s", delivery.id,
                               delivery.channel, delivery.recipient, delivery.attempts, error)
    return retry_at


class DeliveryError(Exception):
    pass


def _send_mail(delivery: Delivery) -> str | None:
    config = current_app.config
    message = mail.build_message(
        sender=config.get("MAIL_FROM") or "portal@localhost", sender_name=supplier_name(),
        to=delivery.recipient, subject=delivery.subject, text=delivery.body_text,
        html=delivery.body_html)
    message["X-Portal-Delivery"] = str(delivery.id)
    try:
        how = mail.send(mail.smtp_settings(config), message)
    except mail.MailError as exc:
        raise DeliveryError(str(exc)) from exc
    return "log" if how == "log" else None


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=`` + HMAC-SHA256 of ``<timestamp>.<body>`` with the hook's secret."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _call_webhook(session, delivery: Delivery) -> str:
    hook = session.get(Webhook, delivery.webhook_id) if delivery.webhook_id else None
    if hook is None or not hook.is_active:
        raise DeliveryError("The webhook was removed or switched off.")
    body = delivery.body_text.encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(hook.url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "portal-webhooks/1",
        "X-Portal-Event": delivery.kind, "X-Portal-Delivery": str(delivery.id),
        "X-Portal-Timestamp": timestamp,
        "X-Portal-Signature": signature(hook.secret, timestamp, body)})
    timeout = _setting("WEBHOOK_TIMEOUT", 10.0)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}") from exc
    except (OSError, ValueError) as exc:  # refused, timed out, bad URL
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc


def retry(session, delivery: Delivery) -> bool:
    """Make a failed delivery due now (the admin's "Try again"); the caller commits."""
    if delivery.status != FAILED:
        return False
    delivery.status, delivery.attempts = PENDING, 0
    delivery.next_attempt_at = utcnow()
    session.info["portal.deliveries"] = True
    return True


def run_once() -> int:
    """Dispatch and send everything due, in this process (tests, ``portal worker --once``)."""
    dispatch()
    sent = 0
    for delivery_id in due_ids(limit=1000):
        deliver(delivery_id)
        sent += 1
    return sent


__all__ = ["dispatch", "deliver", "due_ids", "queue_mail", "retry", "run_once",
           "sequence_events", "signature", "backoff"]
