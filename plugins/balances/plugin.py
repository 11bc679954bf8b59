"""Entry point of the balances plugin.

Customer balance, balance by orders, account statement and reconciliations.

Not built yet: this module only describes the plugin, so that it is installed, listed and
switchable like any other; it contributes no pages, menu items or permissions until its issue
lands.
"""

from flask_babel import lazy_gettext as _l

from portal import hookimpl
from portal.core.types import PluginInfo


@hookimpl
def portal_plugin_info():
    return PluginInfo(
        title=_l("Balances"),
        description=_l(
            "Customer balance, balance by orders, account statement and reconciliations."),
        requires=("documents",),
    )
