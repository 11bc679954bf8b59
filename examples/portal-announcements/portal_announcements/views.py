"""Customer pages under /announcements/, staff pages under /admin/announcements/."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.core import audit
from portal.core.access import current_company_id, require_permission, staff_only
from portal.core.db import get_session
from portal.core.models import CustomerCompany
from portal.core.rendering import render_page

from . import services
from .forms import AnnouncementForm
from .models import Announcement

bp = Blueprint("announcements", __name__, template_folder="templates")
staff_bp = staff_only(Blueprint("announcements_staff", __name__, template_folder="templates",
                                url_prefix="/admin/announcements"))


@bp.route("/")
@require_permission("announcements.view")
def index():
    page = request.args.get("page", 1, type=int)
    rows, pages = services.visible_page(get_session(), current_company_id(), page,
                                        current_app.config["ANNOUNCEMENTS_PER_PAGE"])
    return render_page("announcements/index.html",
                       {"announcement-list": "announcements/_list.html"},
                       announcements=rows, page=page, pages=pages)


@bp.route("/<int:announcement_id>")
@require_permission("announcements.view")
def show(announcement_id: int):
    row = services.get_visible(get_session(), current_company_id(), announcement_id)
    if row is None:
        abort(404)
    return render_page("announcements/show.html", announcement=row)


@bp.route("/panel")
@require_permission("announcements.view")
def panel():
    rows, _pages = services.visible_page(get_session(), current_company_id(), 1,
                                         current_app.config["ANNOUNCEMENTS_PANEL_SIZE"])
    return render_page("announcements/panel.html",
                       {"panel-announcements": "announcements/_panel.html"}, announcements=rows)


def _company_names(session, rows) -> dict[int, str]:
    """The names of the companies the listed announcements are for (one query)."""
    ids = {row.company_id for row in rows if row.company_id}
    if not ids:
        return {}
    return dict(session.execute(select(CustomerCompany.id, CustomerCompany.name)
                                .where(CustomerCompany.id.in_(ids))).all())


@staff_bp.route("/", methods=["GET", "POST"], endpoint="index")
def index_staff():
    session = get_session()
    form = AnnouncementForm()
    if form.validate_on_submit():
        row = services.publish(session, form.title.data, form.body.data,
                               form.company.data or None, current_user.id)
        audit.record("announcements.publish", "announcement", row.id, title=row.title)
        session.commit()
        flash(_("Announcement published."), "success")
        return redirect(url_for("announcements_staff.index"), code=303)
    page = request.args.get("page", 1, type=int)
    rows, pages = services.staff_page(session, page)
    names = _company_names(session, rows)
    status = 422 if form.errors else 200
    return render_page("announcements/staff_index.html", form=form, announcements=rows,
                       page=page, pages=pages, company_names=names), status



@staff_bp.route("/<int:announcement_id>/withdraw", methods=["POST"])
def withdraw(announcement_id: int):
    session = get_session()
    row = session.get(Announcement, announcement_id)
    if row is None:
        abort(404)
    if services.withdraw(row):
        audit.record("announcements.withdraw", "announcement", row.id)
        session.commit()
        flash(_("Announcement withdrawn."), "success")
    return redirect(url_for("announcements_staff.index"), code=303)
