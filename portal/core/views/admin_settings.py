"""Settings › Users and rights: the "Allow external user access" switch (every staff member:
the representative opens the portal to customers; administrators manage plugins and staff)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from sqlalchemy import delete, select

from portal.core import audit
from portal.core.access import require_staff
from portal.core.admin_forms import SettingsForm
from portal.core.db import get_session
from portal.core.models import CUSTOMER, User, UserSession
from portal.core.rendering import render_page
from portal.core.settings import EXTERNAL_ACCESS, external_access_enabled, set_setting
from portal.core.views.admin import bp


@bp.route("/settings", methods=["GET", "POST"])
@require_staff
def settings():
    form = SettingsForm()
    status = 200
    if form.validate_on_submit():
        want = bool(form.external_access.data)
        if want != external_access_enabled():
            db = get_session()
            set_setting(db, EXTERNAL_ACCESS, "1" if want else "0")
            if not want:
                # Signed-in customers are signed out at their next request, and stay signed out
                # when access is switched on again.
                db.execute(delete(UserSession).where(UserSession.user_id.in_(
                    select(User.id).where(User.kind == CUSTOMER))))
            audit.record("settings.external_access", "setting", EXTERNAL_ACCESS,
                         enabled=want)
            db.commit()
            flash(_("External users can sign in now.") if want
                  else _("External user access is switched off; signed-in customers have been "
                         "signed out."), "success")
        return redirect(url_for("admin.settings"), code=303)
    if form.is_submitted():
        status = 400
    form.external_access.data = external_access_enabled()
    return render_page("admin/settings.html", form=form), status
