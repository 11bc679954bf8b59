"""The customer's own account: contact details, password and language."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from portal.core import audit, known_device, notifications, sessions
from portal.core.auth import public, safe_next
from portal.core.db import get_session
from portal.core.events import event_kinds
from portal.core.forms import ChangePasswordForm
from portal.core.i18n import LANGUAGES
from portal.core.models import CustomerCompany
from portal.core.passwords import MIN_LENGTH, hash_password, verify_password
from portal.core.rendering import render_page

bp = Blueprint("account", __name__, url_prefix="/account")


def _page(form: ChangePasswordForm | None = None, status: int = 200):
    company = (get_session().get(CustomerCompany, current_user.company_id)
               if current_user.company_id else None)
    kinds = _enabled_kinds()
    return render_page("account/index.html", company=company,
                       password_form=form or ChangePasswordForm(prefix="pw"),
                       min_length=MIN_LENGTH, mail_kinds=notifications.kinds_for(current_user,
                                                                                 kinds),
                       mail_choices=notifications.choices(get_session(), current_user, kinds),
                       ), status


def _enabled_kinds():
    registry = current_app.extensions["portal.plugins"]
    return {name: kind for name, kind in event_kinds().items()
            if name.startswith("core.") or registry.is_enabled(name.partition(".")[0])}


@bp.route("/notifications", methods=["POST"])
def notifications_form():
    """Which e-mails the user gets: one checkbox per kind (unticked ones are switched off)."""
    kinds = _enabled_kinds()
    wanted = set(request.form.getlist("kind"))
    db = get_session()
    changed = notifications.save_choices(db, current_user, kinds, wanted)
    if changed:
        audit.record("user.notifications", "user", current_user.id,
                     username=current_user.username, kinds=sorted(changed))
    db.commit()
    flash(_("Your e-mail choices are saved."), "success")
    return redirect(url_for("account.index") + "#mail-title", code=303)


@bp.route("/")
def index():
    return _page()


@bp.route("/password", methods=["POST"])
def password():
    """Change the password: current one, new one twice. Ends the user's other sessions."""
    form = ChangePasswordForm(prefix="pw")
    status = 422
    if form.validate_on_submit():
        # Guessing the current password is slowed down like signing in (the same counters:
        # this browser's device counter, else its address's).
        attempt = current_app.extensions["portal.throttle"].attempt(
            current_user.username, request.remote_addr or "", known_device.device_id(current_user))
        wait = attempt.wait_seconds()
        if wait:
            form.current_password.errors.append(ngettext(
                "Too many wrong passwords. Try again in %(num)d second.",
                "Too many wrong passwords. Try again in %(num)d seconds.", wait))
            status = 429
        elif not verify_password(current_user.password_hash, form.current_password.data):
            attempt.failed()
            form.current_password.errors.append(_("The current password is not correct."))
        elif form.new_password.data == form.current_password.data:
            form.new_password.errors.append(
                _("The new password must differ from the current one."))
        else:
            attempt.succeeded()
            db = get_session()
            current_user.password_hash = hash_password(form.new_password.data)
            sessions.end_all(db, current_user.id, keep_token=current_user.session_id)
            audit.record("user.change_password", "user", current_user.id,
                         username=current_user.username)
            db.commit()
            flash(_("Your password is changed. You have been signed out everywhere else."),
                  "success")
            return redirect(url_for("account.index"), code=303)
    form.clear_passwords()
    return _page(form, status=status)


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
        with force_locale(lang):
            flash(_("Language changed."), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("dashboard.index"), code=303)
