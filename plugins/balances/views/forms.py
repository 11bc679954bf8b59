"""The balances plugin's forms: period filters (GET) and the reconciliation answer (POST)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Form,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.core.forms import choices

PRESET_LABELS = {"this_month": _l("This month"), "last_month": _l("Last month"),
                 "this_quarter": _l("This quarter"), "this_year": _l("This year"),
                 "custom": _l("Custom period")}


class StatementForm(Form):
    """The statement's period and currency (a GET form: no CSRF, it changes nothing)."""

    period = SelectField(_l("Period"), choices=choices(PRESET_LABELS.items()),
                         default="this_month", validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    currency = SelectField(_l("Currency"), choices=[], validate_choice=False,
                           validators=[Optional()])


class OrdersForm(Form):
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    all = BooleanField(_l("Include settled orders"))


class AnswerForm(FlaskForm):
    answer = RadioField(_l("Your answer"), choices=choices([
        ("confirmed", _l("I confirm the balance is correct")),
        ("disputed", _l("I dispute it: some lines differ"))]),
        validators=[DataRequired()])
    lines = SelectMultipleField(_l("Lines that differ"), coerce=int, choices=[],
                                widget=ListWidget(prefix_label=False),
                                option_widget=CheckboxInput(), validators=[Optional()])
    reason = TextAreaField(_l("What differs, and why"),
                           validators=[Optional(), Length(max=4000)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.answer.data == "disputed" and not (self.reason.data or "").strip():
            self.reason.errors = [*self.reason.errors,
                                  _l("Say what differs, so the supplier can check it.")]
            ok = False
        return ok
