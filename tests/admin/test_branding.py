"""Admin › Branding: staff set the business's name, logo, colour, contact details and welcome
text; the header, the sign-in page, the generated stylesheet, PDFs and mails show them."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from portal.core import branding
from portal.core.models import AuditLog, Setting
from portal.core.notifications import render_mail
from portal.testing import PortalClient

pytest_plugins = ["tests.pdf_text"]

ADDRESS = "İkitelli OSB 12. Blok No: 34\n34490 Başakşehir / İstanbul"
VALID = {"name": "Boğaziçi Endüstriyel A.Ş.", "accent": "#9c3d10", "address": ADDRESS,
         "tax_number": "1790452318", "email": "siparis@bogazici.example",
         "phone": "+90 212 555 40 40", "welcome_en": "Welcome, dear customer.",
         "welcome_tr": "Hoş geldiniz, değerli müşterimiz."}


def image_bytes(fmt: str = "PNG", size=(1200, 400), colour=(156, 61, 16)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return out.getvalue()


def post(client, *, logo=None, **changes):
    data = {**VALID, **changes}
    if logo is not None:
        data["logo"] = (io.BytesIO(logo[1]), logo[0])
    return client.post("/admin/branding", data=data, content_type="multipart/form-data")


def stored(db) -> dict[str, str]:
    db.expire_all()
    return {row.key.removeprefix("brand."): row.value
            for row in db.query(Setting).filter(Setting.key.like("brand.%"))}


def error_of(response, field: str) -> str:
    soup = BeautifulSoup(response.text, "html.parser")
    found = soup.find(id=f"{field}-error")
    assert found is not None, f"no message beside {field}"
    assert soup.find(id=field)["aria-invalid"] == "true"
    return found.get_text(" ", strip=True)


# Who may edit ---------------------------------------------------------------------------------

def test_a_representative_saves_the_branding_and_the_header_shows_it(staff_client, db):
    response = post(staff_client)
    assert response.status_code == 303 and response.location.endswith("/admin/branding")
    assert stored(db) == VALID
    entry = db.query(AuditLog).filter_by(action="settings.branding").one()
    assert "name" in entry.detail["changed"]
    soup = staff_client.soup("/admin/branding")
    assert soup.select_one(".site-header .brand").get_text(strip=True) == VALID["name"]
    assert soup.title.get_text().endswith("· " + VALID["name"])
    assert "The branding is saved." in soup.get_text()
    assert soup.find(id="address").get_text().lstrip("\r\n") == ADDRESS  # what is saved
    # Saving the same again changes nothing and writes no audit entry.
    post(staff_client)
    assert db.query(AuditLog).filter_by(action="settings.branding").count() == 1


def test_administrators_may_edit_it_too(admin_client, db):
    assert post(admin_client).status_code == 303
    assert stored(db)["name"] == VALID["name"]


def test_customers_and_visitors_are_kept_out(customer_client, db, app):
    assert customer_client.get("/admin/branding").status_code == 403
    assert post(customer_client).status_code == 403
    assert stored(db) == {}
    response = _visitor(app).get("/admin/branding")
    assert response.status_code == 302 and "/login" in response.location


def test_the_form_needs_its_csrf_token(staff_client, db):
    response = staff_client.post("/admin/branding", data=VALID, csrf=False)
    assert response.status_code in (400, 422)
    assert stored(db) == {}


def test_the_menu_offers_branding_to_staff(staff_client):
    links = staff_client.soup("/admin/").select("nav.menu a")
    assert "/admin/branding" in [a["href"] for a in links]


# Validation -----------------------------------------------------------------------------------

def test_bad_input_gets_a_message_beside_the_field_and_is_kept(staff_client, db):
    response = post(staff_client, email="not-an-address", name="", phone="call me")
    assert response.status_code == 422
    assert "e-mail address" in error_of(response, "email")
    assert error_of(response, "name")
    assert error_of(response, "phone")
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find(id="email")["value"] == "not-an-address"
    assert soup.find(id="tax_number")["value"] == VALID["tax_number"]
    assert stored(db) == {}


def test_a_colour_with_too_little_contrast_is_refused_with_a_darker_suggestion(staff_client, db):
    response = post(staff_client, accent="#f5b400")
    assert response.status_code == 422
    message = error_of(response, "accent")
    ratio, suggestion = re.search(r"is ([\d.]+):1.*Try (#[0-9a-f]{6}), a darker", message).groups()
    assert float(ratio) < 4.5
    assert branding.accent_contrast(suggestion) >= 4.5
    # The suggestion keeps the hue and is only as dark as needed.
    assert branding.accent_contrast(suggestion) < 5
    assert post(staff_client, accent=suggestion).status_code == 303
    assert stored(db)["accent"] == suggestion


def test_a_malformed_colour_is_refused(staff_client, db):
    response = post(staff_client, accent="blue")
    assert "six hexadecimal digits" in error_of(response, "accent")
    assert post(staff_client, accent="#14A").status_code == 303  # short form, any case
    assert stored(db)["accent"] == "#1144aa"


def test_contrast_figures_follow_wcag():
    assert branding.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert branding.contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert branding.accent_contrast(branding.DEFAULT_ACCENT) >= 4.5
    assert branding.suggest_accent("#ffffff") is not None  # white becomes a dark grey
    assert branding.contrast_ratio(branding.suggest_accent("#ffff00"), "#ffffff") >= 4.5


# The logo -------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt,name", [("PNG", "logo.png"), ("JPEG", "Logo Şirket.JPG"),
                                      ("WEBP", "logo.webp")])
def test_a_logo_is_reencoded_as_a_small_png_and_served_a_year(staff_client, db, app, fmt, name):
    assert post(staff_client, logo=(name, image_bytes(fmt))).status_code == 303
    key = stored(db)["logo"]
    assert key.startswith("branding/")
    soup = staff_client.soup("/admin/branding")
    src = soup.select_one(".site-header .brand img")["src"]
    assert src == f"/branding/logo-{key.partition('/')[2]}.png"
    response = staff_client.get(src)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=31536000" in response.headers["Cache-Control"]
    with Image.open(io.BytesIO(response.data)) as image:
        assert image.format == "PNG" and image.size == (720, 240)  # 1200 × 400 kept in proportion


@pytest.mark.parametrize("name,data,message", [
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "PNG, JPEG or WebP"),
    ("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not a PNG, JPEG or WebP"),
    ("logo.png", image_bytes("GIF"), "not a PNG, JPEG or WebP"),
    ("logo.png", image_bytes()[:60], "not a PNG, JPEG or WebP"),  # cut short
    ("logo.png", b"", "empty"),
])
def test_a_bad_logo_gets_a_message_beside_the_field(staff_client, db, name, data, message):
    response = post(staff_client, logo=(name, data))
    assert response.status_code == 422
    assert message in error_of(response, "logo")
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find(id="name")["value"] == VALID["name"]  # the rest of the input is kept
    assert stored(db) == {}


def test_a_logo_over_two_megabytes_is_refused(staff_client, db):
    noise = Image.frombytes("RGB", (1000, 1000), bytes(range(256)) * 11719 + b"\0" * 36)
    out = io.BytesIO()
    noise.save(out, format="PNG", compress_level=0)
    assert len(out.getvalue()) > branding.LOGO_MAX_BYTES
    response = post(staff_client, logo=("big.png", out.getvalue()))
    assert "at most 2 MB" in error_of(response, "logo")
    assert stored(db) == {}


def test_replacing_and_removing_the_logo(staff_client, db, app):
    post(staff_client, logo=("a.png", image_bytes()))
    first = stored(db)["logo"]
    old_url = f"/branding/logo-{first.partition('/')[2]}.png"
    post(staff_client, logo=("b.png", image_bytes(colour=(0, 0, 0))))
    second = stored(db)["logo"]
    assert second != first
    assert staff_client.get(old_url).status_code == 404
    from portal.core.storage import get_storage

    with app.app_context():
        assert get_storage(app).open(first) is None  # the old file is deleted
    post(staff_client, remove_logo="y")
    assert stored(db)["logo"] == ""
    assert staff_client.soup("/admin/branding").select_one(".site-header .brand img") is None


# The generated stylesheet ---------------------------------------------------------------------

def _stylesheet_url(soup) -> str:
    links = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    found = [href for href in links if href.startswith("/branding-")]
    assert len(found) == 1, links
    return found[0]


def test_the_accent_reaches_the_pages_through_a_hashed_stylesheet(staff_client, app, db):
    client = _visitor(app)
    before = _stylesheet_url(client.soup("/login"))
    response = client.get(before)
    assert response.mimetype == "text/css"
    assert "--accent: #0b5cad;" in response.text
    assert "immutable" in response.headers["Cache-Control"]
    post(staff_client, accent="#1f4e79")
    after = _stylesheet_url(client.soup("/login"))
    assert after != before and re.fullmatch(r"/branding-[0-9a-f]{12}\.css", after)
    assert "--accent: #1f4e79;" in client.get(after).text
    stale = client.get(before)  # a page cached before the change still gets today's colour
    assert "--accent: #1f4e79;" in stale.text and "no-cache" in stale.headers["Cache-Control"]
    soup = client.soup("/login")
    assert not soup.select("[style]") and not soup.find("style")  # nothing inline (CSP)


# Where the brand shows ------------------------------------------------------------------------

def test_the_sign_in_page_shows_the_logo_and_the_welcome_text_in_each_language(
        staff_client, app, db):
    post(staff_client, logo=("a.png", image_bytes()))
    visitor = _visitor(app)
    soup = visitor.soup("/login", headers={"Accept-Language": "en"})
    assert soup.select_one(".login-logo img")["alt"] == VALID["name"]
    assert soup.select_one(".welcome").get_text(strip=True) == VALID["welcome_en"]
    assert soup.select_one(".site-header .brand").get_text(strip=True) == VALID["name"]
    soup = visitor.soup("/login", headers={"Accept-Language": "tr"})
    assert soup.select_one(".welcome").get_text(strip=True) == VALID["welcome_tr"]
    # One language empty: the other one is shown rather than nothing.
    post(staff_client, welcome_tr="")
    soup = visitor.soup("/login", headers={"Accept-Language": "tr"})
    assert soup.select_one(".welcome").get_text(strip=True) == VALID["welcome_en"]


def test_without_branding_the_portal_keeps_its_neutral_name(client):
    soup = client.soup("/login", headers={"Accept-Language": "tr"})
    assert soup.select_one(".site-header .brand").get_text(strip=True) == "Müşteri portalı"
    assert soup.select_one(".welcome") is None and soup.select_one(".login-logo") is None


def test_configured_defaults_apply_until_staff_save(make_app, db):
    app = make_app(BRAND_NAME="Varsayılan Tedarik", BRAND_ACCENT="#1f4e79",
                   BRAND_PHONE="+90 212 000 00 00")
    client = _visitor(app)
    soup = client.soup("/login")
    assert soup.select_one(".site-header .brand").get_text(strip=True) == "Varsayılan Tedarik"
    assert "#1f4e79" in client.get(_stylesheet_url(soup)).text
    with app.test_request_context():
        assert branding.current_brand().phone == "+90 212 000 00 00"


def test_the_document_pdf_has_the_letterhead(staff_client, app, customer, db, pdf_text):
    from tests.pdf_text import has_image

    post(staff_client, logo=("a.png", image_bytes()))
    doc = _invoice(db, customer)
    customer_client = _signed_in(app, "ayse")
    response = customer_client.get(f"/documents/{doc.id}/pdf")
    assert response.status_code == 200
    assert VALID["name"] in pdf_text
    letterhead = "\n".join(pdf_text)
    for expected in ("İkitelli OSB 12. Blok No: 34", "34490 Başakşehir / İstanbul",
                     "Tax number: 1790452318", "Phone: +90 212 555 40 40",
                     "E-mail: siparis@bogazici.example"):
        assert expected in letterhead
    assert has_image(response.data)


def test_the_statement_pdf_uses_the_same_letterhead(app, db, staff_client, customer, pdf_text):
    post(staff_client)
    client = _signed_in(app, "ayse")
    response = client.get("/balances/statement.pdf?period=this_month")
    assert response.status_code == 200
    assert VALID["name"] in pdf_text and "Tax number: 1790452318" in "\n".join(pdf_text)


def test_mails_carry_the_sender_name_and_a_contact_footer(staff_client, app, db):
    post(staff_client)
    from portal.core.site import supplier_name

    with app.app_context():
        mail = render_mail("core/mail/password_reset", "tr", recipient=_Recipient(),
                           link="https://portal.example/reset/x", minutes=60,
                           settings_link=None)
        sender = supplier_name()
    assert sender == VALID["name"]  # the From name of every mail (delivery._send_mail)
    footer = mail.text.split("--\n", 1)[1]
    assert footer.splitlines()[:5] == [VALID["name"], "İkitelli OSB 12. Blok No: 34",
                                       "34490 Başakşehir / İstanbul", "Telefon: +90 212 555 40 40",
                                       "E-posta: siparis@bogazici.example"]
    assert "İkitelli OSB 12. Blok No: 34" in mail.html and VALID["name"] in mail.subject


def test_html_mails_show_the_logo_from_an_absolute_address_and_the_accent(
        staff_client, app, db):
    with app.app_context():
        plain = render_mail("core/mail/password_reset", "en", recipient=_Recipient(),
                            link="https://portal.example/reset/x", minutes=60, settings_link=None)
    assert "<img" not in plain.html  # no logo yet: the name stands at the top
    post(staff_client, logo=("a.png", image_bytes()))
    with app.app_context():
        mail = render_mail("core/mail/password_reset", "en", recipient=_Recipient(),
                           link="https://portal.example/reset/x", minutes=60, settings_link=None)
    img = BeautifulSoup(mail.html, "html.parser").find("img")
    assert img["alt"] == VALID["name"]
    assert img["src"].startswith("http") and "/branding/logo-" in img["src"]
    served = staff_client.get(urlsplit(img["src"]).path)
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert "border-top: 4px solid #9c3d10" in mail.html


# Turkish, and the cost of a page ----------------------------------------------------------------

def test_the_admin_page_and_its_messages_are_in_turkish(make_user, client, db):
    make_user("temsilci", kind="staff", locale="tr")
    client.login("temsilci")
    soup = client.soup("/admin/branding")
    assert soup.h1.get_text() == "Marka"
    assert soup.find("label", attrs={"for": "accent"}).get_text() == "Vurgu rengi"
    response = post(client, accent="#f5b400")
    message = error_of(response, "accent")
    assert re.search(r"\d,\d+:1", message) and "daha koyu" in message


def test_branding_costs_no_query_of_its_own(staff_client, count_queries, db):
    staff_client.get("/admin/branding")
    with count_queries() as plain:
        staff_client.get("/admin/")
    post(staff_client, logo=("a.png", image_bytes()))
    with count_queries() as branded:
        staff_client.get("/admin/")
    assert branded.count == plain.count


# helpers --------------------------------------------------------------------------------------

class _Recipient:
    display_name = "Ayşe Demir"
    username = "ayse"


def _visitor(app) -> PortalClient:
    app.test_client_class = PortalClient
    return app.test_client()


def _signed_in(app, username) -> PortalClient:
    client = _visitor(app)
    client.login(username)
    return client


def _invoice(db, customer):
    import datetime as dt
    from decimal import Decimal

    from plugins.documents.services import LineData, create_document

    doc = create_document(db, company_id=customer.company_id, doc_type="invoice",
                          number="INV-BRAND-1", issued_on=dt.date(2026, 3, 5), currency="TRY",
                          lines=[LineData(product_code="AY-1", product_name="Cıvata M8",
                                          quantity=Decimal("2"), unit="adet",
                                          unit_price=Decimal("10.00"), tax_rate=Decimal("20"))])
    db.commit()
    return doc
