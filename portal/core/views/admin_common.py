"""Helpers shared by the staff pages: paging, loading by id, user status, activation links."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.core.db import get_session, utcnow
from portal.core.paging import Page
from portal.core.paging import paginate as core_paginate

PER_PAGE = 25
ACTIVATION_DAYS = 7


def paginate(stmt, order, per_page: int = PER_PAGE, scalars: bool = True,
             endpoint: str | None = None, **url_values) -> Page:
    """One page of a staff list through :func:`portal.core.paging.paginate`: keyset
    next/previous links (``?after=`` / ``?before=``; a bad cursor gives the first page),
    ``?page=N`` still accepted, two queries whatever the page or the data size.

    ``order`` is the list's sort keys (:class:`portal.core.paging.Key`, the last unique).
    Page links go to ``endpoint`` with ``url_values`` when given (a page rendered by a POST
    handler must not link to the POST URL), else to this request's view with its arguments.
    """
    return core_paginate(stmt, order=order, per_page=per_page, scalars=scalars,
                         endpoint=endpoint, **url_values)


def get_or_404(model, ident, **where):
    """Load ``model`` by id with extra column conditions; 404 when absent or not matching."""
    stmt = select(model).where(model.__mapper__.primary_key[0] == ident)
    for name, value in where.items():
        stmt = stmt.where(getattr(model, name) == value)
    row = get_session().scalar(stmt)
    if row is None:
        abort(404)
    return row


# -- people ---------------------------------------------------------------------------------

INVITED, LINK_EXPIRED, ACTIVE, DEACTIVATED, NO_PASSWORD = (
    "invited", "link_expired", "active", "deactivated", "no_password")
STATUS_LABELS = {
    INVITED: _l("invited"), LINK_EXPIRED: _l("link expired"), ACTIVE: _l("active"),
    DEACTIVATED: _l("deactivated"), NO_PASSWORD: _l("no password"),
}
STATUS_BADGES = {INVITED: "badge-warn", LINK_EXPIRED: "badge-bad", ACTIVE: "badge-ok",
                 DEACTIVATED: "badge-bad", NO_PASSWORD: "badge-warn"}


def aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def user_status(user) -> str:
    if not user.is_active:
        return DEACTIVATED
    if user.activation_token_hash:
        expires = aware(user.activation_expires_at)
        return INVITED if expires and expires > utcnow() else LINK_EXPIRED
    return ACTIVE if user.password_hash else NO_PASSWORD


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_activation(user) -> str:
    """Give ``user`` a fresh one-time activation link (7 days) and return its URL.

    Only the token's hash is stored; the URL is shown once to the staff member who sends it. The
    old password stops working: the user sets a new one through the link.
    """
    token = secrets.token_urlsafe(32)
    user.activation_token_hash = token_hash(token)
    user.activation_expires_at = utcnow() + dt.timedelta(days=ACTIVATION_DAYS)
    user.password_hash = None
    from portal.core.site import external_url

    return external_url("activation.activate", token=token)


def remove_membership(group, user) -> None:
    """Take ``user`` out of ``group`` (404 when not a member), audited, in one transaction."""
    from flask import flash
    from flask_babel import gettext as _

    from portal.core import audit
    from portal.core.models import AccessGroupMember

    db = get_session()
    membership = db.get(AccessGroupMember, (group.id, user.id))
    if membership is None:
        abort(404)
    db.delete(membership)
    audit.record("group.member_remove", "user", user.id, group=group.name, group_id=group.id,
                 username=user.username)
    db.commit()
    flash(_("%(user)s removed from %(group)s.", user=user.username, group=group.name), "success")
