"""Entry point of the returns plugin: RMA requests against invoices, their tracking, and the
supplier's processing (goods returns and credit notes through the documents plugin).

Customer pages live under ``/returns`` (blueprint ``returns``), staff pages under
``/admin/returns`` (``returns_staff``). See ``docs/returns.md``.
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
    StaffPanel,
)

from . import models  # noqa: F401 (the tables, for the metadata)

SECTION = _l("Purchase returns")


@hookimpl
def portal_plugin_info():
    return PluginInfo(
        title=_l("Returns"),
        description=_l("RMA requests against invoices, goods returns and credit notes."),
        requires=("documents",),
    )


@hookimpl
def portal_blueprints():
    from .views import bp, staff_bp

    return [bp, staff_bp]


@hookimpl
def portal_permissions():
    return [Permission("returns.view", _l("See return requests"),
                       _l("The company's RMA requests, their status and documents.")),
            Permission("returns.create", _l("Request returns"),
                       _l("Ask to return goods of an invoice, send and withdraw requests."))]


@hookimpl
def portal_menu_items(user):
    return [
        MenuItem(_l("RMA requests"), "returns.index", "returns.view", SECTION, 40),
        MenuItem(_l("Goods returns"), "documents.index", "documents.view", SECTION, 41,
                 url_values=(("doc_type", "goods_return"),)),
        MenuItem(_l("Credit notes"), "documents.index", "documents.view", SECTION, 42,
                 url_values=(("doc_type", "credit_note"),)),
    ]


@hookimpl
def portal_admin_menu_items(user):
    return [MenuItem(_l("Return requests"), "returns_staff.inbox", "core.staff", order=30)]


@hookimpl
def portal_staff_panels(user):
    """Return requests sent by customers and not yet approved or rejected."""
    from sqlalchemy import func, select

    from portal.core.db import get_session

    from .models import ReturnRequest
    from .services.statuses import SUBMITTED

    waiting = get_session().scalar(select(func.count()).select_from(ReturnRequest)
                                   .where(ReturnRequest.status == SUBMITTED))
    return [StaffPanel(_l("Return requests to process"), waiting, "returns_staff.inbox",
                       url_values=(("status", SUBMITTED),), order=20)]


@hookimpl
def portal_dashboard_panels(user):
    return [Panel("open-returns", _l("Open return requests"), "returns.panel", "returns.view",
                  order=30, link_text=_l("See your open return requests"))]


@hookimpl
def portal_event_kinds():
    return [
        EventKind("returns.submitted", _l("Return request sent"),
                  _l("A customer sent an RMA request."), audience="staff",
                  staff_endpoint="returns_staff.show", url_arg="rma_id"),
        EventKind("returns.withdrawn", _l("Return request withdrawn"),
                  _l("A customer withdrew an RMA request before approval."), audience="staff",
                  staff_endpoint="returns_staff.show", url_arg="rma_id"),
        EventKind("returns.status_changed", _l("Return request updated"),
                  _l("The supplier approved, rejected, received, credited or closed an RMA "
                     "request."), audience="customer", endpoint="returns.show",
                  staff_endpoint="returns_staff.show", url_arg="rma_id"),
    ]


@hookimpl
def portal_migrations():
    return Path(__file__).parent / "migrations"


@hookimpl
def portal_demo_data(session):
    from .demo import load_demo

    load_demo(session)


@hookimpl(optionalhook=True)
def portal_api_resources():
    """``rma-requests``: the ERP reads requests and drives their status (a documents hook)."""
    from .api import RMA_REQUESTS

    return [RMA_REQUESTS]


@hookimpl(optionalhook=True)
def portal_document_actions(document, user):
    """"Request a return" on an invoice; a link back to the request on its documents."""
    from .views.links import document_actions

    return document_actions(document, user)


@hookimpl
def portal_settings():
    return [
        PluginSetting("RETURNS_WINDOW_DAYS", 0,
                      _l("Days after an invoice in which a return may be requested "
                         "(0: no limit).")),
        PluginSetting("RETURNS_MAX_FILES", 5, _l("Photos or files on one return request.")),
        PluginSetting("RETURNS_MAX_FILE_BYTES", 5 * 1024 * 1024,
                      _l("Size of one photo or file of a return request, in bytes.")),
        PluginSetting("RETURNS_PER_PAGE", 20, _l("Return requests on one page.")),
        PluginSetting("RETURNS_ADDRESS", "",
                      _l("Address printed on the return form (empty: the business's address "
                         "from Admin › Branding).")),
    ]
