"""The audit log: who changed what and when, with filters and paging."""

from __future__ import annotations

import datetime as dt

from flask import request
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.core.access import require_staff
from portal.core.db import get_session
from portal.core.models import AuditLog
from portal.core.paging import Key
from portal.core.rendering import render_page
from portal.core.views.admin import bp
from portal.core.views.admin_common import paginate

PER_PAGE = 50


def _date(name: str, errors: dict) -> dt.date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("Enter a date as YYYY-MM-DD.")
        return None


@bp.route("/audit")
@require_staff
def audit():
    args = request.args
    errors: dict[str, str] = {}
    actor = (args.get("actor") or "").strip()
    action = (args.get("action") or "").strip()
    target_type = (args.get("target_type") or "").strip()
    target_id = (args.get("target_id") or "").strip()
    start, end = _date("from", errors), _date("to", errors)
    if start and end and end < start:
        errors["to"] = _("The end of the period is before its start.")

    db = get_session()
    stmt = select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if actor:
        stmt = stmt.where(func.lower(AuditLog.actor_name) == actor.lower())
    if action:
        stmt = stmt.where(AuditLog.action == action)
    if target_type:
        stmt = stmt.where(AuditLog.target_type == target_type)
    if target_id:
        stmt = stmt.where(AuditLog.target_id == target_id)
    if start and "from" not in errors:
        stmt = stmt.where(AuditLog.at >= dt.datetime.combine(start, dt.time(), dt.UTC))
    if end and "to" not in errors and end < dt.date.max:
        stmt = stmt.where(AuditLog.at < dt.datetime.combine(end + dt.timedelta(days=1),
                                                              dt.time(), dt.UTC))
    page = paginate(stmt, [Key(AuditLog.at, desc=True), Key(AuditLog.id, desc=True)],
                    per_page=PER_PAGE)
    facets = db.execute(select(AuditLog.action, AuditLog.target_type).distinct()).all()
    actions = sorted({a for a, _t in facets})
    target_types = sorted({t for _a, t in facets if t})
    return render_page(
        "admin/audit.html", {"audit-table": "admin/_audit.html"}, page=page, errors=errors,
        actions=actions,
        target_types=target_types,
        filters={"actor": actor, "action": action, "target_type": target_type,
                 "target_id": target_id, "from": args.get("from", ""), "to": args.get("to", "")},
    ), (400 if errors else 200)
