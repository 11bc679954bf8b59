"""Forms of the staff pages under /admin (companies, people, access groups, settings)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.core.forms import CompanyField, Form, check_new_password, choice_values
from portal.core.params import coerce_id

EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an e-mail address like "
                                                         "name@example.com."))
PHONE = Regexp(r"^[0-9+()\-./ ]*$", message=_l("Use digits, spaces and + ( ) - only."))
USERNAME = Regexp(r"^[A-Za-z0-9._@-]+$", message=_l(
    "Use letters without accents, digits and . _ @ - only (no spaces)."))


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (a fieldset in the template); choices are set by the view."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        allowed = choice_values(self)
        for value in self.data or ():
            if value not in allowed:
                raise ValidationError(_l("Choose from the list."))


class SettingsForm(Form):
    external_access = BooleanField(_l("Allow external user access"))


class CompanyForm(Form):
    name = StringField(_l("Company name"), filters=[_strip],
                       validators=[DataRequired(_l("Enter the company's name.")), Length(max=200)])
    external_id = StringField(_l("ERP account code"), filters=[_strip],
                              validators=[Optional(), Length(max=100)])
    tax_number = StringField(_l("Tax number"), filters=[_strip],
                             validators=[Optional(), Length(max=50)])
    billing_address = TextAreaField(_l("Billing address"), filters=[_strip],
                                    validators=[Length(max=2000)])
    delivery_address = TextAreaField(_l("Delivery address"), filters=[_strip],
                                     validators=[Length(max=2000)])
    phone = StringField(_l("Phone"), filters=[_strip],
                        validators=[Optional(), Length(max=50), PHONE],
                        render_kw={"type": "tel", "autocomplete": "off"})
    email = StringField(_l("E-mail"), filters=[_strip],
                        validators=[Optional(), Length(max=200), EMAIL],
                        render_kw={"type": "email", "autocomplete": "off"})
    contact_name = StringField(_l("Contact person's name"), filters=[_strip],
                               validators=[Optional(), Length(max=200)])
    contact_phone = StringField(_l("Contact person's phone"), filters=[_strip],
                                validators=[Optional(), Length(max=50), PHONE],
                                render_kw={"type": "tel", "autocomplete": "off"})
    contact_email = StringField(_l("Contact person's e-mail"), filters=[_strip],
                                validators=[Optional(), Length(max=200), EMAIL],
                                render_kw={"type": "email", "autocomplete": "off"})


class PersonFields(Form):
    username = StringField(
        _l("User name"), filters=[_strip],
        validators=[DataRequired(_l("Enter a user name.")), Length(min=3, max=150), USERNAME],
        render_kw={"autocomplete": "off", "autocapitalize": "none"})
    full_name = StringField(_l("Full name"), filters=[_strip],
                            validators=[DataRequired(_l("Enter the person's name.")),
                                        Length(max=200)])
    email = StringField(_l("E-mail"), filters=[_strip],
                        validators=[Optional(), Length(max=200), EMAIL],
                        render_kw={"type": "email", "autocomplete": "off"})
    phone = StringField(_l("Phone"), filters=[_strip],
                        validators=[Optional(), Length(max=50), PHONE],
                        render_kw={"type": "tel", "autocomplete": "off"})
    password = PasswordField(
        _l("Password (optional)"), validators=[Optional(), Length(max=200), check_new_password],
        render_kw={"autocomplete": "new-password"})


class ExternalUserForm(PersonFields):
    company = CompanyField(_l("Customer company (code or name)"), validators=[
        DataRequired(_l("Type the customer company's code or name."))])
    group_id = SelectField(_l("Access group"), coerce=coerce_id, validators=[Optional()])


class StaffUserForm(PersonFields):
    is_admin = BooleanField(_l("Administrator (may manage staff users, settings and plugins)"))


class EditPersonForm(Form):
    full_name = PersonFields.full_name
    email = PersonFields.email
    phone = PersonFields.phone


class ProfileForm(Form):
    name = StringField(_l("Profile name"), filters=[_strip],
                       validators=[DataRequired(_l("Enter a name.")), Length(max=100)])
    description = TextAreaField(_l("Description"), filters=[_strip],
                                validators=[Length(max=2000)])
    permissions = MultiCheckboxField(_l("Permissions"))


class GroupForm(Form):
    name = StringField(_l("Group name"), filters=[_strip],
                       validators=[DataRequired(_l("Enter a name.")), Length(max=100)])
    description = TextAreaField(_l("Description"), filters=[_strip],
                                validators=[Length(max=2000)])


class NewGroupForm(GroupForm):
    profile_id = SelectField(_l("Based on profile"), coerce=coerce_id,
                             validators=[DataRequired(_l("Choose a profile."))])


class GroupPermissionsForm(Form):
    granted = MultiCheckboxField(_l("Permissions this group grants"))


class RestrictionForm(Form):
    kind = HiddenField()
    values = MultiCheckboxField(_l("Allowed values"))


class TypedRestrictionForm(Form):
    """For restriction kinds with many values: the values typed, one per line."""

    kind = HiddenField()
    values = TextAreaField(_l("Allowed values, one per line"), filters=[_strip],
                           render_kw={"rows": 6, "autocapitalize": "none"})

    def typed_values(self) -> list[str]:
        seen: dict[str, None] = {}
        for line in (self.values.data or "").replace(",", "\n").splitlines():
            if line.strip():
                seen.setdefault(line.strip(), None)
        return list(seen)


class AddMemberForm(Form):
    username = StringField(_l("User name of the external user"), filters=[_strip],
                           validators=[DataRequired(_l("Enter a user name.")), Length(max=150)],
                           render_kw={"autocomplete": "off", "autocapitalize": "none"})


class AddToGroupForm(Form):
    group_id = SelectField(_l("Access group"), coerce=coerce_id,
                           validators=[DataRequired(_l("Choose a group."))])


def _http_url(form, field) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(field.data or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(_l("Enter a full address starting with https:// or http://."))


class WebhookForm(Form):
    url = StringField(_l("Address (URL)"), filters=[_strip],
                      validators=[DataRequired(_l("Enter the address.")), Length(max=500),
                                  _http_url],
                      render_kw={"inputmode": "url", "autocomplete": "off"})
    description = StringField(_l("Description"), filters=[_strip],
                              validators=[Length(max=200)])
    kinds = MultiCheckboxField(_l("Events to send"),
                               validators=[DataRequired(_l("Choose at least one event."))])


def _lines(value):
    """Text of several lines as stored: ``\n`` line ends, no blanks around."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip() if isinstance(value, str) \
        else value


