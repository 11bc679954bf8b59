"""Profiles and access groups (staff): what customers may see and do.

A profile is a set of permissions; the built-in "Customer" profile grants every enabled
``customer_default`` permission. An access group is based on a profile, may narrow it
(``AccessGroupExclusion`` rows), may carry restrictions of the kinds plugins contribute
(``AccessGroupRestriction`` rows) and has members.
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from portal.core import audit
from portal.core.access import CUSTOMER_PROFILE_KEY, customer_profile_permissions, require_staff
from portal.core.admin_forms import (
    AddMemberForm,
    GroupForm,
    GroupPermissionsForm,
    NewGroupForm,
    ProfileForm,
    RestrictionForm,
    TypedRestrictionForm,
)
from portal.core.db import get_session
from portal.core.forms import choice_values, choices
from portal.core.models import (
    CUSTOMER,
    AccessGroup,
    AccessGroupExclusion,
    AccessGroupMember,
    AccessGroupRestriction,
    CustomerCompany,
    Profile,
    ProfilePermission,
    User,
)
from portal.core.paging import Key
from portal.core.plugins import get_registry
from portal.core.rendering import render_page
from portal.core.text import name_key
from portal.core.views.admin import bp
from portal.core.views.admin_common import get_or_404, paginate, remove_membership


def permission_choices() -> list[tuple[str, str]]:
    return [(p.name, f"{p.label} ({p.name})") for p in get_registry().permissions()]


def profile_permissions(profile: Profile) -> set[str]:
    """What a profile grants now (enabled plugins only)."""
    if profile.key == CUSTOMER_PROFILE_KEY:
        return customer_profile_permissions()
    stored = set(get_session().scalars(select(ProfilePermission.permission)
                                       .where(ProfilePermission.profile_id == profile.id)))
    return stored & {p.name for p in get_registry().permissions()}


def _name_taken(model, name: str, own_id: int | None) -> bool:
    """Whether another row has this name in any case (Turkish-correct: see ``name_key``)."""
    stmt = select(model.id).where(model.name_key == name_key(name))
    if own_id is not None:
        stmt = stmt.where(model.id != own_id)
    return get_session().scalar(stmt) is not None


def _saved_name(session) -> bool:
    """Flush a new or renamed profile/group; False when a concurrent save took the name.

    The check before saving and the unique index on ``name_key`` agree, so the only way to hit
    the index is a race with another save of the same name: roll back and let the form say so.
    """
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return False
    return True


# -- profiles -------------------------------------------------------------------------------


@bp.route("/profiles")
@require_staff
def profiles():
    db = get_session()
    rows = db.execute(select(Profile).order_by(Profile.is_builtin.desc(), Profile.name)).scalars()
    perms: dict[int, set[str]] = {}
    for profile_id, permission in db.execute(select(ProfilePermission.profile_id,
                                                    ProfilePermission.permission)):
        perms.setdefault(profile_id, set()).add(permission)
    labels = dict(permission_choices())
    customer = customer_profile_permissions()
    items = [(p, sorted(customer if p.key == CUSTOMER_PROFILE_KEY else perms.get(p.id, set())
                        & set(labels))) for p in rows]
    return render_page("admin/profiles.html", items=items, labels=labels)


def _profile_form(profile: Profile | None):
    form = ProfileForm(obj=profile)
    form.permissions.choices = choices(permission_choices())
    if profile is not None and not form.is_submitted():
        form.permissions.data = sorted(profile_permissions(profile))
    if form.validate_on_submit():
        db = get_session()
        creating = profile is None
        if _name_taken(Profile, form.name.data, profile.id if profile else None):
            form.name.errors.append(_("Another profile has this name."))
        else:
            if creating:
                profile = Profile(name=form.name.data)
                db.add(profile)
            profile.name = form.name.data
            profile.description = form.description.data or ""
            if not _saved_name(db):
                form.name.errors.append(_("Another profile has this name."))
                if creating:  # rolled back: the page is the "new profile" form again
                    profile = None
        if not form.errors:
            wanted = set(form.permissions.data or ())
            old = set(db.scalars(select(ProfilePermission.permission)
                                 .where(ProfilePermission.profile_id == profile.id)))
            # Grants of disabled plugins are kept: only the visible choices are edited.
            visible = choice_values(form.permissions)
            db.execute(delete(ProfilePermission).where(
                ProfilePermission.profile_id == profile.id,
                ProfilePermission.permission.in_((old & visible) - wanted)))
            db.add_all(ProfilePermission(profile_id=profile.id, permission=p)
                       for p in wanted - old)
            audit.record("profile.create" if creating else "profile.update", "profile",
                         profile.id, name=profile.name, permissions=sorted(wanted))
            db.commit()
            flash(_("Profile %(name)s saved.", name=profile.name), "success")
            return redirect(url_for("admin.profiles"), code=303)
    return (render_page("admin/profile_form.html", form=form, profile=profile),
            422 if form.errors else 200)


@bp.route("/profiles/new", methods=["GET", "POST"])
@require_staff
def new_profile():
    return _profile_form(None)


@bp.route("/profiles/<int:profile_id>", methods=["GET", "POST"])
@require_staff
def profile(profile_id: int):
    profile = get_or_404(Profile, profile_id)
    if profile.is_builtin:
        abort(404)  # the built-in profile follows the plugins; it is not edited by hand
    return _profile_form(profile)


# -- access groups --------------------------------------------------------------------------


@bp.route("/groups")
@require_staff
def groups():
    # each shown group's members are counted on the membership key (no scan of every group's)
    members = (select(func.count()).select_from(AccessGroupMember)
               .where(AccessGroupMember.group_id == AccessGroup.id)
               .correlate(AccessGroup).scalar_subquery())
    stmt = (select(AccessGroup, Profile.name, members.label("members"))
            .join(Profile, Profile.id == AccessGroup.profile_id))
    page = paginate(stmt, [Key(AccessGroup.name), Key(AccessGroup.id)], scalars=False)
    return render_page("admin/groups.html", rows=page.items, page=page)


@bp.route("/groups/new", methods=["GET", "POST"])
@require_staff
def new_group():
    db = get_session()
    form = NewGroupForm()
    form.profile_id.choices = choices((p.id, p.name) for p in db.scalars(
        select(Profile).order_by(Profile.is_builtin.desc(), Profile.name)))
    if form.validate_on_submit():
        if _name_taken(AccessGroup, form.name.data, None):
            form.name.errors.append(_("Another group has this name."))
        else:
            group = AccessGroup(name=form.name.data, description=form.description.data or "",
                                profile_id=form.profile_id.data)
            db.add(group)
            if not _saved_name(db):
                form.name.errors.append(_("Another group has this name."))
            else:
                audit.record("group.create", "group", group.id, name=group.name,
                             profile_id=group.profile_id)
                db.commit()
                flash(_("Group %(name)s created. Narrow it, restrict it and add members "
                        "below.", name=group.name), "success")
                return redirect(url_for("admin.group", group_id=group.id), code=303)
    return render_page("admin/group_new.html", form=form), (422 if form.errors else 200)


MEMBERS_PER_PAGE = 50


def _group_context(group: AccessGroup, **forms):
    db = get_session()
    profile = db.get(Profile, group.profile_id)
    base = profile_permissions(profile)
    labels = dict(permission_choices())
    excluded = set(db.scalars(select(AccessGroupExclusion.permission)
                              .where(AccessGroupExclusion.group_id == group.id)))
    perm_form = forms.get("perm_form") or GroupPermissionsForm(prefix="perm")
    perm_form.granted.choices = choices((name, labels[name]) for name in sorted(base))
    if "perm_form" not in forms:
        perm_form.granted.data = sorted(base - excluded)
    stored: dict[str, set[str]] = {}
    for kind, value in db.execute(select(AccessGroupRestriction.kind, AccessGroupRestriction.value)
                                  .where(AccessGroupRestriction.group_id == group.id)):
        stored.setdefault(kind, set()).add(value)
    restrictions = []
    for kind in get_registry().restriction_kinds():
        form = forms.get(f"restriction:{kind.name}")
        current = sorted(stored.get(kind.name, ()))
        if kind.lookup is not None:  # many values: typed, and only the stored ones looked up
            if form is None:
                form = TypedRestrictionForm(prefix=f"r-{kind.name}", formdata=None)
                form.values.data = "\n".join(current)
            labels_of = kind.lookup(db, current) if current else {}
            chosen = [(value, labels_of.get(value, value)) for value in current]
        else:
            if form is None:
                form = RestrictionForm(prefix=f"r-{kind.name}", formdata=None)
                form.values.data = current
            form.values.choices = choices((str(v), label) for v, label in kind.options(db))
            chosen = None
        form.kind.data = kind.name
        restrictions.append((kind, form, chosen))
    member_page = paginate(
        select(User, CustomerCompany.name)
        .join(AccessGroupMember, AccessGroupMember.user_id == User.id)
        .outerjoin(CustomerCompany, CustomerCompany.id == User.company_id)
        .where(AccessGroupMember.group_id == group.id)
        .order_by(User.username), [Key(User.username), Key(User.id)], per_page=MEMBERS_PER_PAGE,
        scalars=False,        endpoint="admin.group", group_id=group.id)
    return dict(group=group, profile=profile, perm_form=perm_form,
                edit_form=forms.get("edit_form") or GroupForm(obj=group, prefix="group"),
                member_form=forms.get("member_form") or AddMemberForm(prefix="member"),
                restrictions=restrictions, members=member_page.items,
                member_page=member_page,
                excluded=sorted(excluded & base), labels=labels)


@bp.route("/groups/<int:group_id>")
@require_staff
def group(group_id: int):
    group = get_or_404(AccessGroup, group_id)
    return render_page("admin/group.html", **_group_context(group))


@bp.route("/groups/<int:group_id>/edit", methods=["POST"])
@require_staff
def edit_group(group_id: int):
    group = get_or_404(AccessGroup, group_id)
    form = GroupForm(prefix="group")
    if form.validate_on_submit():
        if _name_taken(AccessGroup, form.name.data, group.id):
            form.name.errors.append(_("Another group has this name."))
        else:
            group.name, group.description = form.name.data, form.description.data or ""
            if _saved_name(get_session()):
                audit.record("group.update", "group", group.id, name=group.name)
                get_session().commit()
                flash(_("Group saved."), "success")
                return redirect(url_for("admin.group", group_id=group.id), code=303)
            form.name.errors.append(_("Another group has this name."))
    return render_page("admin/group.html", **_group_context(group, edit_form=form)), 422


@bp.route("/groups/<int:group_id>/permissions", methods=["POST"])
@require_staff
def group_permissions(group_id: int):
    group = get_or_404(AccessGroup, group_id)
    db = get_session()
    base = profile_permissions(db.get(Profile, group.profile_id))
    form = GroupPermissionsForm(prefix="perm")
    form.granted.choices = choices((name, name) for name in sorted(base))
    if not form.validate_on_submit():
        return render_page("admin/group.html", **_group_context(group, perm_form=form)), 422
    excluded = base - set(form.granted.data or ())
    old = set(db.scalars(select(AccessGroupExclusion.permission)
                         .where(AccessGroupExclusion.group_id == group.id)))
    # Exclusions of permissions not offered now (disabled plugins) are kept.
    db.execute(delete(AccessGroupExclusion).where(
        AccessGroupExclusion.group_id == group.id,
        AccessGroupExclusion.permission.in_((old & base) - excluded)))
    db.add_all(AccessGroupExclusion(group_id=group.id, permission=p) for p in excluded - old)
    audit.record("group.permissions", "group", group.id, excluded=sorted(excluded))
    db.commit()
    flash(_("Permissions of the group saved."), "success")
    return redirect(url_for("admin.group", group_id=group.id), code=303)


@bp.route("/groups/<int:group_id>/restrictions/<kind>", methods=["POST"])
@require_staff
def group_restriction(group_id: int, kind: str):
    group = get_or_404(AccessGroup, group_id)
    found = [k for k in get_registry().restriction_kinds() if k.name == kind]
    if not found:
        abort(404)
    db = get_session()
    restriction = found[0]
    if restriction.lookup is not None:
        form = TypedRestrictionForm(prefix=f"r-{kind}")
        valid = form.validate_on_submit()
        typed = form.typed_values()
        unknown = [v for v in typed if v not in restriction.lookup(db, typed)] if valid else []
        if unknown:
            form.values.errors.append(_("Not found: %(values)s", values=", ".join(unknown[:20])))
            valid = False
        wanted = set(typed)
    else:
        form = RestrictionForm(prefix=f"r-{kind}")
        form.values.choices = choices((str(v), label)
                                     for v, label in restriction.options(db))
        valid = form.validate_on_submit()
        wanted = set(form.values.data or ())
    if not valid:
        context = _group_context(group, **{f"restriction:{kind}": form})
        return render_page("admin/group.html", **context), 422
    db.execute(delete(AccessGroupRestriction).where(
        AccessGroupRestriction.group_id == group.id, AccessGroupRestriction.kind == kind))
    db.add_all(AccessGroupRestriction(group_id=group.id, kind=kind, value=v) for v in wanted)
    audit.record("group.restriction", "group", group.id, kind=kind, values=sorted(wanted))
    db.commit()
    flash(_("Restriction saved.") if wanted else _("Restriction removed."), "success")
    return redirect(url_for("admin.group", group_id=group.id), code=303)


@bp.route("/groups/<int:group_id>/members", methods=["POST"])
@require_staff
def add_member(group_id: int):
    group = get_or_404(AccessGroup, group_id)
    db = get_session()
    form = AddMemberForm(prefix="member")
    if form.validate_on_submit():
        user = db.scalar(select(User).where(func.lower(User.username)
                                            == form.username.data.lower()))
        if user is None or user.kind != CUSTOMER:
            form.username.errors.append(_("No external user has this user name."))
        elif db.get(AccessGroupMember, (group.id, user.id)) is not None:
            form.username.errors.append(_("%(user)s is already a member.", user=user.username))
        else:
            db.add(AccessGroupMember(group_id=group.id, user_id=user.id))
            audit.record("group.member_add", "user", user.id, group=group.name,
                         group_id=group.id, username=user.username)
            db.commit()
            flash(_("%(user)s added to %(group)s.", user=user.username, group=group.name),
                  "success")
            return redirect(url_for("admin.group", group_id=group.id), code=303)
    return render_page("admin/group.html", **_group_context(group, member_form=form)), 422


@bp.route("/groups/<int:group_id>/members/<int:user_id>/remove", methods=["POST"])
@require_staff
def remove_member(group_id: int, user_id: int):
    group = get_or_404(AccessGroup, group_id)
    user = get_or_404(User, user_id, kind=CUSTOMER)
    remove_membership(group, user)
    return redirect(url_for("admin.group", group_id=group.id), code=303)
