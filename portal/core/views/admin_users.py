"""External users (staff) and staff users (administrators): lists, creation, the user card.

A user created without a password gets a one-time activation link (7 days) that is shown once
to the staff member; only its SHA-256 is stored. Deactivating a user or resetting the password
ends the user's sessions (in the same transaction).
"""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, func, or_, select

from portal.core import audit, mails, sessions
from portal.core.access import require_admin, require_staff
from portal.core.admin_forms import (
    AddToGroupForm,
    EditPersonForm,
    ExternalUserForm,
    StaffUserForm,
)
from portal.core.db import assign_changed, get_session, utcnow
from portal.core.forms import choices
from portal.core.models import (
    CUSTOMER,
    STAFF,
    AccessGroup,
    AccessGroupMember,
    CustomerCompany,
    User,
    UserSession,
)
from portal.core.paging import Key
from portal.core.params import parse_id
from portal.core.passwords import hash_password
from portal.core.rendering import render_page
from portal.core.text import search_key
from portal.core.views.admin import bp
from portal.core.views.admin_common import (
    ACTIVE,
    DEACTIVATED,
    INVITED,
    LINK_EXPIRED,
    STATUS_BADGES,
    STATUS_LABELS,
    get_or_404,
    new_activation,
    paginate,
    remove_membership,
    user_status,
)
from portal.core.views.admin_companies import _like

STATUS_FILTERS = (INVITED, LINK_EXPIRED, ACTIVE, DEACTIVATED)


def _status_condition(status: str):
    now = utcnow()
    has_link = User.activation_token_hash.is_not(None)
    return {
        INVITED: and_(User.is_active, has_link, User.activation_expires_at > now),
        LINK_EXPIRED: and_(User.is_active, has_link, User.activation_expires_at <= now),
        ACTIVE: and_(User.is_active, User.activation_token_hash.is_(None),
                     User.password_hash.is_not(None)),
        DEACTIVATED: User.is_active.is_(False),
    }[status]


def _username_taken(form) -> bool:
    name = form.username.data.lower()
    if get_session().scalar(select(User.id).where(func.lower(User.username) == name)):
        form.username.errors.append(_("This user name is taken."))
        return True
    return False


def _list(kind: str, template: str, table_id: str, table_template: str):
    args = request.args
    q = (args.get("q") or "").strip()
    status = args.get("status") or ""
    company_id = args.get("company", type=parse_id)
    db = get_session()
    stmt = (select(User, CustomerCompany.name.label("company_name"))
            .outerjoin(CustomerCompany, CustomerCompany.id == User.company_id)
            .where(User.kind == kind).order_by(User.username, User.id))
    if q:
        pattern = _like(search_key(q))
        stmt = stmt.where(or_(User.search_key.like(pattern, escape="\\"),
                              CustomerCompany.search_key.like(pattern, escape="\\")))
    if status in STATUS_FILTERS:
        stmt = stmt.where(_status_condition(status))
    if company_id:
        stmt = stmt.where(User.company_id == company_id)
    page = paginate(stmt, [Key(User.username), Key(User.id)], scalars=False)
    groups: dict[int, list[str]] = {}
    if kind == CUSTOMER and page.items:
        for user_id, name in db.execute(
                select(AccessGroupMember.user_id, AccessGroup.name)
                .join(AccessGroup, AccessGroup.id == AccessGroupMember.group_id)
                .where(AccessGroupMember.user_id.in_([row.User.id for row in page.items]))
                .order_by(AccessGroup.name)):
            groups.setdefault(user_id, []).append(name)
    company = db.get(CustomerCompany, company_id) if company_id else None
    return render_page(template, {table_id: table_template}, page=page, q=q,
                       status_filter=status, company=company, groups=groups,
                       user_status=user_status,
                       status_labels=STATUS_LABELS, status_badges=STATUS_BADGES,
                       status_filters=STATUS_FILTERS)


def _create(form, kind: str, **fields):
    """Create the user from a validated form; returns the activation URL or None."""
    db = get_session()
    user = User(username=form.username.data, kind=kind, full_name=form.full_name.data,
                email=form.email.data or "", phone=form.phone.data or "", **fields)
    link = None
    if form.password.data:
        user.password_hash = hash_password(form.password.data)
    db.add(user)
    if not form.password.data:
        link = new_activation(user)
        mails.queue_invitation(db, user, link)
    db.flush()
    return user, link


