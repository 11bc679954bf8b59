"""Customer companies: search (Turkish-correct), paging, create and edit with validation."""

from __future__ import annotations

from portal.core.models import AuditLog, CustomerCompany
from tests.admin.conftest import field_errors


def _names(soup) -> list[str]:
    return [th.get_text(strip=True) for th in soup.select("#company-table tbody th")]


def test_search_folds_turkish_letters(staff_client, make_company):
    make_company("Işık Elektrik")
    make_company("İstanbul Yapı")
    make_company("Iğdır Tarım")
    make_company("Ege Gıda", external_id="C-77", tax_number="1234567890")
    for query, expected in [("IŞIK", ["Işık Elektrik"]), ("ışık", ["Işık Elektrik"]),
                            ("isik", ["Işık Elektrik"]), ("ISTANBUL", ["İstanbul Yapı"]),
                            ("istanbul", ["İstanbul Yapı"]), ("İSTANBUL", ["İstanbul Yapı"]),
                            ("igdir", ["Iğdır Tarım"]), ("c-77", ["Ege Gıda"]),
                            ("1234567890", ["Ege Gıda"]), ("50%", [])]:
        assert _names(staff_client.soup(f"/admin/companies?q={query}")) == expected, query


def test_active_search_answers_with_the_table_fragment(staff_client, make_company):
    make_company("Işık Elektrik")
    response = staff_client.get("/admin/companies?q=isik",
                                headers={"HX-Request": "true", "HX-Target": "company-table"})
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="company-table"' in response.text
    assert "Işık Elektrik" in response.text


def test_companies_are_paged(staff_client, make_company):
    for i in range(30):
        make_company(f"Firma {i:02d}")
    first = staff_client.soup("/admin/companies")
    assert len(_names(first)) == 25
    assert "Page 1 of 2" in first.find("nav", class_="pager").text
    second = staff_client.soup(first.find("a", rel="next")["href"])
    assert _names(second) == [f"Firma {i:02d}" for i in range(25, 30)]
    assert staff_client.soup("/admin/companies?page=99").find("nav", class_="pager")


def test_company_list_uses_a_fixed_number_of_queries(staff_client, make_company, make_user,
                                                     count_queries):
    def load():
        with count_queries() as counter:
            assert staff_client.get("/admin/companies").status_code == 200
        return counter.count

    for _ in range(3):
        make_user(company=make_company())
    load()  # warm up: first-request work (plugin states, session touch) is not per row
    few = load()
    for _ in range(27):
        make_user(company=make_company())
    assert load() == few


def test_create_and_edit_a_company_with_every_field(staff_client, db):
    data = {"name": "Anadolu Yapı Market A.Ş.", "external_id": "C-1001",
            "tax_number": "0680012345", "billing_address": "Atatürk Cad. 12\nKadıköy",
            "delivery_address": "Depo 7\nGebze", "phone": "+90 216 555 01 01",
            "email": "satinalma@anadolu.example", "contact_name": "Murat Kaya",
            "contact_phone": "+90 212 555 10 10", "contact_email": "murat@supplier.example"}
    response = staff_client.post("/admin/companies/new", data=dict(data))
    assert response.status_code == 303
    company = db.query(CustomerCompany).one()
    assert {k: getattr(company, k) for k in data} == data
    edit = staff_client.soup(response.headers["Location"])
    assert edit.find("input", id="contact_name")["value"] == "Murat Kaya"
    response = staff_client.post(f"/admin/companies/{company.id}",
                                 data=dict(data, contact_name="Deniz Yıldız"))
    assert response.status_code == 303
    db.expire_all()
    assert db.get(CustomerCompany, company.id).contact_name == "Deniz Yıldız"
    entries = [(e.action, e.detail) for e in db.query(AuditLog).order_by(AuditLog.id)]
    assert entries[-1] == ("company.update", {"fields": ["contact_name"]})


def test_validation_messages_sit_next_to_fields_and_input_is_kept(staff_client, db,
                                                                  make_company):
    make_company("Taken", external_id="C-1")
    response = staff_client.post("/admin/companies/new", data={
        "name": "", "external_id": "C-1", "email": "not-an-address", "phone": "call me",
        "tax_number": "123"})
    assert response.status_code == 422
    errors = field_errors(response.text)
    assert errors["name"] == ["Enter the company's name."]
    assert errors["email"] == ["Enter an e-mail address like name@example.com."]
    assert errors["phone"] == ["Use digits, spaces and + ( ) - only."]
    assert "tax_number" not in errors
    assert 'value="not-an-address"' in response.text
    assert db.query(CustomerCompany).count() == 1
    # The ERP code must be unique (checked once the rest is valid).
    response = staff_client.post("/admin/companies/new", data={"name": "X", "external_id": "C-1"})
    assert field_errors(response.text)["external_id"] == ["Another company already has this code."]


def test_unknown_company_is_404(staff_client):
    assert staff_client.get("/admin/companies/999999").status_code == 404
    assert staff_client.post("/admin/companies/999999", data={"name": "x"}).status_code == 404
