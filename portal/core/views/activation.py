"""The public activation page: a new user (or one whose password was reset) sets a password.

The link is one-time: its token's SHA-256 is stored on the user and cleared once used; it
expires after 7 days. A wrong, used or expired link gets the same answer (410), so links leak
nothing about which users exist.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from portal.core import audit, sessions
from portal.core.auth import public
from portal.core.db import get_session, utcnow
from portal.core.forms import SetPasswordForm
from portal.core.models import User
from portal.core.passwords import MIN_LENGTH, hash_password
from portal.core.rendering import render_page
from portal.core.settings import external_access_enabled
from portal.core.views.admin_common import aware, token_hash

bp = Blueprint("activation", __name__)


def _user_for(token: str) -> User | None:
    if not token or len(token) > 200:
        return None
    user = get_session().scalar(select(User).where(
        User.activation_token_hash == token_hash(token)))
    if user is None or not user.is_active:
        return None
    expires = aware(user.activation_expires_at)
    if expires is None or expires <= utcnow():
        return None
    return user


@bp.route("/activate/<token>", methods=["GET", "POST"])
@public
def activate(token: str):
    user = _user_for(token)
    if user is None:
        return render_page("auth/activate_invalid.html"), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        db = get_session()
        user.password_hash = hash_password(form.new_password.data)
        user.activation_token_hash = None
        user.activation_expires_at = None
        sessions.end_all(db, user.id)
        audit.record("user.activate", "user", user.id, actor=user, username=user.username)
        db.commit()
        if user.is_customer and not external_access_enabled():
            flash(_("Your password is set. The portal is closed for customers at the moment; "
                    "you can sign in once it opens."), "success")
        else:
            flash(_("Your password is set. Sign in with your user name %(user)s.",
                    user=user.username), "success")
        return redirect(url_for("auth.login"), code=303)
    form.clear_passwords()
    return render_page("auth/activate.html", form=form,
                       user=user, min_length=MIN_LENGTH), (422 if form.errors else 200)
