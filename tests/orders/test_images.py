"""Product images: staff upload, ERP API, serving with cache headers, restrictions, catalogue."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from plugins.orders import images
from plugins.orders.models import Product
from portal.core.storage import get_storage

from .conftest import add_products, restrict


def picture(fmt: str = "PNG", size=(300, 200), colour="red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


def give_image(app, db, product: Product, data: bytes | None = None) -> str:
    with app.test_request_context():
        images.set_image(product, data or picture())
    db.commit()
    return product.image_path


def stored(app, size: str, version: str) -> bytes | None:
    with app.app_context():
        handle = get_storage().open(images.key(size, version))
        if handle is None:
            return None
        with handle:
            return handle.read()


def image_url(product: Product, size: str = "thumb") -> str:
    return f"/orders/products/{product.id}/image/{size}/{product.image_path}.webp"


# -- resizing ------------------------------------------------------------------------------------


def test_an_upload_is_resized_to_square_webp_thumbnail_and_page_size(app):
    with app.test_request_context():
        files = images.resize(picture(size=(1200, 600)))
    for size, edge in images.SIZES.items():
        image = Image.open(io.BytesIO(files[size]))
        assert (image.format, image.size) == ("WEBP", (edge, edge))


@pytest.mark.parametrize(("data", "message"), [
    (b"not an image at all", "not an image"),
    (b"", "empty"),
    (picture("BMP"), r"\(BMP\) are not accepted"),
    (picture(size=(8000, 6000)), "too many pixels"),
    (b"\x89PNG" + b"0" * (images.MAX_BYTES + 1), "larger than the limit"),
])
def test_bad_images_are_refused_with_a_reason(app, data, message):
    with app.test_request_context(), pytest.raises(images.ImageRefused, match=message):
        images.resize(data)


# -- staff upload page ---------------------------------------------------------------------------


def test_staff_find_a_product_and_upload_its_image(staff_client, shop, db, app):
    listing = staff_client.soup("/admin/orders/products?q=vida")
    links = [a["href"] for a in listing.select("#staff-product-table a.product-image-cell")]
    screw = shop.products["VD-100"]
    assert f"/admin/orders/products/{screw.id}/image" in links and len(links) == 2
    page = f"/admin/orders/products/{screw.id}/image"
    assert "This product has no image yet." in staff_client.get(page).text
    response = staff_client.post(page, data={"image": (io.BytesIO(picture("JPEG")), "vida.jpg")},
                                 content_type="multipart/form-data")
    assert response.status_code == 303
    db.expire_all()
    version = db.get(Product, screw.id).image_path
    assert images.has_image(version) and stored(app, "large", version)
    soup = staff_client.soup(page)
    preview = soup.select_one("img.product-image")
    assert preview["src"].endswith(f"/large/{version}.webp") and preview["alt"]
    assert staff_client.get(preview["src"]).status_code == 200
    # a new image replaces the old files; removing it deletes them
    staff_client.post(page, data={"image": (io.BytesIO(picture(colour="blue")), "b.png")},
                      content_type="multipart/form-data")
    db.expire_all()
    newer = db.get(Product, screw.id).image_path
    assert newer != version and stored(app, "thumb", version) is None
    assert staff_client.post(f"{page}/delete").status_code == 303
    db.expire_all()
    assert db.get(Product, screw.id).image_path is None and stored(app, "thumb", newer) is None


def test_one_staff_product_list_shows_the_images(staff_client, shop, db):
    """The product list is the one place staff find a product; its old images list redirects."""
    screw = shop.products["VD-100"]
    page = f"/admin/orders/products/{screw.id}/image"
    staff_client.post(page, data={"image": (io.BytesIO(picture("JPEG")), "vida.jpg")},
                      content_type="multipart/form-data")
    listing = staff_client.soup("/admin/orders/products?q=vida")
    assert len(listing.select("form[role=search]")) == 1
    cell = listing.find("a", href=page)
    assert cell.img["src"].startswith(f"/admin/orders/products/{screw.id}/image/thumb/")
    assert "VD-100" in cell.img["alt"]
    other = next(p for code, p in shop.products.items() if code != "VD-100")
    bare = staff_client.soup(f"/admin/orders/products?q={other.code}").find(
        "a", href=f"/admin/orders/products/{other.id}/image")
    assert bare.img is None and "Add an image" in bare.text
    old = staff_client.get("/admin/orders/products/images?q=vida")
    assert old.status_code == 301
    assert old.headers["Location"].endswith("/admin/orders/products?q=vida")
    back = staff_client.soup(page).find("a", string="Back to the product")
    assert back["href"] == f"/admin/orders/products/{screw.id}"


def test_the_upload_page_refuses_bad_files_beside_the_field(staff_client, shop, db):
    page = f"/admin/orders/products/{shop.products['VD-100'].id}/image"
    response = staff_client.post(page, data={"image": (io.BytesIO(b"%PDF-1.4"), "x.png")},
                                 content_type="multipart/form-data")
    assert response.status_code == 422
    soup = staff_client_soup(response)
    assert soup.select_one("#image")["aria-invalid"] == "true"
    assert "not an image" in soup.select_one("#image-error").get_text()
    nothing = staff_client.post(page, data={}, content_type="multipart/form-data")
    assert nothing.status_code == 422 and "Choose an image file." in nothing.text
    db.expire_all()
    assert db.scalar(select(Product.image_path).where(Product.code == "VD-100")) is None


def staff_client_soup(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.text, "html.parser")


def test_the_upload_needs_a_csrf_token_and_staff(staff_client, shop, customer, client):
    page = f"/admin/orders/products/{shop.products['VD-100'].id}/image"
    refused = staff_client.post(page, csrf=False, content_type="multipart/form-data",
                                data={"image": (io.BytesIO(picture()), "a.png")})
    assert refused.status_code == 400
    assert staff_client.post(f"{page}/delete", csrf=False).status_code == 400
    assert staff_client.get("/admin/orders/products/999999/image").status_code == 404


def test_customers_cannot_reach_the_upload_page(customer_client, shop):
    page = f"/admin/orders/products/{shop.products['VD-100'].id}/image"
    assert customer_client.get(page).status_code in (403, 404)


# -- serving -------------------------------------------------------------------------------------


def test_images_are_served_with_long_private_caching_and_an_etag(buyer, shop, app, db):
    lamp = shop.products["LM-300"]
    give_image(app, db, lamp)
    response = buyer.get(image_url(lamp))
    assert response.status_code == 200 and response.mimetype == "image/webp"
    assert response.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    assert Image.open(io.BytesIO(response.data)).size == (96, 96)
    etag = response.headers["ETag"]
    again = buyer.get(image_url(lamp), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert buyer.get(image_url(lamp, "large")).status_code == 200
    # an old version's URL, an unknown size, and a product without image are not found
    old = image_url(lamp)
    give_image(app, db, lamp)
    assert buyer.get(old).status_code == 404
    assert buyer.get(image_url(lamp, "huge")).status_code == 404
    screw = shop.products["VD-100"]
    assert buyer.get(f"/orders/products/{screw.id}/image/thumb/{'0' * 32}.webp"
                     ).status_code == 404


def test_a_restricted_product_image_is_not_found_for_a_restricted_user(
        buyer, shop, app, db, customer_group):
    screw, lamp = shop.products["VD-100"], shop.products["LM-300"]
    give_image(app, db, screw)
    give_image(app, db, lamp)
    restrict(db, customer_group, "orders.categories", "ELK")
    assert buyer.get(image_url(lamp)).status_code == 200
    assert buyer.get(image_url(screw)).status_code == 404
    assert buyer.get(image_url(screw), headers={"If-None-Match": f'"{screw.image_path}-thumb"'}
                     ).status_code == 404


def test_a_withdrawn_product_image_is_not_served(buyer, shop, app, db):
    lamp = shop.products["LM-300"]
    give_image(app, db, lamp)
    lamp.active = False
    db.commit()
    assert buyer.get(image_url(lamp)).status_code == 404


# -- catalogue and product page ------------------------------------------------------------------


def test_the_catalogue_shows_lazy_thumbnails_and_the_product_page_the_large_image(
        buyer, shop, app, db):
    lamp = shop.products["LM-300"]
    give_image(app, db, lamp)
    soup = buyer.soup("/orders/catalogue")
    thumbs = soup.select("#catalogue-table img.thumb")
    assert len(thumbs) == 1
    thumb = thumbs[0]
    assert thumb["src"] == image_url(lamp)
    assert (thumb["loading"], thumb["width"], thumb["height"], thumb["alt"]) == (
        "lazy", "48", "48", "")
    assert thumb.find_parent("a").get_text(strip=True) == "İstanbul lambası"
    page = buyer.soup(f"/orders/products/{lamp.id}")
    large = page.select_one("img.product-image")
    assert large["src"] == image_url(lamp, "large")
    assert (large["width"], large["height"], large["alt"]) == ("480", "480", "İstanbul lambası")


def test_thumbnails_add_no_query_to_the_catalogue(buyer, shop, app, db, count_queries):
    buyer.get("/orders/catalogue")
    with count_queries() as without:
        buyer.get("/orders/catalogue")
    add_products(db, shop, 30)
    for product in db.scalars(select(Product)):
        product.image_path = "ab" * 16  # the page only builds URLs, it never opens the files
    db.commit()
    with count_queries() as with_images:
        soup = buyer.soup("/orders/catalogue")
    assert len(soup.select("#catalogue-table img.thumb")) == 25
    assert with_images.count == without.count


# -- the ERP API ---------------------------------------------------------------------------------


@pytest.fixture
def erp(api, shop, db):
    product = shop.products["VD-100"]
    product.external_id = "ERP-VD-100"
    db.commit()
    return product


def test_the_erp_puts_and_deletes_a_product_image(api, erp, app, db):
    url = "/api/v1/products/ERP-VD-100/image"
    response = api("PUT", url, data=picture("JPEG"), content_type="image/jpeg")
    assert response.status_code == 200, response.json
    db.expire_all()
    version = db.get(Product, erp.id).image_path
    assert stored(app, "thumb", version)
    assert api("GET", "/api/v1/products/ERP-VD-100").json["has_image"] is True
    # a product PUT without the image keeps it
    api("PUT", "/api/v1/products/ERP-VD-100",
        json={"code": "VD-100", "name": "Vida M6 × 30", "image_path": "old/path.png"})
    db.expire_all()
    assert db.get(Product, erp.id).image_path == version
    assert api("DELETE", url).status_code == 200
    db.expire_all()
    assert db.get(Product, erp.id).image_path is None and stored(app, "thumb", version) is None


def test_the_api_names_the_field_of_a_refused_image(api, erp, db):
    url = "/api/v1/products/ERP-VD-100/image"
    for data, content_type in [(b"plain text", "image/png"), (picture("BMP"), "image/png"),
                               (picture(), "text/plain")]:
        response = api("PUT", url, data=data, content_type=content_type)
        assert response.status_code == 422
        assert response.json["errors"][0]["field"] == "image"
    assert api("PUT", "/api/v1/products/NO-SUCH/image", data=picture(),
               content_type="image/png").status_code == 404
    assert api("PUT", "/api/v1/products/ERP-VD-100/manual", data=picture(),
               content_type="image/png").status_code == 404
    assert api("PUT", url, token="ptk_wrong", data=picture(),
               content_type="image/png").status_code == 401
    db.expire_all()
    assert db.get(Product, erp.id).image_path is None


def test_the_openapi_document_describes_the_image_upload(client, api):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    image = paths["/products/{external_id}/image"]
    assert set(image["put"]["requestBody"]["content"]) == set(images.CONTENT_TYPES)
    assert "422" in image["put"]["responses"] and "delete" in image