def _card_context(user: User, **forms):
    db = get_session()
    company = db.get(CustomerCompany, user.company_id) if user.company_id else None
    member_of = db.execute(
        select(AccessGroup).join(AccessGroupMember, AccessGroupMember.group_id == AccessGroup.id)
        .where(AccessGroupMember.user_id == user.id).order_by(AccessGroup.name)).scalars().all()
    group_form = forms.get("group_form") or AddToGroupForm(prefix="group")
    if user.is_customer:
        joined = {g.id for g in member_of}
        group_form.group_id.choices = choices((g.id, g.name) for g in db.scalars(
            select(AccessGroup).order_by(AccessGroup.name)) if g.id not in joined)
    session_count = db.scalar(select(func.count()).select_from(UserSession)
                              .where(UserSession.user_id == user.id))
    edit_form = forms.get("edit_form") or EditPersonForm(obj=user, prefix="edit")
    throttle = current_app.extensions["portal.throttle"]
    return dict(user=user, company=company, member_of=member_of, group_form=group_form,
                edit_form=edit_form, session_count=session_count, user_state=user_status(user),
                sign_in_lock=throttle.lock(user.username),
                sign_in_addresses=throttle.address_limits(user.username),
                status_labels=STATUS_LABELS, status_badges=STATUS_BADGES)


def _card(user: User, status: int = 200, **forms):
    return render_page("admin/user.html", **_card_context(user, **forms)), status


def _card_url(user: User) -> str:
    endpoint = "admin.user" if user.is_customer else "admin.staff_user"
    return url_for(endpoint, user_id=user.id)


def _edit(user: User):
    form = EditPersonForm(prefix="edit")
    if not form.validate_on_submit():
        return _card(user, status=422, edit_form=form)
    changed = assign_changed(user, {name: getattr(form, name).data or ""
                                    for name in ("full_name", "email", "phone")})
    if changed:
        audit.record("user.update", "user", user.id, username=user.username, fields=changed)
    get_session().commit()
    flash(_("Details saved."), "success")
    return redirect(_card_url(user), code=303)


def _set_active(user: User, active: bool):
    if user.is_active == active:
        return redirect(_card_url(user), code=303)
    if not active and user.id == current_user.id:
        flash(_("You cannot deactivate yourself."), "error")
        return redirect(_card_url(user), code=303)
    db = get_session()
    user.is_active = active
    if not active:
        sessions.end_all(db, user.id)
    audit.record("user.reactivate" if active else "user.deactivate", "user", user.id,
                 username=user.username)
    db.commit()
    flash(_("%(user)s can sign in again.", user=user.username) if active
          else _("%(user)s is deactivated and has been signed out.", user=user.username),
          "success")
    return redirect(_card_url(user), code=303)


def _reset_password(user: User):
    if user.id == current_user.id:
        flash(_("Change your own password under My account."), "error")
        return redirect(_card_url(user), code=303)
    db = get_session()
    link = new_activation(user)
    mails.queue_invitation(db, user, link)
    sessions.end_all(db, user.id)
    audit.record("user.reset_password", "user", user.id, username=user.username)
    db.commit()
    return render_page("admin/activation_link.html", user=user, link=link, reset=True)


def _resend_invitation(user: User):
    """A new activation link by e-mail for a user who has not chosen a password yet."""
    if user.password_hash is not None or not user.is_active:
        flash(_("%(user)s has already chosen a password.", user=user.username)
              if user.is_active else _("%(user)s is deactivated.", user=user.username), "error")
        return redirect(_card_url(user), code=303)
    if not user.email:
        flash(_("%(user)s has no e-mail address: add one under Contact details first.",
                user=user.username), "error")
        return redirect(_card_url(user), code=303)
    db = get_session()
    mails.queue_invitation(db, user, new_activation(user))
    audit.record("user.invite_resent", "user", user.id, username=user.username)
    db.commit()
    flash(_("A new invitation is on its way to %(email)s; the earlier link no longer works.",
            email=user.email), "success")
    return redirect(_card_url(user), code=303)


def _clear_sign_in_lock(user: User):
    """Forget the account's failed sign-ins (every address, every device) at once."""
    throttle = current_app.extensions["portal.throttle"]
    lock = throttle.lock(user.username)
    audit.record("user.sign_in_lock_cleared", "user", user.id, username=user.username,
                 failures=lock.failures if lock else 0)
    get_session().commit()  # recorded first: the counters may live outside the database
    throttle.clear(user.username)
    flash(_("Sign-in of %(user)s is no longer slowed down.", user=user.username), "success")
    return redirect(_card_url(user), code=303)


