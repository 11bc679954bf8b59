"""The customer's home page: the plugins' panels, each loaded lazily by htmx."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import current_user

from portal.core.access import has_permission
from portal.core.plugins import get_registry
from portal.core.rendering import render_page

bp = Blueprint("dashboard", __name__)


@bp.route("/")
def index():
    if current_user.is_staff:
        return redirect(url_for("admin.index"))
    panels = [p for p in get_registry().call_flat("portal_dashboard_panels", user=current_user)
              if has_permission(p.permission)]
    panels.sort(key=lambda p: (p.order, p.name))
    return render_page("dashboard/index.html", panels=panels)
