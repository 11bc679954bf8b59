"""Admin › Branding: the business's name, logo, accent colour, contact details, welcome text.

Open to every staff user, representatives as well as administrators: the seed's "company
representative workflow" makes the representative the person responsible for the portal its
customers see. Administrators keep plugins, staff users and the deliveries.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _

from portal.core import audit
from portal.core.admin_forms import BrandingForm
from portal.core.branding import (
    LOGO_EXTENSIONS,
    LOGO_MAX_BYTES,
    LogoRefused,
    current_brand,
    process_logo,
    store_logo,
)
from portal.core.db import get_session
from portal.core.rendering import render_page
from portal.core.security import body_limit
from portal.core.storage import extension, get_storage
from portal.core.views.admin import bp

TEXT_FIELDS = ("name", "accent", "address", "tax_number", "email", "phone", "welcome_en",
               "welcome_tr")


def _read_logo(upload) -> bytes | None:
    """The processed PNG of an uploaded logo, None when no file was chosen."""
    if upload is None or not upload.filename:
        return None
    if extension(upload.filename) not in LOGO_EXTENSIONS:
        raise LogoRefused(_("Choose a PNG, JPEG or WebP image."))
    data = upload.stream.read(LOGO_MAX_BYTES + 1)
    return process_logo(data)


@bp.route("/branding", methods=["GET", "POST"])
@body_limit(4 * LOGO_MAX_BYTES)  # a larger logo still gets its message beside the field
def branding():
    brand = current_brand()
    form = BrandingForm(data={name: getattr(brand, name) for name in TEXT_FIELDS})
    if request.method == "GET":
        return render_page("admin/branding.html", form=form, brand=brand)
    valid = form.validate_on_submit()
    png = None
    try:
        png = _read_logo(form.logo.data)
    except LogoRefused as exc:
        form.logo.errors = [*form.logo.errors, str(exc)]
        valid = False
    if not valid:
        return render_page("admin/branding.html", form=form, brand=brand), 422
    values = {name: getattr(form, name).data or "" for name in TEXT_FIELDS}
    old_logo = brand.logo
    if png is not None:
        values["logo"] = store_logo(png)
    elif form.remove_logo.data:
        values["logo"] = ""
    db = get_session()
    from portal.core.branding import save_brand

    changed = save_brand(db, values)
    if changed:
        audit.record("settings.branding", "setting", "brand", changed=sorted(changed))
    try:
        db.commit()
    except Exception:
        db.rollback()
        if png is not None:
            get_storage().delete(values["logo"])
        raise
    if "logo" in changed and old_logo:
        try:
            get_storage().delete(old_logo)
        except Exception:  # the old file is only garbage now
            current_app.logger.warning("could not delete the old logo %s", old_logo)
    flash(_("The branding is saved.") if changed else _("Nothing changed."), "success")
    return redirect(url_for("admin.branding"), code=303)