def _clear_sign_in_address(user: User):
    """Forget the address limit of one address listed on the card (for everyone behind it)."""
    throttle = current_app.extensions["portal.throttle"]
    address = request.form.get("address", "")
    limit = next((a for a in throttle.address_limits(user.username) if a.address == address),
                 None)
    if limit is None:  # cleared meanwhile, or never listed: nothing to do
        flash(_("Sign-in from this address is not slowed down."), "error")
        return redirect(_card_url(user), code=303)
    audit.record("user.sign_in_address_cleared", "user", user.id, username=user.username,
                 address=address, accounts=limit.accounts)
    get_session().commit()  # recorded first: the counters may live outside the database
    throttle.clear_address(user.username, address)
    flash(_("Sign-in from %(address)s is no longer slowed down.", address=address), "success")
    return redirect(_card_url(user), code=303)


# -- external users -------------------------------------------------------------------------


@bp.route("/users")
@require_staff
def users():
    return _list(CUSTOMER, "admin/users.html", "user-table", "admin/_users.html")


@bp.route("/users/new", methods=["GET", "POST"])
@require_staff
def new_user():
    db = get_session()
    form = ExternalUserForm()
    form.group_id.choices = choices([(0, _("— no group yet —"))] + [
        (g.id, g.name) for g in db.scalars(select(AccessGroup).order_by(AccessGroup.name))])
    if request.method == "GET" and request.args.get("company", type=parse_id):
        form.company.data = request.args.get("company", type=parse_id)
    if form.validate_on_submit() and not _username_taken(form):
        user, link = _create(form, CUSTOMER, company_id=form.company.data)
        if form.group_id.data:
            db.add(AccessGroupMember(group_id=form.group_id.data, user_id=user.id))
        audit.record("user.create", "user", user.id, username=user.username, kind=CUSTOMER,
                     company_id=user.company_id, group_id=form.group_id.data or None,
                     activation_link=link is not None)
        db.commit()
        if link:
            return render_page("admin/activation_link.html", user=user, link=link, reset=False)
        flash(_("User %(user)s created.", user=user.username), "success")
        return redirect(url_for("admin.user", user_id=user.id), code=303)
    form.password.data = ""
    return render_page("admin/user_new.html", form=form,
                       staff=False), (422 if form.errors else 200)


@bp.route("/users/<int:user_id>")
@require_staff
def user(user_id: int):
    return _card(get_or_404(User, user_id, kind=CUSTOMER))


@bp.route("/users/<int:user_id>/edit", methods=["POST"])
@require_staff
def edit_user(user_id: int):
    return _edit(get_or_404(User, user_id, kind=CUSTOMER))


@bp.route("/users/<int:user_id>/groups", methods=["POST"])
@require_staff
def user_add_group(user_id: int):
    user = get_or_404(User, user_id, kind=CUSTOMER)
    db = get_session()
    form = AddToGroupForm(prefix="group")
    joined = set(db.scalars(select(AccessGroupMember.group_id)
                            .where(AccessGroupMember.user_id == user.id)))
    form.group_id.choices = choices((g.id, g.name) for g in db.scalars(select(AccessGroup))
                                    if g.id not in joined)
    if not form.validate_on_submit():
        return _card(user, status=422, group_form=form)
    group = db.get(AccessGroup, form.group_id.data)
    db.add(AccessGroupMember(group_id=group.id, user_id=user.id))
    audit.record("group.member_add", "user", user.id, group=group.name, group_id=group.id,
                 username=user.username)
    db.commit()
    flash(_("%(user)s added to %(group)s.", user=user.username, group=group.name), "success")
    return redirect(url_for("admin.user", user_id=user.id), code=303)


@bp.route("/users/<int:user_id>/groups/<int:group_id>/remove", methods=["POST"])
@require_staff
def user_remove_group(user_id: int, group_id: int):
    user = get_or_404(User, user_id, kind=CUSTOMER)
    group = get_or_404(AccessGroup, group_id)
    remove_membership(group, user)
    return redirect(url_for("admin.user", user_id=user.id), code=303)


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@require_staff
def deactivate_user(user_id: int):
    return _set_active(get_or_404(User, user_id, kind=CUSTOMER), False)


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@require_staff
def reactivate_user(user_id: int):
    return _set_active(get_or_404(User, user_id, kind=CUSTOMER), True)


@bp.route("/users/<int:user_id>/resend-invitation", methods=["POST"])
@require_staff
def resend_user_invitation(user_id: int):
    return _resend_invitation(get_or_404(User, user_id, kind=CUSTOMER))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@require_staff
