"""Server-side session records: each signed-in browser is a ``user_session`` row.

The cookie holds a random token; the table holds its SHA-256. Deleting the row ends that
session at its next request, whatever the cookie says: sign-out, password change (other
sessions), deactivation and closing external access all work this way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app, request
from sqlalchemy import delete, select, update

from portal.core.db import utcnow
from portal.core.models import User, UserSession

TOUCH_EVERY = dt.timedelta(minutes=5)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(session, user: User) -> str:
    """Open a session for ``user`` and return the token for the cookie."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(
        id=token_hash(token), user_id=user.id, ip=request.remote_addr or "",
        user_agent=(request.user_agent.string or "")[:300],
    ))
    return token


def load(session, token: str) -> User | None:
    """The active user behind ``token``, or None when the session ended or expired."""
    row = session.execute(
        select(UserSession, User).join(User, User.id == UserSession.user_id)
        .where(UserSession.id == token_hash(token))
    ).first()
    if row is None:
        return None
    record, user = row
    now = utcnow()
    last_seen = _aware(record.last_seen_at)
    if not user.is_active or now - last_seen > current_app.permanent_session_lifetime:
        session.execute(delete(UserSession).where(UserSession.id == record.id))
        session.commit()
        return None
    if now - last_seen > TOUCH_EVERY:
        session.execute(update(UserSession).where(UserSession.id == record.id)
                        .values(last_seen_at=now))
        session.commit()
    user.session_id = token
    return user


def end(session, token: str) -> None:
    session.execute(delete(UserSession).where(UserSession.id == token_hash(token)))


def end_all(session, user_id: int, keep_token: str | None = None) -> None:
    """End every session of a user, except the one holding ``keep_token``, and forget every
    browser of theirs as a known device (:mod:`portal.core.known_device`). Called when the
    password changes or is reset and when the user is deactivated."""
    stmt = delete(UserSession).where(UserSession.user_id == user_id)
    if keep_token:
        stmt = stmt.where(UserSession.id != token_hash(keep_token))
    session.execute(stmt)
    session.execute(update(User).where(User.id == user_id)
                    .values(device_generation=User.device_generation + 1))


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
