"""The staff inbox's customer filter is a typed look-up (code or name), still a GET filter."""

from __future__ import annotations

from bs4 import BeautifulSoup

from portal.core.models import CustomerCompany
from portal.core.text import search_key
from portal.testing import htmx_headers
from tests.admin.conftest import field_errors


def _numbers(soup) -> list[str]:
    return [a.text for a in soup.select("#inbox-table tbody th a")]


def _company(db, name: str, code: str | None) -> CustomerCompany:
    company = CustomerCompany(name=name, search_key=search_key(name), external_id=code)
    db.add(company)
    db.commit()
    return company


def _setup(db, make_user, open_one):
    isik = _company(db, "Işık Elektrik", "İST-001")
    other = _company(db, "Işıklar Ltd", None)
    mine = open_one(make_user("ayse", company=isik), subject="Fatura")
    theirs = open_one(make_user("mehmet", company=other), subject="Teslimat")
    return isik, other, mine, theirs


def test_inbox_filters_by_typed_code_or_name(staff_client, db, make_user, open_one):
    isik, other, mine, theirs = _setup(db, make_user, open_one)
    assert sorted(_numbers(staff_client.soup("/admin/support/"))) == sorted(
        [mine.number, theirs.number])
    for typed in ("ist-001", "İST-001", "Işık Elektrik", "ISIK ELEKTRIK",
                  "İST-001 — Işık Elektrik"):
        soup = staff_client.soup("/admin/support/", query_string={"company": typed})
        assert _numbers(soup) == [mine.number], typed
        assert soup.find("input", id="company")["value"] == typed
    soup = staff_client.soup("/admin/support/", query_string={"company": "ışıklar"})
    assert _numbers(soup) == [theirs.number]


def test_inbox_customer_links_filter_by_code_or_id(staff_client, db, make_user, open_one):
    isik, other, mine, theirs = _setup(db, make_user, open_one)
    soup = staff_client.soup("/admin/support/")
    links = {a.text: a["href"] for a in soup.select("#inbox-table tbody td a")}
    assert links["Işık Elektrik"] == "/admin/support/?company=%C4%B0ST-001"
    assert links["Işıklar Ltd"] == f"/admin/support/?company=%23{other.id}"
    assert _numbers(staff_client.soup(links["Işıklar Ltd"])) == [theirs.number]


def test_unknown_or_ambiguous_customer_says_so(staff_client, db, make_user, open_one):
    _setup(db, make_user, open_one)
    for typed, message in [("yok", "No customer matches “yok”."),
                           ("ışık", "2 customers match “ışık”: type the code.")]:
        response = staff_client.get("/admin/support/", query_string={"company": typed})
        assert response.status_code == 200
        assert field_errors(response.text)["company"] == [message]
        soup = BeautifulSoup(response.text, "html.parser")
        assert soup.find("input", id="company")["value"] == typed
        assert _numbers(soup) == []  # nothing guessed
        assert soup.find(id="support-results").find("p", class_="error").text == message
        fragment = staff_client.get("/admin/support/", query_string={"company": typed},
                                    headers=htmx_headers("support-results"))
        assert fragment.status_code == 200
        fragment = BeautifulSoup(fragment.text, "html.parser")
        assert fragment.find("html") is None
        assert fragment.find("p", class_="error").text == message


def test_inbox_input_asks_for_suggestions_outside_the_filter_request(staff_client, db):
    soup = staff_client.soup("/admin/support/")
    field = soup.find("input", id="company")
    assert field["hx-get"] == "/admin/companies/lookup?field=company"
    assert field["hx-target"] == "#company-options"
    assert field["hx-push-url"] == "false"  # the filter form pushes its URL; suggestions don't
    assert soup.find("datalist", id="company-options") is not None


def test_inbox_page_does_not_grow_with_the_companies(staff_client, db, make_user, open_one,
                                                     count_queries):
    _setup(db, make_user, open_one)

    def load():
        with count_queries() as counter:
            response = staff_client.get("/admin/support/")
        assert response.status_code == 200
        return response, counter.count

    load()  # warm up
    _response, few = load()
    db.add_all(CustomerCompany(name=f"Toplu Ticaret {i}", search_key=f"toplu ticaret {i}",
                               external_id=f"T-{i}") for i in range(300))
    db.commit()
    response, many = load()
    assert many == few
    assert "Toplu" not in response.text
    with count_queries() as filtered:
        assert staff_client.get("/admin/support/?company=t-7").status_code == 200
    assert filtered.count <= few + 1