def reset_user_password(user_id: int):
    return _reset_password(get_or_404(User, user_id, kind=CUSTOMER))


@bp.route("/users/<int:user_id>/clear-sign-in-lock", methods=["POST"])
@require_staff
def clear_user_sign_in_lock(user_id: int):
    return _clear_sign_in_lock(get_or_404(User, user_id, kind=CUSTOMER))


@bp.route("/users/<int:user_id>/clear-sign-in-address", methods=["POST"])
@require_staff
def clear_user_sign_in_address(user_id: int):
    return _clear_sign_in_address(get_or_404(User, user_id, kind=CUSTOMER))


# -- staff users (administrators only) ------------------------------------------------------


@bp.route("/staff")
@require_admin
def staff():
    return _list(STAFF, "admin/staff.html", "staff-table", "admin/_staff.html")


@bp.route("/staff/new", methods=["GET", "POST"])
@require_admin
def new_staff():
    form = StaffUserForm()
    if form.validate_on_submit() and not _username_taken(form):
        user, link = _create(form, STAFF, is_admin=bool(form.is_admin.data))
        audit.record("user.create", "user", user.id, username=user.username, kind=STAFF,
                     is_admin=user.is_admin, activation_link=link is not None)
        get_session().commit()
        if link:
            return render_page("admin/activation_link.html", user=user, link=link, reset=False)
        flash(_("User %(user)s created.", user=user.username), "success")
        return redirect(url_for("admin.staff_user", user_id=user.id), code=303)
    form.password.data = ""
    return render_page("admin/user_new.html", form=form,
                       staff=True), (422 if form.errors else 200)


@bp.route("/staff/<int:user_id>")
@require_admin
def staff_user(user_id: int):
    return _card(get_or_404(User, user_id, kind=STAFF))


@bp.route("/staff/<int:user_id>/edit", methods=["POST"])
@require_admin
def edit_staff(user_id: int):
    return _edit(get_or_404(User, user_id, kind=STAFF))


@bp.route("/staff/<int:user_id>/admin", methods=["POST"])
@require_admin
def staff_admin(user_id: int):
    user = get_or_404(User, user_id, kind=STAFF)
    want = request.form.get("is_admin") == "1"
    db = get_session()
    if want == user.is_admin:
        return redirect(url_for("admin.staff_user", user_id=user.id), code=303)
    if not want:
        if user.id == current_user.id:
            flash(_("You cannot take away your own administrator rights."), "error")
            return redirect(url_for("admin.staff_user", user_id=user.id), code=303)
        admins = db.scalar(select(func.count()).select_from(User).where(
            User.kind == STAFF, User.is_admin.is_(True), User.is_active.is_(True),
            User.id != user.id))
        if not admins:
            flash(_("%(user)s is the last administrator.", user=user.username), "error")
            return redirect(url_for("admin.staff_user", user_id=user.id), code=303)
    user.is_admin = want
    audit.record("user.grant_admin" if want else "user.revoke_admin", "user", user.id,
                 username=user.username)
    db.commit()
    flash(_("%(user)s is now an administrator.", user=user.username) if want
          else _("%(user)s is no longer an administrator.", user=user.username), "success")
    return redirect(url_for("admin.staff_user", user_id=user.id), code=303)


@bp.route("/staff/<int:user_id>/deactivate", methods=["POST"])
@require_admin
def deactivate_staff(user_id: int):
    return _set_active(get_or_404(User, user_id, kind=STAFF), False)


@bp.route("/staff/<int:user_id>/reactivate", methods=["POST"])
@require_admin
def reactivate_staff(user_id: int):
    return _set_active(get_or_404(User, user_id, kind=STAFF), True)


@bp.route("/staff/<int:user_id>/reset-password", methods=["POST"])
@require_admin
def reset_staff_password(user_id: int):
    return _reset_password(get_or_404(User, user_id, kind=STAFF))


@bp.route("/staff/<int:user_id>/resend-invitation", methods=["POST"])
@require_admin
def resend_staff_invitation(user_id: int):
    return _resend_invitation(get_or_404(User, user_id, kind=STAFF))


@bp.route("/staff/<int:user_id>/clear-sign-in-lock", methods=["POST"])
@require_admin
def clear_staff_sign_in_lock(user_id: int):
    return _clear_sign_in_lock(get_or_404(User, user_id, kind=STAFF))


@bp.route("/staff/<int:user_id>/clear-sign-in-address", methods=["POST"])
@require_admin
def clear_staff_sign_in_address(user_id: int):
    return _clear_sign_in_address(get_or_404(User, user_id, kind=STAFF))
