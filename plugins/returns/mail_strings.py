"""The strings of the mail templates (``templates/returns/mail/*.txt``), named here so that
``make messages`` extracts them into the plugin's catalog (its map reads only ``.html``)."""

from flask_babel import lazy_gettext as _l

MAIL_STRINGS = (
    _l("A customer sent return request %(number)s."),
    _l("The customer withdrew return request %(number)s."),
    _l("Open it: %(link)s"),
    _l("Hello %(name)s,"),
    _l("Your return request %(number)s is now: %(status)s."),
    _l("Message from %(supplier)s:"),
    _l("See the request: %(link)s"),
)
