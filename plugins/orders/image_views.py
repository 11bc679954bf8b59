"""Product images: served to customers who may see the product, uploaded and removed by staff."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from portal.core import audit
from portal.core.access import require_permission, require_staff
from portal.core.db import get_session
from portal.core.rendering import render_page
from portal.core.security import body_limit

from . import catalogue, images
from .blueprint import bp, staff_bp
from .forms import ProductImageForm
from .models import Product

UPLOAD_LIMIT = images.MAX_BYTES + 64 * 1024  # the image and the form around it


@bp.route("/products/<int:product_id>/image/<size>/<version>.webp")
@require_permission("orders.catalogue")
def product_image(product_id: int, size: str, version: str):
    """The product's image for a customer: 404 when the product is not visible to them."""
    row = catalogue.get_visible_or_404(product_id)
    return images.send_image(row.product.image_path, size, version)


# -- staff ---------------------------------------------------------------------------------------


def _product_or_404(product_id: int) -> Product:
    product = get_session().get(Product, product_id)
    if product is None:
        abort(404)
    return product


@staff_bp.route("/products/images")
@require_staff
def product_images():
    """Old address of a second product list: the one staff product list shows the images."""
    q = (request.args.get("q") or "").strip()[:100]
    return redirect(url_for("orders_staff.products", **({"q": q} if q else {})), code=301)


@staff_bp.route("/products/<int:product_id>/image", methods=["GET", "POST"])
@require_staff
@body_limit(UPLOAD_LIMIT)
def product_image_edit(product_id: int):
    product = _product_or_404(product_id)
    form = ProductImageForm()
    status = 200
    if form.validate_on_submit():
        upload = request.files.get("image")
        data = upload.stream.read(images.MAX_BYTES + 1) if upload and upload.filename else b""
        try:
            if not data:
                raise images.ImageRefused(_("Choose an image file."))
            old = images.set_image(product, data)
        except images.ImageRefused as exc:
            form.image.errors = [str(exc)]
            status = 422
        else:
            session = get_session()
            audit.record("orders.product_image", "product", product.id, session=session,
                         code=product.code)
            session.commit()
            images.discard(old)
            flash(_("The image of %(code)s was saved.", code=product.code), "success")
            return redirect(url_for("orders_staff.product_image_edit", product_id=product.id),
                            code=303)
    elif request.method == "POST":
        status = 422
    response = render_page("orders/staff_product_image.html", form=form, product=product,
                           has_image=images.has_image(product.image_path))
    response.status_code = status
    return response


@staff_bp.route("/products/<int:product_id>/image/delete", methods=["POST"])
@require_staff
def product_image_delete(product_id: int):
    product = _product_or_404(product_id)  # CSRF is checked for every POST by the core
    old = images.remove_image(product)
    session = get_session()
    if old:
        audit.record("orders.product_image_removed", "product", product.id, session=session,
                     code=product.code)
    session.commit()
    images.discard(old)
    flash(_("The image of %(code)s was removed.", code=product.code), "success")
    return redirect(url_for("orders_staff.product_image_edit", product_id=product.id), code=303)


@staff_bp.route("/products/<int:product_id>/image/<size>/<version>.webp")
@require_staff
def staff_product_image(product_id: int, size: str, version: str):
    """The image for staff, whatever the product's visibility (withdrawn ones too)."""
    return images.send_image(_product_or_404(product_id).image_path, size, version)
