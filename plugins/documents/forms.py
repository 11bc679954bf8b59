"""Staff forms: supplier files and API tokens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.core.forms import Form
from portal.core.params import coerce_id


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SupplierFileForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    category = SelectField(_l("Category"), choices=[])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    groups = MultiCheckboxField(_l("Visible only to these access groups"), coerce=coerce_id,
                                choices=[], validate_choice=True)
    file = FileField(_l("File"))


class ApiTokenForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("Who uses the token, e.g. \"ERP production\"."))
