"""Entry point of the orders plugin: catalogue, comparison, cart, ordering and order tracking.

The customer pages live under ``/orders`` (blueprint ``orders``), the staff pages under
``/admin/orders`` (blueprint ``orders_staff``). See ``docs/orders.md``.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l

from portal import hookimpl
from portal.core.types import EventKind, MenuItem, Panel, Permission, PluginInfo, StaffPanel

# Importing the view modules registers their routes on the blueprints; importing the bridge has
# the documents plugin keep order lines' shipped quantities (bridge.keep_shipped_quantities).
from . import (  # noqa: F401
    bridge,
    cart_views,
    catalogue_views,
    exports,
    image_views,
    order_views,
    staff_catalogue,
    staff_import,
    staff_views,
    statement,
)
from .blueprint import bp, staff_bp
from .catalogue import RESTRICTION_KINDS


@hookimpl
def portal_plugin_info():
    return PluginInfo(title=_l("Orders"),
                      description=_l("Catalogue, comparison, cart, ordering and order tracking."),
                      requires=("documents",))


@hookimpl
def portal_blueprints():
    return [bp, staff_bp]


@hookimpl
def portal_permissions():
    return [
        Permission("orders.catalogue", _l("Browse and compare products"),
                   _l("See the catalogue with prices and compare products.")),
        Permission("orders.create", _l("Place orders"),
                   _l("Use the cart and quick order, order from quotations, cancel own orders.")),
        Permission("orders.view", _l("Track orders"),
                   _l("See the company's orders, the order statement and the open-orders "
                      "panel.")),
    ]


@hookimpl
def portal_restriction_kinds():
    return RESTRICTION_KINDS


@hookimpl
def portal_menu_items(user):
    section = _l("Purchasing")
    return [
        MenuItem(_l("Catalogue"), "orders.catalogue_index", "orders.catalogue", section, 10),
        MenuItem(_l("Compare products"), "orders.compare", "orders.catalogue", section, 11),
        MenuItem(_l("Cart"), "orders.cart", "orders.create", section, 12),
        MenuItem(_l("Quick order"), "orders.quick_order", "orders.create", section, 13),
        MenuItem(_l("Order from a quotation"), "orders.quotations", "orders.create", section,
                 13),
        MenuItem(_l("Orders"), "orders.index", "orders.view", section, 14),
        MenuItem(_l("Order statement"), "orders.statement", "orders.view", section, 15),
    ]


@hookimpl
def portal_admin_menu_items(user):
    return [MenuItem(_l("Received orders"), "orders_staff.inbox", "core.staff", order=20),
            MenuItem(_l("Products and prices"), "orders_staff.products", "core.staff",
                     order=21)]


@hookimpl
def portal_record_actions(record_type, record, user):
    """"Price list" on the staff company page (record type ``core.company``)."""
    from portal.core.types import RecordAction

    if record_type == "core.company" and user.is_staff:
        return [RecordAction(_l("Price list"), "orders_staff.company_price_list",
                             url_values=(("company_id", record.id),), permission="core.staff")]
    return []


@hookimpl
def portal_staff_panels(user):
    """New orders (sent, not yet accepted), for every staff member."""
    from sqlalchemy import func, select

    from portal.core.db import get_session

    from .models import Order

    sent = get_session().scalar(select(func.count()).select_from(Order)
                                .where(Order.status == "sent"))
    return [StaffPanel(_l("New orders"), sent, "orders_staff.inbox",
                       url_values=(("status", "sent"),), order=10)]


@hookimpl
def portal_dashboard_panels(user):
    return [Panel("open-orders", _l("Open orders"), "orders.panel", "orders.view", order=10,
                  link_text=_l("See your open orders")),
            Panel("awaiting-shipment", _l("Awaiting shipment"), "orders.awaiting_panel",
                  "orders.view", order=11, link_text=_l("See what awaits shipment"))]


@hookimpl
def portal_event_kinds():
    """Mails in ``templates/orders/mail/`` (see docs/events.md)."""
    return [
        EventKind("orders.placed", _l("Order received"),
                  _l("An order was placed in the portal (staff: new order)."), audience="both",
                  endpoint="orders.show", staff_endpoint="orders_staff.show", url_arg="order_id"),
        EventKind("orders.status_changed", _l("Order status changed"),
                  _l("An order was accepted, completed or cancelled."), audience="customer",
                  endpoint="orders.show", staff_endpoint="orders_staff.show", url_arg="order_id"),
        EventKind("orders.shipped", _l("Order shipped"),
                  _l("Goods of an order were shipped (a goods issue was recorded)."),
                  audience="customer", endpoint="orders.show",
                  staff_endpoint="orders_staff.show", url_arg="order_id"),
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
    """Products and price lists sent by the ERP (a hook of the documents plugin)."""
    from .api import resources

    return resources()


@hookimpl(optionalhook=True)
def portal_document_actions(document, user):
    """"Create order" on a quotation still valid and not yet ordered (a documents hook)."""
    from plugins.documents.types import DocumentAction
    from portal.core.db import utcnow

    from .bridge import quotation_is_open

    if document.doc_type != "quotation" or not quotation_is_open(document, utcnow().date()):
        return []
    from sqlalchemy import select

    from portal.core.db import get_session

    from .models import CANCELLED, Order

    if get_session().scalar(select(Order.id).where(
            Order.company_id == document.company_id, Order.quotation_id == document.id,
            Order.status != CANCELLED).limit(1)) is not None:
        return []  # already ordered: the quotation list shows the order instead
    return [DocumentAction(_l("Create order"), "orders.from_quotation",
                           url_values=(("document_id", document.id),),
                           permission="orders.create")]
