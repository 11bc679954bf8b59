"""The one function every support event goes through (new request, reply, status change).

Delivery (e-mail, the change feed) reads the event table after the commit; the mail texts are
``templates/support/mail/<what>.txt``.
"""

from __future__ import annotations

from portal.core.events import record_event

CREATED = "support.created"                     # staff are told
REPLIED = "support.replied"                     # the customer is told of a staff reply
CUSTOMER_REPLIED = "support.customer_replied"   # staff are told of a customer reply
STATUS_CHANGED = "support.status_changed"       # the customer is told

EXCERPT_LENGTH = 200


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def notify(session, kind: str, request, *, actor=None, body: str = "") -> None:
    """Record ``kind`` about ``request`` in the current transaction. Internal notes never get
    here: their text must not reach a customer's mail."""
    payload = {"number": request.number, "subject": request.subject,
               "status": request.status, "excerpt": excerpt(body)}
    if actor is not None:
        payload["by"] = actor.display_name
    record_event(kind, subject=("support_request", request.id), company_id=request.company_id,
                 payload=payload, actor=actor, session=session)
