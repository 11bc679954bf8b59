"""Events: one call records what happened, in the same transaction as the change (an outbox).

::

    from portal.core.events import record_event

    record_event("orders.placed", subject=("order", order.id), company_id=order.company_id,
                 payload={"number": order.number})
    session.commit()          # the event is committed with the order, or not at all

Kinds are declared by plugins through ``portal_event_kinds``. Whatever delivers events (e-mail,
webhooks, the change feed) reads the ``event`` table after the commit, so a rolled-back change
sends nothing and a committed one is never lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app, has_request_context
from flask_login import current_user

from portal.core.db import get_session
from portal.core.models import Event
from portal.core.types import EventKind


def event_kinds(app=None) -> dict[str, EventKind]:
    """Every declared kind by name (collected at start-up from ``portal_event_kinds``)."""
    return (app or current_app).extensions["portal.plugins"].event_kinds


def record_event(kind: str, *, subject: tuple[str, Any] = ("", ""), company_id: int | None = None,
                 payload: Mapping[str, Any] | None = None, actor=None, session=None) -> Event:
    """Add an event to the current transaction; it is committed (or rolled back) with the change.

    ``payload`` must be JSON-serialisable (convert ``Decimal`` and dates to strings). ``actor``
    defaults to the signed-in user. Raises ``ValueError`` for a kind nobody declared.
    """
    if kind not in event_kinds():
        raise ValueError(f"Unknown event kind {kind!r}: declare it in portal_event_kinds.")
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    subject_type, subject_id = subject
    event = Event(kind=kind, company_id=company_id, actor_id=actor.id if actor else None,
                  subject_type=subject_type, subject_id="" if subject_id is None
                  else str(subject_id), payload=dict(payload or {}))
    session = session or get_session()
    session.add(event)
    session.info["portal.events"] = True  # after the commit, the worker is told to look
    return event
