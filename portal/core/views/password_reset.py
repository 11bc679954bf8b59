""""Forgot password?": a one-time link by e-mail to choose a new password.

The answer is the same whether or not an account matches (nothing leaks which users exist);
requests are slowed down like sign-ins (the same counters, keys of their own); the link works
once and expires after ``RESET_MINUTES``; the old password keeps working until it is used, so
asking for a link locks nobody out. Using the link ends the user's sessions.
"""

from __future__ import annotations

import datetime as dt
import secrets

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, or_, select

from portal.core import audit, mails, sessions
from portal.core.auth import public
from portal.core.db import get_session, utcnow
from portal.core.forms import ForgotPasswordForm, SetPasswordForm
from portal.core.models import User
from portal.core.passwords import MIN_LENGTH, hash_password
from portal.core.rendering import render_page
from portal.core.site import external_url
from portal.core.throttle import account_name
from portal.core.views.admin_common import aware, token_hash

bp = Blueprint("password_reset", __name__)

RESET_MINUTES = 60


def _throttle_keys(identity: str) -> list[str]:
    return [f"reset:{account_name(identity)}", f"reset-ip:{request.remote_addr or ''}"]


def _matching_users(identity: str) -> list[User]:
    needle = identity.strip().lower()
    return get_session().scalars(select(User).where(
        or_(func.lower(User.username) == needle, func.lower(User.email) == needle),
        User.is_active.is_(True), User.email != "").order_by(User.id).limit(5)).all()


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
def forgot():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        throttle = current_app.extensions["portal.throttle"]
        keys = _throttle_keys(form.identity.data)
        wait = throttle.wait_seconds(keys)
        if wait:
            form.identity.errors.append(ngettext(
                "Too many requests. Try again in %(num)d second.",
                "Too many requests. Try again in %(num)d seconds.", wait))
            return render_page("auth/forgot.html", form=form), 429
        throttle.failed(keys)  # every request counts, found or not
        db = get_session()
        for user in _matching_users(form.identity.data):
            token = secrets.token_urlsafe(32)
            user.reset_token_hash = token_hash(token)
            user.reset_expires_at = utcnow() + dt.timedelta(minutes=RESET_MINUTES)
            mails.queue_password_reset(db, user, external_url("password_reset.reset",
                                                              token=token), RESET_MINUTES)
            audit.record("user.reset_requested", "user", user.id, actor=user,
                         username=user.username)
        db.commit()
        return render_page("auth/forgot_sent.html")
    return render_page("auth/forgot.html", form=form), (422 if form.errors else 200)


def _user_for(token: str) -> User | None:
    if not token or len(token) > 200:
        return None
    user = get_session().scalar(select(User).where(User.reset_token_hash == token_hash(token)))
    if user is None or not user.is_active:
        return None
    expires = aware(user.reset_expires_at)
    if expires is None or expires <= utcnow():
        return None
    return user


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset(token: str):
    user = _user_for(token)
    if user is None:
        return render_page("auth/reset_invalid.html"), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        db = get_session()
        user.password_hash = hash_password(form.new_password.data)
        user.reset_token_hash = user.reset_expires_at = None
        user.activation_token_hash = user.activation_expires_at = None
        sessions.end_all(db, user.id)
        audit.record("user.reset_password_by_mail", "user", user.id, actor=user,
                     username=user.username)
        db.commit()
        flash(_("Your new password is set. Sign in with your user name %(user)s.",
                user=user.username), "success")
        return redirect(url_for("auth.login"), code=303)
    form.clear_passwords()
    return render_page("auth/reset.html", form=form, user=user,
                       min_length=MIN_LENGTH), (422 if form.errors else 200)