class BrandingForm(Form):
    """Admin › Branding: what customers see of the business (see :mod:`portal.core.branding`)."""

    name = StringField(_l("Business name"), filters=[_strip],
                       validators=[DataRequired(_l("Enter the business's name.")),
                                   Length(max=200)])
    logo = FileField(_l("Logo"))
    remove_logo = BooleanField(_l("Remove the logo"))
    accent = StringField(_l("Accent colour"), filters=[_strip],
                         validators=[DataRequired(_l("Enter a colour like #0b5cad."))],
                         render_kw={"autocapitalize": "none", "spellcheck": "false",
                                    "placeholder": "#0b5cad"})
    address = TextAreaField(_l("Address"), filters=[_lines], validators=[Length(max=500)])
    tax_number = StringField(_l("Tax number"), filters=[_strip],
                             validators=[Optional(), Length(max=50)])
    email = StringField(_l("Contact e-mail"), filters=[_strip],
                        validators=[Optional(), Length(max=200), EMAIL],
                        render_kw={"type": "email", "autocomplete": "off"})
    phone = StringField(_l("Contact phone"), filters=[_strip],
                        validators=[Optional(), Length(max=50), PHONE],
                        render_kw={"type": "tel"})
    welcome_en = TextAreaField(_l("Welcome text (English)"), filters=[_lines],
                               validators=[Length(max=1000)], render_kw={"lang": "en"})
    welcome_tr = TextAreaField(_l("Welcome text (Turkish)"), filters=[_lines],
                               validators=[Length(max=1000)], render_kw={"lang": "tr"})

    def validate_accent(self, field):
        from flask_babel import format_decimal

        from portal.core.branding import (
            MIN_CONTRAST,
            accent_contrast,
            luminance,
            normal_colour,
            suggest_accent,
        )

        colour = normal_colour(field.data)
        if colour is None:
            raise ValidationError(_l("Enter a colour as # and six hexadecimal digits, like "
                                     "#0b5cad."))
        field.data = colour
        ratio = accent_contrast(colour)
        if ratio >= MIN_CONTRAST:
            return
        ratio_text = format_decimal(int(ratio * 100) / 100, format="0.0#")
        better = suggest_accent(colour)
        if better is None:
            raise ValidationError(_l(
                "The contrast of this colour with the page and its text is %(ratio)s:1; "
                "at least 4.5:1 is needed for readable text.", ratio=ratio_text))
        if luminance(better) < luminance(colour):
            raise ValidationError(_l(
                "The contrast of this colour with the page and its text is %(ratio)s:1; at "
                "least 4.5:1 is needed for readable text. Try %(colour)s, a darker shade of it.",
                ratio=ratio_text, colour=better))
        raise ValidationError(_l(
            "The contrast of this colour with the page and its text is %(ratio)s:1; at least "
            "4.5:1 is needed for readable text. Try %(colour)s, a lighter shade of it.",
            ratio=ratio_text, colour=better))
