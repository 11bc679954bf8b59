"""Languages: English and Turkish. The user's choice wins, else the browser's preference."""

from __future__ import annotations

from pathlib import Path

from flask import has_request_context, request, session
from flask_babel import Babel, format_decimal, get_locale
from flask_login import current_user

from portal.core import formatting

LANGUAGES = {"en": "English", "tr": "Türkçe"}

babel = Babel()


def select_locale() -> str:
    if not has_request_context():  # CLI commands speak English
        return "en"
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


def init_app(app, translation_dirs: list[Path]) -> None:
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(str(p) for p in translation_dirs)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(decimal=format_decimal)
    formatting.init_app(app)  # date, datetime, money: one style per language
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, get_locale=get_locale)
