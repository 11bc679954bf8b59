"""Staff pages under /admin: the blueprint, the overview and the plugins page.

The other admin pages (settings, companies, access groups, users, audit log) live in the
``admin_*`` modules beside this one and register their routes on this blueprint.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _

from portal.core import audit
from portal.core.access import require_admin, staff_only
from portal.core.db import get_session
from portal.core.plugins import PluginError, get_registry
from portal.core.rendering import render_page

bp = Blueprint("admin", __name__, url_prefix="/admin")


staff_only(bp)


@bp.route("/")
def index():
    return render_page("admin/index.html")


@bp.route("/plugins")
@require_admin
def plugins():
    registry = get_registry()
    enabled = registry.enabled_names()
    rows = [p for name, p in sorted(registry.plugins.items()) if name != "core"]
    return render_page("admin/plugins.html", partials={"plugin-list": "admin/_plugins.html"},
                       plugins=rows, enabled=enabled)


@bp.route("/plugins/<name>", methods=["POST"])
@require_admin
def toggle_plugin(name: str):
    registry = get_registry()
    want = request.form.get("enabled") == "1"
    db = get_session()
    try:
        registry.set_enabled(db, name, want)
    except PluginError as exc:
        db.rollback()
        flash(str(exc), "error")
    else:
        audit.record("plugin.enable" if want else "plugin.disable", "plugin", name)
        db.commit()
        title = registry.plugins[name].title
        flash(_("%(plugin)s is now enabled.", plugin=title) if want
              else _("%(plugin)s is now disabled.", plugin=title), "success")
    return redirect(url_for("admin.plugins"), code=303)


# The staff pages of issue 3 register their routes on ``bp`` when imported.
from portal.core.views import (  # noqa: E402,F401
    admin_access,
    admin_audit,
    admin_companies,
    admin_settings,
    admin_users,
)
