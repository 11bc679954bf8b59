"""Entry point of the support plugin.

Support requests with threads and attachments.

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
        title=_l("Support"),
        description=_l("Support requests with threads and attachments."),
        requires=(),
    )
