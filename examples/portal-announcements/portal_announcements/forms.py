"""The staff form (``portal.core.forms.Form`` adds the CSRF field)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.core.forms import Form


class AnnouncementForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title.")),
                                                 Length(max=200)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(_l("Enter the text.")),
                                                 Length(max=5000)])
    company = SelectField(_l("For"), coerce=int, default=0)
