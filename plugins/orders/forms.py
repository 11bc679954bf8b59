"""WTForms of the orders plugin."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.core.db import utcnow
from portal.core.forms import Form, choices

from .models import STATUSES


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
    product = StringField(_l("Product code"), validators=[Optional(), Length(max=50)])
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


# -- staff: the catalogue when there is no ERP ----------------------------------------------------


class DecimalText(StringField):
    """A number typed in the user's locale (``20`` / ``7,5``); ``data`` is a ``Decimal``."""

    def process_formdata(self, valuelist):
        from decimal import Decimal as D
        from decimal import InvalidOperation

        from babel.numbers import NumberFormatError, parse_decimal
        from flask_babel import get_locale

        self.raw_text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if self.raw_text:
            try:
                value = parse_decimal(self.raw_text.replace(" ", ""), locale=str(get_locale()),
                                      strict=True)
            except (NumberFormatError, InvalidOperation, ValueError):
                raise ValueError(_l("Enter a number, e.g. %(example)s.",
                                    example=_decimal_example())) from None
            if not value.is_finite():
                raise ValueError(_l("Enter a number."))
            self.data = D(value)

    def _value(self):
        if getattr(self, "raw_text", None) is not None:
            return self.raw_text
        if self.data is None:
            return ""
        from flask_babel import format_decimal

        return format_decimal(self.data, format="0.####")


def _decimal_example() -> str:
    from decimal import Decimal as D

    from flask_babel import format_decimal

    return format_decimal(D("7.5"))


class ProductSearch(FilterForm):
    q = StringField(_l("Search by name or code"), validators=[Optional(), Length(max=100)],
                    render_kw={"type": "search", "autocomplete": "off"})


class CategoryForm(Form):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=50)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    position = StringField(_l("Position in lists"), validators=[Optional(), Length(max=6)],
                           render_kw={"inputmode": "numeric"})
    active = BooleanField(_l("Active (offered in the catalogue)"), default=True)

    def validate_position(self, field):
        if field.data and not field.data.strip().lstrip("-").isdigit():
            raise ValidationError(_l("Enter a whole number."))


class ProductForm(Form):
    code = StringField(_l("Product code"), validators=[DataRequired(), Length(max=50)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    category_id = SelectField(_l("Category"), validators=[Optional()], validate_choice=False)
    unit = StringField(_l("Unit"), validators=[DataRequired(), Length(max=20)], default="pcs")
    whole_units = BooleanField(_l("Sold in whole units only"), default=True)
    tax_rate = DecimalText(_l("VAT rate (%)"), validators=[InputRequired()],
                           render_kw={"inputmode": "decimal"})
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)],
                                render_kw={"rows": 4})
    active = BooleanField(_l("Active (shown and orderable)"), default=True)

    def validate_tax_rate(self, field):
        from decimal import Decimal as D

        if field.data is not None and not D("0") <= field.data <= D("100"):
            raise ValidationError(_l("The tax rate is a percentage from 0 to 100."))


class PriceListForm(Form):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=50)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    currency = StringField(_l("Currency (ISO code)"), validators=[DataRequired(),
                                                                  Length(min=3, max=3)],
                           default="TRY", render_kw={"autocapitalize": "characters"})
    is_default = BooleanField(_l("Default price list (for companies without one)"))

    def validate_currency(self, field):
        from babel.numbers import list_currencies

        field.data = (field.data or "").strip().upper()
        if field.data not in list_currencies():
            raise ValidationError(_l("Enter a currency code such as TRY, EUR or USD."))


class PriceForm(Form):
    product = StringField(_l("Product code"), validators=[DataRequired(), Length(max=50)])
    price = DecimalText(_l("Unit price"), validators=[InputRequired()],
                        render_kw={"inputmode": "decimal"})

    def validate_price(self, field):
        from decimal import Decimal as D

        if field.data is not None and (field.data < 0 or field.data >= D("1e14")
                                       or field.data.as_tuple().exponent < -4):
            raise ValidationError(_l("Enter a price of zero or more with at most four "
                                     "decimal places."))


class CompanyPriceListForm(Form):
    price_list = SelectField(_l("Price list"), validate_choice=True)


class ImportForm(Form):
    kind = SelectField(_l("What the file holds"),
                       choices=choices([("products", _l("Products")), ("prices", _l("Prices"))]))
    file = FileField(_l("CSV or XLSX file"))


class ProductImageForm(Form):
    """Staff upload of a product image (checked and resized by :mod:`.images`)."""

    image = FileField(_l("Image file"), render_kw={"accept": "image/jpeg,image/png,image/webp,"
                                                             "image/gif"})

