"""WTForms base and fields shared by the core and plugins (Flask-WTF adds the CSRF field)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class Form(FlaskForm):
    """Base form: CSRF-protected; its errors render next to each field."""


class LoginForm(Form):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=150)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
