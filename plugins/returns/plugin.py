"""Entry point of the returns plugin.

RMA requests against invoices, goods returns and credit notes.

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
        title=_l("Returns"),
        description=_l("RMA requests against invoices, goods returns and credit notes."),
        requires=("documents",),
    )
