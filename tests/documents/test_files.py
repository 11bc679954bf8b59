"""Supplier files: staff upload with limits, customer downloads, visibility, safe names."""

from __future__ import annotations

import io
import os
from urllib.parse import quote

import pytest

from plugins.documents.models import SupplierFile, SupplierFileGroup

PDF = b"%PDF-1.4\n% test catalogue\n"


def upload(client, url="/admin/documents/files/new", name="katalog.pdf", data=PDF, **fields):
    form = {"title": "Katalog 2026", "category": "catalogue", "description": "Yeni ürünler"}
    form.update(fields)
    if name is not None:
        form["file"] = (io.BytesIO(data), name)
    return client.post(url, data=form, content_type="multipart/form-data")


@pytest.fixture
def stored_file(app, db, staff, client):
    """A file uploaded by staff through the page (then the client signs out)."""
    client.login(staff.username)
    response = upload(client, name="şğı Fiyat Listesi.pdf", title="Fiyat listesi",
                      category="price_list")
    assert response.status_code == 303, response.text
    client.post("/logout")
    return db.query(SupplierFile).one()


def test_staff_upload_is_stored_under_a_generated_name(app, db, stored_file):
    assert stored_file.original_name == "şğı Fiyat Listesi.pdf"
    assert stored_file.stored_name != stored_file.original_name
    assert all(ch in "0123456789abcdef" for ch in stored_file.stored_name)
    path = os.path.join(app.instance_path, "documents_files", stored_file.stored_name)
    with open(path, "rb") as handle:
        assert handle.read() == PDF
    assert stored_file.size == len(PDF)


def test_customer_downloads_with_a_safe_turkish_name(client, customer, stored_file):
    client.login(customer.username)
    soup = client.soup("/documents/downloads/")
    assert soup.find("h2", string="Price lists") is not None
    link = soup.find("a", string="Fiyat listesi")
    response = client.get(link["href"])
    assert response.status_code == 200
    assert response.data == PDF
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('şğı Fiyat Listesi.pdf')}" in disposition
    assert response.mimetype == "application/pdf"


def test_uploaded_name_with_folders_is_reduced_to_a_plain_name(client, staff, db, app):
    client.login(staff.username)
    response = upload(client, name="../../etc/pass\u0000wd.pdf")
    assert response.status_code == 303
    item = db.query(SupplierFile).one()
    assert item.original_name == "passwd.pdf"
    stored = os.listdir(os.path.join(app.instance_path, "documents_files"))
    assert stored == [item.stored_name]


@pytest.mark.parametrize("url", [
    "/documents/downloads/..%2F..%2Fsecret_key",
    "/documents/downloads/../../secret_key",
    "/documents/downloads/%2e%2e/instance",
    "/documents/downloads/999999",
])
def test_download_urls_cannot_reach_other_files(client, customer, stored_file, url):
    client.login(customer.username)
    response = client.get(url)
    assert response.status_code == 404
    assert b"test-secret" not in response.data


def test_files_limited_to_groups_and_withdrawn_files_are_hidden(client, db, customer, make_user,
                                                                stored_file, staff):
    from portal.core.models import AccessGroup, Profile

    profile = db.query(Profile).filter_by(key="customer").one()
    dealers = AccessGroup(name="Dealers", profile_id=profile.id)
    db.add(dealers)
    db.flush()
    db.add(SupplierFileGroup(file_id=stored_file.id, group_id=dealers.id))
    db.commit()
    dealer = make_user("dealer", groups=[dealers])
    url = f"/documents/downloads/{stored_file.id}"

    client.login(customer.username)  # not a dealer
    assert "Fiyat listesi" not in client.get("/documents/downloads/").text
    assert client.get(url).status_code == 404
    client.post("/logout")

    client.login(dealer.username)
    assert "Fiyat listesi" in client.get("/documents/downloads/").text
    assert client.get(url).status_code == 200
    client.post("/logout")

    client.login(staff.username)
    assert client.post(f"/admin/documents/files/{stored_file.id}/withdraw").status_code == 303
    client.post("/logout")
    client.login(dealer.username)
    assert "Fiyat listesi" not in client.get("/documents/downloads/").text
    assert client.get(url).status_code == 404


def test_upload_limits_are_enforced_with_a_clear_message(make_app, db, staff, app):
    limited = make_app(DOCUMENTS_MAX_FILE_BYTES=10, DOCUMENTS_ALLOWED_EXTENSIONS="pdf,xlsx")
    from tests.conftest import PortalClient

    limited.test_client_class = PortalClient
    client = limited.test_client()
    client.login(staff.username)
    big = upload(client, data=b"x" * 11)
    assert big.status_code == 422
    assert "larger than the limit of 10 B" in big.get_data(as_text=True)
    assert 'value="Katalog 2026"' in big.get_data(as_text=True)  # input kept
    exe = upload(client, name="setup.exe", data=b"MZ")
    assert exe.status_code == 422
    assert "(.exe) are not accepted" in exe.get_data(as_text=True)
    assert "pdf, xlsx" in exe.get_data(as_text=True)
    missing = upload(client, name=None)
    assert missing.status_code == 422 and "Choose a file" in missing.get_data(as_text=True)
    assert db.query(SupplierFile).count() == 0
    folder = os.path.join(limited.instance_path, "documents_files")
    assert not os.path.isdir(folder) or os.listdir(folder) == []


def test_staff_replace_and_describe_a_file(client, db, staff, stored_file, app):
    client.login(staff.username)
    old_name = stored_file.stored_name
    page = client.soup(f"/admin/documents/files/{stored_file.id}")
    assert page.find("input", id="title")["value"] == "Fiyat listesi"
    response = upload(client, url=f"/admin/documents/files/{stored_file.id}",
                      name="Fiyat Listesi Mart.xlsx", data=b"new", title="Mart fiyatları",
                      category="price_list")
    assert response.status_code == 303
    db.expire_all()
    item = db.get(SupplierFile, stored_file.id)
    assert (item.title, item.original_name, item.size) == ("Mart fiyatları",
                                                           "Fiyat Listesi Mart.xlsx", 3)
    folder = os.path.join(app.instance_path, "documents_files")
    assert old_name not in os.listdir(folder)  # the old file is gone
    describe = upload(client, url=f"/admin/documents/files/{stored_file.id}", name=None,
                      title="Mart fiyat listesi", category="price_list")
    assert describe.status_code == 303
    db.expire_all()
    assert db.get(SupplierFile, stored_file.id).original_name == "Fiyat Listesi Mart.xlsx"


def test_customers_cannot_use_staff_file_pages(client, customer, stored_file):
    client.login(customer.username)
    assert client.get("/admin/documents/files/").status_code == 403
    assert client.get(f"/admin/documents/files/{stored_file.id}/download").status_code == 403
    assert upload(client).status_code == 403


def test_staff_file_pages_list_and_offer_the_upload_form(client, staff, stored_file):
    client.login(staff.username)
    listing = client.soup("/admin/documents/files/")
    row = listing.find("a", string="Fiyat listesi").find_parent("tr")
    assert "every customer" in row.text and "available" in row.text
    form = client.soup("/admin/documents/files/new").find("form", enctype="multipart/form-data")
    for field_id in ("title", "category", "description", "file"):
        assert form.find("label", attrs={"for": field_id}) is not None
    assert "At most 20 MB" in form.text
