"""Entry point of the balances plugin: customer balance, balance by orders, account statement
and the answers to reconciliation statements. See ``docs/balances.md``.

Requires the documents plugin and reads money documents only through its services
(:mod:`plugins.documents.ledger`).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal import hookimpl
from portal.core.types import EventKind, MenuItem, Panel, Permission, PluginInfo, PluginSetting

SECTION = _l("Account balances")


@hookimpl
def portal_plugin_info():
    return PluginInfo(
        title=_l("Balances"),
        description=_l(
            "Customer balance, balance by orders, account statement and reconciliations."),
        requires=("documents",),
    )


@hookimpl
def portal_blueprints():
    from .views import bp

    return [bp]


@hookimpl
def portal_permissions():
    return [Permission("balances.view", _l("See account balances"),
                       _l("Customer balance, balance by orders and the account statement.")),
            Permission("balances.reconcile", _l("Answer reconciliation statements"),
                       _l("Confirm or dispute the supplier's reconciliation statements."))]


@hookimpl
def portal_menu_items(user):
    return [MenuItem(_l("Customer balance"), "balances.index", "balances.view", SECTION, 150),
            MenuItem(_l("Balance by orders"), "balances.orders", "balances.view", SECTION, 151),
            MenuItem(_l("Account statement"), "balances.statement", "balances.view", SECTION,
                     152)]


@hookimpl
def portal_dashboard_panels(user):
    return [Panel("balance", _l("Account balance"), "balances.panel", "balances.view",
                  order=20, link_text=_l("See your account balance")),
            Panel("invoices-due", _l("Invoices due"), "balances.invoices_due_panel",
                  "balances.view", order=21, link_text=_l("See the invoices to pay"))]


@hookimpl
def portal_event_kinds():
    return [EventKind("balances.reconciliation_answered", _l("Reconciliation statement answered"),
                      _l("A customer confirmed or disputed a reconciliation statement."),
                      audience="staff", staff_endpoint="documents_staff.show",
                      url_arg="document_id")]


@hookimpl(optionalhook=True)
def portal_document_sections(document, user):
    """The answer to a reconciliation statement, and its form (a hook of the documents
    plugin)."""
    from .views.sections import reconciliation_sections

    return reconciliation_sections(document, user)


@hookimpl(optionalhook=True)
def portal_api_resources():
    """``reconciliation-answers``: the ERP reads the customer's answers (read-only)."""
    from .services.api import resources

    return resources()


@hookimpl
def portal_demo_data(session):
    from .services.demo import load_demo

    load_demo(session)


@hookimpl
def portal_settings():
    return [PluginSetting("BALANCES_TODAY", "",
                          _l("The day balances and ageing are computed for, as YYYY-MM-DD, for "
                             "demos and tests (empty: today)."))]
