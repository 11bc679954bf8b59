"""The states of an RMA request and which step may follow which.

::

    draft ──Send──► submitted ──► approved ──► received ──► credited ─┐
      │                 │  │          │            ├──────► replaced ─┼──► closed
      └──► withdrawn ◄──┘  └► rejected└──► closed  └──────► repaired ─┘

A draft is the customer's until it is sent; a sent request can be withdrawn until the supplier
approves it. Requests in :data:`RESERVING` hold their quantities against the invoice lines;
from ``received`` on, the goods return documents count instead.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DRAFT = "draft"
SUBMITTED = "submitted"
APPROVED = "approved"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
RECEIVED = "received"
CREDITED = "credited"
REPLACED = "replaced"
REPAIRED = "repaired"
CLOSED = "closed"

STATUSES = (DRAFT, SUBMITTED, APPROVED, REJECTED, WITHDRAWN, RECEIVED, CREDITED, REPLACED,
            REPAIRED, CLOSED)

RESERVING = (SUBMITTED, APPROVED)
"""Statuses whose lines count as "already requested" against the invoice lines."""

OPEN = (SUBMITTED, APPROVED, RECEIVED, CREDITED, REPLACED, REPAIRED)
"""Sent and not finished: the dashboard panel's requests."""

FINISHED = (REJECTED, WITHDRAWN, CLOSED)

TRANSITIONS: dict[str, tuple[str, ...]] = {
    DRAFT: (SUBMITTED, WITHDRAWN),
    SUBMITTED: (APPROVED, REJECTED, WITHDRAWN),
    APPROVED: (RECEIVED, CLOSED),
    RECEIVED: (CREDITED, REPLACED, REPAIRED, CLOSED),
    CREDITED: (CLOSED,),
    REPLACED: (CLOSED,),
    REPAIRED: (CLOSED,),
    REJECTED: (),
    WITHDRAWN: (),
    CLOSED: (),
}

LABELS = {
    DRAFT: _l("Draft"), SUBMITTED: _l("Sent"), APPROVED: _l("Approved"),
    REJECTED: _l("Rejected"), WITHDRAWN: _l("Withdrawn"), RECEIVED: _l("Goods received"),
    CREDITED: _l("Credited"), REPLACED: _l("Replaced"), REPAIRED: _l("Repaired"),
    CLOSED: _l("Closed"),
}

ENGLISH = {DRAFT: "Draft", SUBMITTED: "Sent", APPROVED: "Approved", REJECTED: "Rejected",
           WITHDRAWN: "Withdrawn", RECEIVED: "Goods received", CREDITED: "Credited",
           REPLACED: "Replaced", REPAIRED: "Repaired", CLOSED: "Closed"}
"""Labels in English for event payloads (mail templates translate from the status key)."""

REASONS = {
    "defective": _l("Defective"), "damaged": _l("Damaged in transport"),
    "wrong_item": _l("Wrong item delivered"), "not_as_ordered": _l("Not as ordered"),
    "other": _l("Other"),
}
CONDITIONS = {
    "unopened": _l("Unopened, in original packaging"), "opened": _l("Opened, unused"),
    "used": _l("Used"), "damaged": _l("Damaged"),
}
RESOLUTIONS = {
    "credit": _l("Credit note / refund"), "replacement": _l("Replacement"),
    "repair": _l("Repair"),
}


def label(status: str) -> str:
    return str(LABELS.get(status, status))


def may_follow(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, ())
