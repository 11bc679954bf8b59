"""The staff form (``portal.core.forms.Form`` adds the CSRF field)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.core.forms import CompanyField, Form


class AnnouncementForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title.")),
                                                 Length(max=200)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(_l("Enter the text.")),
                                                 Length(max=5000)])
    # A typed look-up (code or name), not a <select> of every customer company.
    company = CompanyField(_l("For one customer (code or name)"), validators=[Optional()])
