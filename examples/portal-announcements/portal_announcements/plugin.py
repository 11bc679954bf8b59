"""The announcements plugin's hook implementations (and nothing else)."""

from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l

from portal import hookimpl
from portal.core.types import MenuItem, Panel, Permission, PluginInfo, PluginSetting

from . import demo
from .views import bp, staff_bp


@hookimpl
def portal_plugin_info():
    return PluginInfo(title=_l("Announcements"),
                      description=_l("News from the supplier on every customer's dashboard."))


@hookimpl
def portal_blueprints():
    return [bp, staff_bp]


@hookimpl
def portal_permissions():
    return [Permission("announcements.view", _l("Read announcements"),
                       _l("See the supplier's announcements and the dashboard panel."))]


@hookimpl
def portal_menu_items(user):
    return [MenuItem(_l("Announcements"), "announcements.index",
                     permission="announcements.view", order=90)]


@hookimpl
def portal_admin_menu_items(user):
    return [MenuItem(_l("Announcements"), "announcements_staff.index", order=90)]


@hookimpl
def portal_dashboard_panels(user):
    return [Panel("announcements", _l("Announcements"), "announcements.panel",
                  permission="announcements.view", order=5,
                  link_text=_l("Read the announcements"))]


@hookimpl
def portal_settings():
    return [PluginSetting("ANNOUNCEMENTS_PANEL_SIZE", 3,
                          _l("Announcements shown on the dashboard panel.")),
            PluginSetting("ANNOUNCEMENTS_PER_PAGE", 20, _l("Announcements on one page."))]


@hookimpl
def portal_migrations():
    return Path(__file__).parent / "migrations"


@hookimpl
def portal_demo_data(session):
    demo.load(session)
