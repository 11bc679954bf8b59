"""The customer's own account: contact details and language."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.core.auth import public, safe_next
from portal.core.db import get_session
from portal.core.i18n import LANGUAGES
from portal.core.models import CustomerCompany
from portal.core.rendering import render_page

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/")
def index():
    company = (get_session().get(CustomerCompany, current_user.company_id)
               if current_user.company_id else None)
    return render_page("account/index.html", company=company)


@bp.route("/language", methods=["POST"])
@public
def language():
    """Choose the interface language: kept on the user when signed in, else in the session."""
    lang = request.form.get("lang")
    if lang in LANGUAGES:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            get_session().commit()
        flash(_("Language changed."), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("dashboard.index"), code=303)
