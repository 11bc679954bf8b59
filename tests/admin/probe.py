"""A throwaway third-party plugin that uses the access-control API the way real plugins do.

Its "records" are the customer users of the signed-in customer's company (``portal_user`` has a
``company_id``), so it needs no table of its own.
"""

from flask import Blueprint
from sqlalchemy import select

from portal import hookimpl
from portal.core.access import (
    apply_restriction,
    get_scoped_or_404,
    require_permission,
    restricted_values,
    scoped,
)
from portal.core.db import get_session
from portal.core.models import CUSTOMER, User
from portal.core.types import MenuItem, Permission, PluginInfo, RestrictionKind

bp = Blueprint("probe", __name__)


@bp.route("/")
@require_permission("probe.view")
def index():
    stmt = scoped(select(User).where(User.kind == CUSTOMER), User)
    stmt = apply_restriction(stmt, "probe.person", User.username).order_by(User.username)
    names = get_session().scalars(stmt).all()
    return "<ul>" + "".join(f"<li>{u.username}</li>" for u in names) + "</ul>"


@bp.route("/<int:user_id>")
@require_permission("probe.view")
def show(user_id: int):
    user = get_scoped_or_404(User, user_id)
    allowed = restricted_values("probe.person")
    if allowed is not None and user.username not in allowed:
        from flask import abort

        abort(404)
    return f"<p>record {user.username}</p>"


@bp.route("/edit")
@require_permission("probe.edit")
def edit():
    return "<p>editing</p>"


@hookimpl
def portal_plugin_info():
    return PluginInfo(title="Probe")


@hookimpl
def portal_blueprints():
    return [bp]


@hookimpl
def portal_permissions():
    return [Permission("probe.view", "View probe records"),
            Permission("probe.edit", "Edit probe records", customer_default=False)]


@hookimpl
def portal_restriction_kinds():
    return [RestrictionKind(
        "probe.person", "Only these people",
        options=lambda session: [(u, u) for u in session.scalars(
            select(User.username).where(User.kind == CUSTOMER).order_by(User.username))]),
        RestrictionKind("probe.many", "Only these many things", options=_never_list_them_all,
                        lookup=lambda session, values: {v: f"Thing {v}" for v in values
                                                         if v.isdigit()})]


def _never_list_them_all(session):
    raise AssertionError("a kind with a lookup must never list all its options")


@hookimpl
def portal_menu_items(user):
    return [MenuItem("Probe records", "probe.index", permission="probe.view", order=10),
            MenuItem("Probe editing", "probe.edit", permission="probe.edit", order=11)]
