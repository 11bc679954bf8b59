"""WTForms of the returns pages. Per-line inputs (``qty-<line id>``…) are read by the views,
since their number depends on the invoice."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.core.forms import Form, choices

from ..services import statuses as st


class RequestForm(Form):
    """The request as a whole (the lines come from the invoice)."""

    description = TextAreaField(
        _l("Describe the problem"),
        validators=[DataRequired(_l("Describe the problem.")), Length(max=4000)],
        render_kw={"rows": 4})
    resolution = RadioField(_l("What do you ask for?"), default="credit",
                            choices=choices(st.RESOLUTIONS.items()),
                            validators=[DataRequired(_l("Choose what you ask for."))])
    contact_name = StringField(_l("Contact person"),
                               validators=[DataRequired(_l("Name a contact person.")),
                                           Length(max=200)],
                               render_kw={"autocomplete": "name"})
    contact_phone = StringField(_l("Contact phone (optional)"),
                                validators=[Optional(), Length(max=50)],
                                render_kw={"autocomplete": "tel", "type": "tel"})
    attachments = MultipleFileField(_l("Photos or files (optional)"))


class FilterForm(Form):
    """GET filters of the request list (no CSRF: nothing changes)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[Optional()],
                         choices=choices([("", _l("Any status")), ("open", _l("Open")),
                                          *st.LABELS.items()]))
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    number = StringField(_l("RMA or invoice number"), validators=[Optional(), Length(max=50)],
                         render_kw={"type": "search", "autocomplete": "off"})

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))


class WithdrawForm(Form):
    message = TextAreaField(_l("Why do you withdraw it? (optional)"),
                            validators=[Optional(), Length(max=1000)], render_kw={"rows": 2})


class ApproveForm(Form):
    expected_on = DateField(_l("Expected completion date"), validators=[Optional()])
    instructions = TextAreaField(_l("Return instructions for the customer"),
                                 validators=[Optional(), Length(max=4000)],
                                 render_kw={"rows": 3})


class RejectForm(Form):
    reason = TextAreaField(_l("Reason for rejecting"),
                           validators=[DataRequired(_l("Give the customer a reason.")),
                                       Length(max=4000)], render_kw={"rows": 3})


class MessageForm(Form):
    message = TextAreaField(_l("Message to the customer (optional)"),
                            validators=[Optional(), Length(max=4000)], render_kw={"rows": 2})


class ResolveForm(MessageForm):
    outcome = RadioField(_l("Outcome"), choices=choices([(st.REPLACED, _l("Replaced")),
                                                         (st.REPAIRED, _l("Repaired"))]),
                         validators=[DataRequired(_l("Choose replaced or repaired."))])
