"""The one way a request changes status: history, audit entry and event, in one transaction."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from portal.core import audit
from portal.core.events import record_event

from ..models import ReturnRequest, StatusChange
from . import statuses as st


class ReturnError(Exception):
    """The action is refused; ``str(error)`` is the message for the user, ``line_errors`` maps
    invoice line ids (or request line ids on staff pages) to a message for that line."""

    def __init__(self, message: str, line_errors: dict | None = None):
        super().__init__(message)
        self.line_errors = line_errors or {}


def change_status(session, request: ReturnRequest, status: str, *, actor=None,
                  message: str = "", by_supplier: bool = False, force: bool = False,
                  source: str = "portal") -> StatusChange:
    """Move ``request`` to ``status`` (one of :data:`statuses.STATUSES`).

    Checks the step against :data:`statuses.TRANSITIONS` (``force`` lets the ERP skip steps
    forward), appends the timeline entry with ``message``, records the audit entry and the event
    (``returns.submitted`` for the supplier when a request is sent, ``returns.withdrawn`` for the
    supplier when the customer withdraws a sent request, ``returns.status_changed`` for the
    customer otherwise). Adds to the session; never commits.
    """
    previous = request.status
    if status not in st.STATUSES:
        raise ReturnError(f"Unknown status {status!r}")
    if not st.may_follow(previous, status) and not (force and _forward(previous, status)):
        raise ReturnError(_("A request that is %(current)s cannot become %(new)s.",
                            current=st.label(previous).lower(), new=st.label(status).lower()))
    request.status = status
    request.updated_at = dt.datetime.now(dt.UTC)
    change = StatusChange(request_id=request.id, status=status, message=message.strip(),
                          by_id=actor.id if actor is not None else None,
                          by_name=actor.display_name if actor is not None else "ERP",
                          by_supplier=by_supplier)
    session.add(change)
    audit.record(f"returns.{status}", "rma", request.id, session=session, actor=actor,
                 number=request.number, previous=previous, source=source)
    payload = {"number": request.number, "status": status,
               "status_label": st.ENGLISH[status], "message": change.message}
    if status == st.SUBMITTED:
        kind = "returns.submitted"
    elif status == st.WITHDRAWN and previous == st.SUBMITTED:
        kind = "returns.withdrawn"
    elif status == st.WITHDRAWN:
        return change  # a draft nobody else saw: no one to tell
    else:
        kind = "returns.status_changed"
    record_event(kind, subject=("rma", request.id), company_id=request.company_id,
                 payload=payload, actor=actor, session=session)
    return change


def _forward(current: str, new: str) -> bool:
    """The ERP may skip steps, but never leave a finished request nor go back."""
    order = (st.DRAFT, st.SUBMITTED, st.APPROVED, st.RECEIVED, st.CREDITED, st.CLOSED)
    if current in st.FINISHED:
        return False
    if new in (st.REJECTED, st.WITHDRAWN):
        return current in (st.DRAFT, st.SUBMITTED, st.APPROVED)
    rank = {s: i for i, s in enumerate(order)}
    rank.update({st.REPLACED: rank[st.CREDITED], st.REPAIRED: rank[st.CREDITED]})
    return rank.get(new, -1) > rank.get(current, 99)
