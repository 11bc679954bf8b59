"""Staff pages under /admin: the blueprint, the overview and the plugins pages.

The other admin pages (settings, companies, access groups, users, audit log) live in the
``admin_*`` modules beside this one and register their routes on this blueprint.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
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
    """The overview: what waits for staff (new orders, returns, support, failed deliveries)."""
    from portal.core.layout import staff_panels

    return render_page("admin/index.html", waiting=staff_panels())


@bp.route("/plugins")
@require_admin
def plugins():
    from portal.core.demo import has_demo_data

    registry = get_registry()
    enabled = registry.enabled_names()
    rows = [p for name, p in sorted(registry.plugins.items()) if name != "core"]
    with_demo = {p.name for p in rows if has_demo_data(current_app, p.name)}
    return render_page("admin/plugins.html", {"plugin-list": "admin/_plugins.html"},
                       plugins=rows, enabled=enabled, with_demo=with_demo,
                       hooks={p.name: registry.hooks_of(p.name) for p in rows})


@bp.route("/plugins/<name>")
@require_admin
def plugin(name: str):
    """One plugin: version, state, requirements, hooks and settings with their values."""
    from portal.core.demo import has_demo_data

    registry = get_registry()
    plugin = registry.plugins.get(name)
    if plugin is None or plugin.is_core:
        abort(404)
    config = current_app.config
    settings = [(s, config.get(s.name), config.get(s.name) == s.default)
                for s in plugin.settings]
    return render_page("admin/plugin.html", plugin=plugin, enabled=registry.enabled_names(),
                       hooks=registry.hooks_of(name), settings=settings,
                       has_demo=has_demo_data(current_app, name))


@bp.route("/plugins/<name>/demo", methods=["POST"])
@require_admin
def plugin_demo(name: str):
    """Load an enabled plugin's demo data (idempotent: a second time changes nothing)."""
    from portal.core.demo import load_plugin_demo

    registry = get_registry()
    if name not in registry.plugins or not registry.is_enabled(name) or name == "core":
        abort(404)
    db = get_session()
    if load_plugin_demo(current_app, name):
        audit.record("plugin.demo", "plugin", name)
        db.commit()
        flash(_("Demo data of %(plugin)s loaded.", plugin=registry.plugins[name].title),
              "success")
    else:
        flash(_("%(plugin)s has no demo data.", plugin=registry.plugins[name].title), "info")
    return redirect(url_for("admin.plugins"), code=303)


@bp.route("/plugins/<name>", methods=["POST"])
@require_admin
def toggle_plugin(name: str):
    from portal.core.demo import has_demo_data

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
        if want and has_demo_data(current_app, name):
            flash(_("%(plugin)s comes with demo data: load it with its button below.",
                    plugin=title), "info")
    return redirect(url_for("admin.plugins"), code=303)


# The staff pages of issue 3 register their routes on ``bp`` when imported.
from portal.core.views import (  # noqa: E402,F401
    admin_access,
    admin_audit,
    admin_branding,
    admin_companies,
    admin_deliveries,
    admin_settings,
    admin_users,
    admin_webhooks,
)
