"""WTForms of the orders plugin."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.core.db import utcnow
from portal.core.forms import Form

from .models import STATUSES


def choices(pairs) -> list[SelectChoice]:
    """``(value, label)`` pairs as WTForms select choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def status_choices(extra=()) -> list[SelectChoice]:
    return choices([("", _l("Any status")), *extra] + [(s, STATUS_LABELS[s]) for s in STATUSES])


class FilterForm(Form):
    """GET filters: no CSRF token (nothing changes)."""

    class Meta:
        csrf = False


class CatalogueFilter(FilterForm):
    q = StringField(_l("Search products"), validators=[Optional(), Length(max=100)],
                    render_kw={"type": "search", "autocomplete": "off"})
    category = SelectField(_l("Category"), validators=[Optional()], validate_choice=False)


STATUS_LABELS = {
    "sent": _l("Sent"),
    "in_progress": _l("In progress"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
}


class OrderFilter(FilterForm):
    q = StringField(_l("Order number"), validators=[Optional(), Length(max=30)],
                    render_kw={"type": "search", "autocomplete": "off"})
    status = SelectField(_l("Status"), validators=[Optional()], choices=status_choices())
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))


class StatementFilter(FilterForm):
    product = SelectField(_l("Product"), validators=[Optional()], validate_choice=False)
    date_from = DateField(_l("Ordered from"), validators=[Optional()])
    date_to = DateField(_l("Ordered to"), validators=[Optional()])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))


OTHER_ADDRESS = "other"


class OrderDetailsForm(Form):
    """Delivery address, requested date, PO number and comment; with an idempotency key."""

    idempotency_key = HiddenField(validators=[DataRequired(), Length(min=16, max=64)])
    address = SelectField(_l("Delivery address"), validators=[DataRequired()])
    other_address = TextAreaField(_l("Other delivery address"),
                                  validators=[Length(max=500)],
                                  render_kw={"rows": 3})
    requested_delivery_on = DateField(_l("Requested delivery date"), validators=[Optional()])
    po_number = StringField(_l("Your purchase order number"),
                            validators=[Optional(), Length(max=50)])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)],
                            render_kw={"rows": 3})

    def __init__(self, addresses: list[tuple[str, str]], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.addresses = dict(addresses)
        self.address.choices = choices(list(addresses) + [(OTHER_ADDRESS, _l("Another address"))])
        if not self.idempotency_key.data:
            self.idempotency_key.data = secrets.token_hex(16)
        if not self.address.data and addresses:
            self.address.data = addresses[0][0]

    def validate_other_address(self, field):
        if self.address.data == OTHER_ADDRESS and not (field.data or "").strip():
            raise ValidationError(_l("Enter the delivery address."))

    def validate_requested_delivery_on(self, field):
        if field.data and field.data < utcnow().date():
            raise ValidationError(_l("The requested delivery date cannot be in the past."))

    def delivery_address(self) -> str:
        if self.address.data == OTHER_ADDRESS:
            return (self.other_address.data or "").strip()
        return self.addresses.get(self.address.data, "")


def company_addresses(company) -> list[tuple[str, str]]:
    """The company's addresses as choices, the delivery address first, duplicates dropped."""
    choices = []
    seen = set()
    for key, text in (("delivery", company.delivery_address),
                      ("billing", company.billing_address)):
        text = (text or "").strip()
        if text and text not in seen:
            seen.add(text)
            choices.append((key, text))
    return choices


class CancelForm(Form):
    reason = TextAreaField(_l("Reason for cancelling"),
                           validators=[DataRequired(), Length(max=1000)], render_kw={"rows": 3})
