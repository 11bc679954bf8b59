"""The access-control API every plugin uses.

* :func:`require_permission` — view decorator: 403 without the permission;
* :func:`require_customer`, :func:`require_staff`, :func:`require_admin` — who may open a view;
* :func:`staff_only` — every view of a blueprint is for the business's staff (403 for customers);
* :func:`current_company_id` — the signed-in customer's company;
* :func:`scoped` — limit a ``select()`` to the current customer's rows;
* :func:`get_scoped_or_404` — load one row by id, 404 when it belongs to someone else;
* :func:`restricted_values` — the values the user's access groups allow for a restriction kind
  (``None`` when unrestricted);
* :func:`apply_restriction` — limit a ``select()`` by the user's restriction of a kind;
* :func:`has_permission` / :func:`current_permissions` — what the user may do.

Permissions of disabled plugins grant nothing (their stored grants stay).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import false, literal, select

from portal.core.db import get_session, request_scope
from portal.core.models import (
    AccessGroup,
    AccessGroupExclusion,
    AccessGroupMember,
    AccessGroupRestriction,
    Profile,
    ProfilePermission,
)
from portal.core.plugins import get_registry

STAFF_PERMISSION = "core.staff"
ADMIN_PERMISSION = "core.admin"
MEMBER_PERMISSION = "core.member"
"""Held by every customer who belongs to at least one access group (shows the home page)."""
CUSTOMER_PROFILE_KEY = "customer"


@dataclass(frozen=True)
class Grants:
    permissions: frozenset[str]
    group_ids: tuple[int, ...]


def customer_profile_permissions() -> set[str]:
    """What the built-in "Customer" profile grants: each enabled ``customer_default`` permission."""
    return {p.name for p in get_registry().permissions() if p.customer_default}


def _load_grants(user) -> Grants:
    session = get_session()
    groups = session.execute(
        select(AccessGroup.id, AccessGroup.profile_id, Profile.key)
        .join(AccessGroupMember, AccessGroupMember.group_id == AccessGroup.id)
        .join(Profile, Profile.id == AccessGroup.profile_id)
        .where(AccessGroupMember.user_id == user.id)
    ).all()
    if not groups:
        return Grants(frozenset(), ())
    group_ids = tuple(row.id for row in groups)
    profile_ids = {row.profile_id for row in groups}
    rows = session.execute(
        select(ProfilePermission.profile_id.label("owner"), ProfilePermission.permission,
               literal(1).label("is_profile"))
        .where(ProfilePermission.profile_id.in_(profile_ids))
        .union_all(
            select(AccessGroupExclusion.group_id, AccessGroupExclusion.permission,
                   literal(0))
            .where(AccessGroupExclusion.group_id.in_(group_ids))
        )
    ).all()
    profile_perms: dict[int, set[str]] = {}
    excluded: dict[int, set[str]] = {}
    for owner, permission, is_profile in rows:
        (profile_perms if is_profile else excluded).setdefault(owner, set()).add(permission)
    default = customer_profile_permissions()
    granted: set[str] = set()
    for row in groups:
        if row.key == CUSTOMER_PROFILE_KEY:
            base = default
        else:
            base = profile_perms.get(row.profile_id, set())
        granted |= base - excluded.get(row.id, set())
    active = {p.name for p in get_registry().permissions()}
    return Grants(frozenset((granted & active) | {MEMBER_PERMISSION}), group_ids)


def current_grants() -> Grants:
    cached = request_scope().get("grants")
    if cached is not None:
        return cached
    user = current_user
    if not user or not user.is_authenticated:
        grants = Grants(frozenset(), ())
    elif user.is_staff:
        perms = {STAFF_PERMISSION} | ({ADMIN_PERMISSION} if user.is_admin else set())
        grants = Grants(frozenset(perms), ())
    else:
        grants = _load_grants(user)
    request_scope()["grants"] = grants
    return grants


def current_permissions() -> frozenset[str]:
    return current_grants().permissions


def has_permission(name: str | None) -> bool:
    return name is None or name in current_permissions()


def restricted_values(kind: str) -> frozenset[str] | None:
    """The values allowed to the current customer for restriction ``kind``.

    ``None`` means unrestricted: at least one of the user's groups carries no restriction of this
    kind. Otherwise the union of the allowed values of the user's groups (possibly empty).
    """
    cache = request_scope().setdefault("restrictions", {})
    if kind in cache:
        return cache[kind]
    group_ids = current_grants().group_ids
    rows = get_session().execute(
        select(AccessGroupRestriction.group_id, AccessGroupRestriction.value)
        .where(AccessGroupRestriction.group_id.in_(group_ids),
               AccessGroupRestriction.kind == kind)
    ).all() if group_ids else []
    restricted_groups = {group_id for group_id, _ in rows}
    if not group_ids or restricted_groups != set(group_ids):
        value = None if group_ids else frozenset()
    else:
        value = frozenset(v for _, v in rows)
    cache[kind] = value
    return value


def apply_restriction(stmt, kind: str, column):
    """Limit ``stmt`` to rows whose ``column`` holds a value the user's groups allow for ``kind``.

    Unrestricted users get ``stmt`` unchanged; a user whose groups allow no value gets no rows.
    Stored values are strings; they are converted to the column's Python type (e.g. ``int``).
    """
    allowed = restricted_values(kind)
    if allowed is None:
        return stmt
    try:
        convert = column.type.python_type
    except NotImplementedError:
        convert = str
    values = []
    for value in allowed:
        try:
            values.append(convert(value))
        except (TypeError, ValueError):
            continue  # a stored value that no longer fits the column allows nothing
    if not values:
        return stmt.where(false())
    return stmt.where(column.in_(values))


def current_company_id() -> int:
    """The signed-in customer's company id; 403 for anyone else (or a customer without one)."""
    if (not current_user.is_authenticated or not current_user.is_customer
            or current_user.company_id is None):
        abort(403)
    return current_user.company_id


def scoped(stmt, model, column: str = "company_id"):
    """Limit ``stmt`` to rows of ``model`` that belong to the current customer's company."""
    return stmt.where(getattr(model, column) == current_company_id())


def get_scoped_or_404(model, ident, column: str = "company_id"):
    """Load ``model`` by primary key for the current customer; 404 for anyone else's row."""
    pk = model.__mapper__.primary_key[0]
    row = get_session().scalar(scoped(select(model).where(pk == ident), model, column))
    if row is None:
        abort(404)
    return row


def require_permission(name: str):
    """View decorator: the signed-in user must hold ``name`` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not has_permission(name):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_permission = name
        return wrapped

    return decorator


def _require(check):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated or not check(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


require_customer = _require(lambda user: user.is_customer)
require_staff = _require(lambda user: user.is_staff)
require_admin = _require(lambda user: user.is_staff and user.is_admin)


def staff_only(blueprint):
    """Make every view of ``blueprint`` answer 403 to signed-in customers (staff pages).

    Signed-out visitors still go to the sign-in page (the core's sign-in check runs first).
    Returns the blueprint, so it can wrap its creation.
    """

    @blueprint.before_request
    def _staff_only():
        if current_user.is_authenticated and not current_user.is_staff:
            abort(403)

    return blueprint
