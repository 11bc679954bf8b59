"""Staff pages: browse any customer's documents; admin menu entries."""

from __future__ import annotations

from bs4 import BeautifulSoup

from portal.testing import visible_text


def test_staff_browse_any_customers_documents(staff_client, make_company, make_document):
    ege = make_company("Ege Tarım Ürünleri Koop.")
    isik = make_company("Işık Elektrik Ltd. Şti.")
    doc = make_document(ege, "invoice", number="INV-EGE")
    make_document(isik, "invoice", number="INV-ISIK")

    companies = staff_client.soup("/admin/documents/?q=ISIK")
    assert "Işık Elektrik" in companies.text and "Ege Tarım" not in companies.text
    listing = staff_client.soup(f"/admin/documents/companies/{ege.id}/invoice/")
    assert [a.text for a in listing.select("#document-table tbody th a")] == ["INV-EGE"]
    link = listing.find("a", string="INV-EGE")
    assert link["href"] == f"/admin/documents/{doc.id}"
    page = staff_client.soup(link["href"])
    assert "INV-EGE" in page.find("h1").text and "Ege Tarım" in visible_text(str(page))
    export = staff_client.get(f"/admin/documents/companies/{ege.id}/invoice/export.csv")
    assert "INV-EGE" in export.get_data(as_text=True)
    assert "INV-ISIK" not in export.get_data(as_text=True)
    assert staff_client.get("/admin/documents/companies/999999/invoice/").status_code == 404
    assert staff_client.get("/admin/documents/999999").status_code == 404


def test_customers_cannot_open_staff_document_pages(customer_client, company, make_document):
    doc = make_document(company, "invoice")
    assert customer_client.get(f"/admin/documents/{doc.id}").status_code == 403
    assert customer_client.get("/admin/documents/").status_code == 403


def test_admin_menu_entries(admin_client):
    def labels(client):
        nav = BeautifulSoup(client.get("/admin/").text, "html.parser").find("nav")
        return [a.get_text(strip=True) for a in nav.find_all("a")]

    assert {"Customer documents", "Supplier files", "API tokens"} <= set(labels(admin_client))


def test_staff_menu_has_no_token_entry(staff_client):
    nav = BeautifulSoup(staff_client.get("/admin/").text, "html.parser").find("nav")
    found = [a.get_text(strip=True) for a in nav.find_all("a")]
    assert "Customer documents" in found and "API tokens" not in found
