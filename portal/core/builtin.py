"""The core's own hook implementations (registered as plugin ``core``; never disabled)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal import hookimpl
from portal.core.access import ADMIN_PERMISSION, MEMBER_PERMISSION, STAFF_PERMISSION
from portal.core.types import MenuItem, StaffPanel


@hookimpl
def portal_menu_items(user):
    # A customer in no access group sees nothing but the account page.
    return [MenuItem(_l("Home"), "dashboard.index", permission=MEMBER_PERMISSION, order=0),
            MenuItem(_l("My account"), "account.index", order=1000)]


@hookimpl
def portal_staff_panels(user):
    """Failed deliveries (mails and webhooks that gave up), for administrators."""
    from sqlalchemy import func, select

    from portal.core.db import get_session
    from portal.core.models import FAILED, Delivery

    if not user.is_admin:
        return []
    failed = get_session().scalar(select(func.count()).select_from(Delivery)
                                  .where(Delivery.status == FAILED))
    return [StaffPanel(_l("Failed deliveries"), failed, "admin.deliveries",
                       url_values=(("status", FAILED),), permission=ADMIN_PERMISSION,
                       order=90)]


@hookimpl
def portal_admin_menu_items(user):
    customers, settings = _l("Customers"), _l("Settings")
    return [MenuItem(_l("Overview"), "admin.index", order=0),
            MenuItem(_l("Customer companies"), "admin.companies", permission=STAFF_PERMISSION,
                     section=customers, order=100),
            MenuItem(_l("External users"), "admin.users", permission=STAFF_PERMISSION,
                     section=customers, order=110),
            MenuItem(_l("Access groups"), "admin.groups", permission=STAFF_PERMISSION,
                     section=customers, order=120),
            MenuItem(_l("Profiles"), "admin.profiles", permission=STAFF_PERMISSION,
                     section=customers, order=130),
            MenuItem(_l("Audit log"), "admin.audit", permission=STAFF_PERMISSION, order=800),
            MenuItem(_l("Deliveries"), "admin.deliveries", permission=ADMIN_PERMISSION,
                     section=settings, order=870),
            MenuItem(_l("Webhooks"), "admin.webhooks", permission=ADMIN_PERMISSION,
                     section=settings, order=880),
            MenuItem(_l("Users and rights"), "admin.settings", permission=STAFF_PERMISSION,
                     section=settings, order=850),
            MenuItem(_l("Branding"), "admin.branding", permission=STAFF_PERMISSION,
                     section=settings, order=855),
            MenuItem(_l("Staff users"), "admin.staff", permission=ADMIN_PERMISSION,
                     section=settings, order=860),
            MenuItem(_l("Plugins"), "admin.plugins", permission=ADMIN_PERMISSION,
                     section=settings, order=900)]


@hookimpl
def portal_demo_data(session):
    from portal.core.demo import core_demo_data

    core_demo_data(session)
