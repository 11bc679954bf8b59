"""WTForms base and fields shared by the core and plugins (Flask-WTF adds the CSRF field)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length


class Form(FlaskForm):
    """Base form: CSRF-protected; its errors render next to each field."""


def choices(pairs) -> list[SelectChoice]:
    """The one way to give a ``SelectField``, ``RadioField`` or ``SelectMultipleField`` its
    options: ``choices([("", _l("Any status")), ("open", _l("Open"))])``.

    ``pairs`` are ``(value, label)`` pairs (a ``SelectChoice`` is passed through). WTForms 3.3
    deprecates tuples as choices; the test run turns that warning into an error.
    """
    return [pair if isinstance(pair, SelectChoice) else SelectChoice(*pair) for pair in pairs]


def choice_values(field) -> set[str]:
    """The values a choice field offers, as the strings a browser sends back."""
    return {str(SelectChoice.from_input(c).value) for c in field.choices or ()}


class LoginForm(Form):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=150)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


def check_new_password(form, field) -> None:
    """The password rules: a minimum length and not a common password."""
    from wtforms.validators import ValidationError

    from portal.core.passwords import MIN_LENGTH, is_common

    value = field.data or ""
    if len(value) < MIN_LENGTH:
        raise ValidationError(_l("Use at least %(num)d characters.", num=MIN_LENGTH))
    if is_common(value):
        raise ValidationError(_l("This password is too common; choose one that is harder to "
                                 "guess."))


class NewPasswordMixin:
    """New password twice, with the rules; the fields are never sent back to the browser."""

    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password.")), Length(max=200),
                    check_new_password],
        render_kw={"autocomplete": "new-password"})
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[DataRequired(_l("Enter the new password again.")),
                    EqualTo("new_password", _l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"})

    def clear_passwords(self) -> None:
        for name in ("current_password", "new_password", "confirm_password"):
            field = getattr(self, name, None)
            if field is not None:
                field.data = ""


class SetPasswordForm(NewPasswordMixin, Form):
    """The activation page: the customer chooses a password."""


class ChangePasswordForm(NewPasswordMixin, Form):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"})


class ForgotPasswordForm(Form):
    identity = StringField(_l("User name or e-mail address"),
                           validators=[DataRequired(_l("Enter your user name or e-mail address.")),
                                       Length(max=200)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})


class CompanyLookupInput:
    """The widget of :class:`CompanyField`: a text input and the ``<datalist>`` of its
    suggestions, which htmx fills from the look-up endpoint as the person types
    (``templates/_company_lookup.html``)."""

    def __call__(self, field, **kwargs):
        from flask import render_template, url_for
        from markupsafe import Markup

        kwargs.setdefault("id", field.id)
        return Markup(render_template(
            "_company_lookup.html", field=field, attrs=kwargs, value=field._value(),
            lookup_url=url_for(field.lookup_endpoint, field=field.name)))


class CompanyField(StringField):
    """A customer company, typed by its ERP code or name: a look-up, not a ``<select>`` of
    every company (see :mod:`portal.core.lookup` for the rules).

    ``data`` is the company's id (or ``None``); ``company`` the resolved
    :class:`portal.core.lookup.CompanyOption` after validation. Give an existing record's
    company id as ``data`` (or ``obj=``) and the input shows ``"CODE — Name"``; what the person
    typed is always shown back as typed. Text that names no company or several fails validation
    with a message saying which, and ``data`` stays ``None``. With htmx the input gets up to ten
    suggestions from ``lookup_endpoint`` (staff only; ``admin.company_lookup`` by default).
    Combine with ``DataRequired`` (a company is needed) or ``Optional`` (a filter).
    """

    widget = CompanyLookupInput()

    def __init__(self, label=None, validators=None, lookup_endpoint="admin.company_lookup",
                 **kwargs):
        super().__init__(label, validators, **kwargs)
        self.lookup_endpoint = lookup_endpoint
        self.typed: str | None = None
        self.company = None

    def process_data(self, value):
        self.typed = None
        self.data = getattr(value, "id", value) or None

    def process_formdata(self, valuelist):
        if valuelist:
            self.typed = " ".join(valuelist[0].split())
            self.data = None

    def _value(self) -> str:
        if self.typed is not None:
            return self.typed
        if not self.data:
            return ""
        from portal.core.db import get_session
        from portal.core.lookup import company_label
        from portal.core.models import CustomerCompany

        company = get_session().get(CustomerCompany, self.data)
        return company_label(company) if company is not None else ""

    def pre_validate(self, form):
        from wtforms.validators import StopValidation

        from portal.core.db import get_session
        from portal.core.lookup import LookupProblem, resolve_company

        if not self.typed:
            return
        try:
            self.company = resolve_company(get_session(), self.typed)
        except LookupProblem as problem:
            raise StopValidation(str(problem.message)) from None
        self.data = self.company.id
