"""Supplier files: staff upload with limits, customer downloads, visibility, safe names."""

from __future__ import annotations

import io
import os
from urllib.parse import quote

import pytest

from plugins.documents.models import SupplierFile, SupplierFileGroup
from portal.core.storage import get_storage

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
    area, _slash, name = stored_file.stored_name.partition("/")
    assert area == "documents" and all(ch in "0123456789abcdef" for ch in name)
    with get_storage(app).open(stored_file.stored_name) as handle:  # the shared storage
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


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "a/\u0000b.pdf", "/etc/x.pdf"])
def test_an_uploaded_name_with_folders_is_refused_beside_the_field(client, staff, db, app, name):
    from bs4 import BeautifulSoup

    client.login(staff.username)
    response = upload(client, name=name, title="Katalog Ağustos")
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert "must not hold folders" in page.find(id="file-error").get_text()
    assert page.find(id="title")["value"] == "Katalog Ağustos"  # what was typed is kept
    assert db.query(SupplierFile).count() == 0
    assert not (get_storage(app).root / "documents").exists() or not os.listdir(
        get_storage(app).root / "documents")


def test_backslash_folders_count_as_folders_too():
    from portal.core.storage import has_folders

    assert has_folders("..\\..\\evil.pdf") and has_folders("C:\\x\u0000.pdf")
    assert not has_folders("Fiyat listesi \u2013 A\u011fustos.pdf")


def test_control_characters_leave_the_name_and_unicode_stays(client, staff, db, app):
    client.login(staff.username)
    assert upload(client, name="a.html\u0000.pdf").status_code == 303
    assert upload(client, name="Fiyat listesi \u2013 A\u011fustos\u0007.pdf").status_code == 303
    names = sorted(f.original_name for f in db.query(SupplierFile))
    assert names == ["Fiyat listesi \u2013 A\u011fustos.pdf", "a.html.pdf"]


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
    from portal.testing import PortalClient

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
    folder = get_storage(limited).root / "documents"
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
    assert get_storage(app).open(old_name) is None  # the old file is gone
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


def test_files_kept_before_the_storage_are_served_then_moved_into_it(app, db, client, customer):
    legacy = os.path.join(app.instance_path, "documents_files")
    os.makedirs(legacy, exist_ok=True)
    name = "0123456789abcdef0123456789abcdef"
    with open(os.path.join(legacy, name), "wb") as handle:
        handle.write(PDF)
    db.add(SupplierFile(category="catalogue", title="Eski katalog", original_name="eski.pdf",
                        stored_name=name, content_type="application/pdf", size=len(PDF)))
    db.commit()
    client.login(customer.username)
    link = client.soup("/documents/downloads/").find("a", string="Eski katalog")
    assert client.get(link["href"]).data == PDF  # served from the old folder

    from plugins.documents.files import move_legacy_files

    with app.app_context():
        from portal.core.db import get_session

        assert move_legacy_files(get_session()) == 1
        assert move_legacy_files(get_session()) == 0  # nothing left: running again is harmless
    db.expire_all()
    item = db.query(SupplierFile).one()
    assert item.stored_name.startswith("documents/")
    assert not os.path.exists(os.path.join(legacy, name))
    assert client.get(link["href"]).data == PDF  # now from the storage


def test_the_move_files_command_reports_what_it_moved(app, db):
    legacy = os.path.join(app.instance_path, "documents_files")
    os.makedirs(legacy, exist_ok=True)
    name = "fedcba9876543210fedcba9876543210"
    with open(os.path.join(legacy, name), "wb") as handle:
        handle.write(PDF)
    db.add(SupplierFile(category="other", title="Eski", original_name="eski.pdf",
                        stored_name=name, content_type="application/pdf", size=len(PDF)))
    db.commit()
    result = app.test_cli_runner().invoke(args=["documents-move-files"])
    assert result.exit_code == 0 and "1 supplier files moved" in result.output
    db.expire_all()
    with get_storage(app).open(db.query(SupplierFile).one().stored_name) as handle:
        assert handle.read() == PDF
