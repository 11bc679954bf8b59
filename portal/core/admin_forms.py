"""Forms of the staff pages under /admin (companies, people, access groups, settings)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
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

from portal.core.forms import Form, check_new_password

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
        allowed = {str(value) for value, _label in self.choices or ()}
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
    company_id = SelectField(_l("Customer company"), coerce=int,
                             validators=[DataRequired(_l("Choose the customer company."))])
    group_id = SelectField(_l("Access group"), coerce=int, validators=[Optional()])


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
    profile_id = SelectField(_l("Based on profile"), coerce=int,
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
    group_id = SelectField(_l("Access group"), coerce=int,
                           validators=[DataRequired(_l("Choose a group."))])
