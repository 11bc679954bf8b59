"""Entry point of the orders plugin: catalogue, comparison, cart, ordering and order tracking.

The customer pages live under ``/orders`` (blueprint ``orders``), the staff pages under
``/admin/orders`` (blueprint ``orders_staff``). See ``docs/orders.md``.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l

from portal import hookimpl
from portal.core.types import MenuItem, Panel, Permission, PluginInfo

# Importing the view modules registers their routes on the blueprints.
from . import cart_views, catalogue_views, order_views, staff_views, statement  # noqa: F401
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
    return [MenuItem(_l("Received orders"), "orders_staff.inbox", "core.staff", order=20)]


@hookimpl
def portal_dashboard_panels(user):
    return [Panel("open-orders", _l("Open orders"), "orders.panel", "orders.view", order=10)]


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
    """"Create order" on a quotation that is still valid (a hook of the documents plugin)."""
    from plugins.documents.types import DocumentAction
    from portal.core.db import utcnow

    from .bridge import quotation_is_open

    if document.doc_type != "quotation" or not quotation_is_open(document, utcnow().date()):
        return []
    return [DocumentAction(_l("Create order"), "orders.from_quotation",
                           url_values=(("document_id", document.id),),
                           permission="orders.create")]
