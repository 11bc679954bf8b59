"""The audit log: who did what and when.

Call :func:`record` in the same transaction as the change it describes.
"""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from portal.core.db import get_session
from portal.core.models import AuditLog


def record(action: str, target_type: str = "", target_id=None, session=None, actor=None,
           **detail) -> AuditLog:
    """Add an audit entry to the current transaction (committed with the change it describes)."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    entry = AuditLog(
        action=action,
        target_type=target_type,
        target_id="" if target_id is None else str(target_id),
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.username if actor is not None else "system",
        detail=detail,
        ip=(request.remote_addr or "") if has_request_context() else "",
    )
    (session or get_session()).add(entry)
    return entry
