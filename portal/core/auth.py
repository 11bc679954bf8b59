"""Sign-in, sign-out, the session user loader, and the rule that every page needs a sign-in.

Views are private by default: a view is reachable without signing in only when decorated with
:func:`public`. An htmx request whose session ended gets 401 with ``HX-Redirect`` to the
sign-in page, so the browser navigates there instead of swapping the form into a fragment.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import LoginManager, current_user, login_user, logout_user
from sqlalchemy import func, select

from portal.core import known_device, sessions
from portal.core.db import get_session, utcnow
from portal.core.forms import LoginForm
from portal.core.models import User
from portal.core.passwords import hash_password, needs_rehash, verify_password
from portal.core.rendering import is_htmx, render_page
from portal.core.settings import external_access_enabled

bp = Blueprint("auth", __name__)
login_manager = LoginManager()


def public(view):
    """Mark a view as reachable without signing in."""
    view.portal_public = True
    return view


def safe_next(target: str | None) -> str | None:
    """Keep ``next`` only when it is a path on this site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_url() -> str:
    return url_for("admin.index") if current_user.is_staff else url_for("dashboard.index")


@login_manager.user_loader
def _load_user(token: str):
    user = sessions.load(get_session(), token)
    if user is not None and user.is_customer and not external_access_enabled():
        return None
    return user


@login_manager.unauthorized_handler
def _unauthorized():
    if is_htmx():
        page = urlsplit(request.headers.get("HX-Current-URL") or request.full_path)
        target = safe_next(page.path + (f"?{page.query}" if page.query else ""))
        response = Response(status=401)
        response.headers["HX-Redirect"] = url_for("auth.login", next=target)
        return response
    if request.endpoint != "dashboard.index":
        flash(_("Please sign in to see this page."), "info")
    return redirect(url_for("auth.login", next=safe_next(request.full_path.rstrip("?"))))


def require_sign_in():
    """``before_request``: every non-public view needs a signed-in user."""
    view = current_app.view_functions.get(request.endpoint)
    if view is None or getattr(view, "portal_public", False) or request.endpoint == "static":
        return None
    if request.blueprint and request.endpoint.endswith(".static"):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(home_url())
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = _find_user(form.username.data)
        attempt = current_app.extensions["portal.throttle"].attempt(
            form.username.data, request.remote_addr or "", known_device.device_id(user))
        wait = attempt.wait_seconds()
        if wait:
            form.form_errors.append(ngettext(
                "Too many failed sign-ins. Try again in %(num)d second.",
                "Too many failed sign-ins. Try again in %(num)d seconds.", wait))
            status = 429
        elif not _password_ok(user, form.password.data):
            attempt.failed()
            form.form_errors.append(_("The user name or password is not correct."))
            status = 401
        elif user.is_customer and not external_access_enabled():
            form.form_errors.append(
                _("The portal is closed for customers at the moment. Please contact us."))
            status = 403
        else:
            attempt.succeeded()
            _sign_in(user, form.password.data)
            response = redirect(safe_next(request.args.get("next")) or home_url(), code=303)
            known_device.remember(response, user)
            return response
    form.password.data = ""
    return render_page("auth/login.html", form=form,
                       portal_closed=not external_access_enabled()), status


def _find_user(username: str) -> User | None:
    name = username.strip().lower()
    return get_session().scalar(select(User).where(func.lower(User.username) == name))


def _password_ok(user: User | None, password: str) -> bool:
    """The password is checked (or a dummy hash) whether or not the user exists."""
    ok = verify_password(user.password_hash if user else None, password)
    return bool(ok and user is not None and user.is_active)


def _sign_in(user: User, password: str) -> None:
    db = get_session()
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    token = sessions.start(db, user)
    db.commit()
    session.clear()  # a fresh cookie on sign-in: no session fixation
    session.permanent = True
    user.session_id = token
    login_user(user)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    if current_user.is_authenticated:
        db = get_session()
        sessions.end(db, current_user.session_id)
        db.commit()
        logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"), code=303)


def init_app(app) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = None  # the server-side session row is the protection
    app.before_request(require_sign_in)
    app.register_blueprint(bp)
