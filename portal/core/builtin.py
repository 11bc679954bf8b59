"""The core's own hook implementations (registered as plugin ``core``; never disabled)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal import hookimpl
from portal.core.types import MenuItem


@hookimpl
def portal_menu_items(user):
    return [MenuItem(_l("Home"), "dashboard.index", order=0),
            MenuItem(_l("My account"), "account.index", order=1000)]


@hookimpl
def portal_admin_menu_items(user):
    return [MenuItem(_l("Overview"), "admin.index", order=0),
            MenuItem(_l("Plugins"), "admin.plugins", permission="core.admin", order=900)]


@hookimpl
def portal_demo_data(session):
    from portal.core.demo import core_demo_data

    core_demo_data(session)
