"""Entry point of the support plugin: support requests with two-way threads and attachments.

Customer pages live under ``/support`` (blueprint ``support``), staff pages under
``/admin/support`` (blueprint ``support_staff``). See ``docs/support.md``.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l

from portal import hookimpl
from portal.core.types import (
    EventKind,
    MenuItem,
    Panel,
    Permission,
    PluginInfo,
    PluginSetting,
    RecordAction,
    StaffPanel,
)

# Importing the view modules registers their routes on the blueprints.
from .views import customer, staff  # noqa: F401
from .views.blueprint import bp, staff_bp


@hookimpl
def portal_plugin_info():
    return PluginInfo(title=_l("Support"),
                      description=_l("Support requests with two-way threads and attachments."))


@hookimpl
def portal_blueprints():
    return [bp, staff_bp]


@hookimpl
def portal_permissions():
    return [
        Permission("support.view", _l("See support requests"),
                   _l("See one's own support requests and their threads.")),
        Permission("support.view_company", _l("See colleagues' support requests"),
                   _l("See and answer every support request of the company, not only "
                      "one's own.")),
        Permission("support.create", _l("Open support requests"),
                   _l("Open support requests, reply, close and reopen them.")),
    ]


@hookimpl
def portal_menu_items(user):
    return [MenuItem(_l("Support"), "support.index", "support.view", order=80)]


@hookimpl
def portal_dashboard_panels(user):
    return [Panel("support", _l("Support requests"), "support.panel", "support.view", order=50,
                  link_text=_l("See your support requests"))]


@hookimpl
def portal_staff_panels(user):
    """Support requests that wait for staff: new ones and open ones."""
    from portal.core.db import get_session

    from .models import NEW, OPEN
    from .services.queries import status_counts

    counts = status_counts(get_session())
    return [StaffPanel(_l("New support requests"), counts[NEW], "support_staff.inbox",
                       url_values=(("status", NEW),), order=30),
            StaffPanel(_l("Open support requests"), counts[OPEN], "support_staff.inbox",
                       url_values=(("status", OPEN),), order=31)]


@hookimpl
def portal_admin_menu_items(user):
    return [MenuItem(_l("Support requests"), "support_staff.inbox", "core.staff", order=30)]


@hookimpl
def portal_event_kinds():
    staff_page = "support_staff.show"
    return [
        EventKind("support.created", _l("Support request opened"),
                  _l("A customer opened a support request."), audience="staff",
                  staff_endpoint=staff_page, url_arg="request_id"),
        EventKind("support.replied", _l("Reply to your support request"),
                  _l("Our staff answered a support request."), audience="customer",
                  endpoint="support.show", url_arg="request_id"),
        EventKind("support.customer_replied", _l("Customer replied"),
                  _l("A customer replied to a support request."), audience="staff",
                  staff_endpoint=staff_page, url_arg="request_id"),
        EventKind("support.status_changed", _l("Support request status changed"),
                  _l("A support request was closed, reopened or is waiting for you."),
                  audience="customer", endpoint="support.show", url_arg="request_id"),
    ]


@hookimpl
def portal_record_actions(record_type, record, user):
    """"Ask us about this" on an order and an RMA page."""
    kinds = {"orders.order": "order", "returns.rma": "rma"}
    if record_type not in kinds:
        return []
    return [RecordAction(_l("Ask us about this"), "support.new",
                         url_values=(("link", f"{kinds[record_type]}:{record.id}"),),
                         permission="support.create", order=90)]


@hookimpl(optionalhook=True)
def portal_document_actions(document, user):
    """"Ask us about this" on every document page (a hook of the documents plugin)."""
    from plugins.documents.types import DocumentAction

    return [DocumentAction(_l("Ask us about this"), "support.new",
                           url_values=(("link", f"document:{document.id}"),),
                           permission="support.create", order=90)]


@hookimpl(optionalhook=True)
def portal_api_resources():
    """``support-requests``: read by number, without internal notes (a hook of documents)."""
    from .api import resources

    return resources()


@hookimpl
def portal_migrations():
    return Path(__file__).parent / "migrations"


@hookimpl
def portal_demo_data(session):
    from .demo import load_demo

    load_demo(session)


@hookimpl
def portal_settings():
    return [
        PluginSetting("SUPPORT_REOPEN_DAYS", 14,
                      _l("Days after closing in which the customer may reopen a request.")),
        PluginSetting("SUPPORT_POLL_SECONDS", 15,
                      _l("Seconds between two checks of an open thread for new messages.")),
        PluginSetting("SUPPORT_MAX_FILES", 5, _l("Attachments on one message.")),
        PluginSetting("SUPPORT_MAX_FILE_MB", 10, _l("Size of one attachment, in MB.")),
    ]
