"""Typed company look-ups (``portal.core.lookup``, ``CompanyField``): staff type a customer's
code or name instead of scrolling a ``<select>`` of every company."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from portal.core.lookup import LookupProblem, resolve_company, suggest_companies
from portal.core.models import CustomerCompany, User
from portal.core.text import search_key
from portal.testing import htmx_headers
from tests.admin.conftest import field_errors

LOOKUP = "/admin/companies/lookup"


def _add(db, name: str, code: str | None = None) -> CustomerCompany:
    company = CustomerCompany(name=name, search_key=search_key(name), external_id=code)
    db.add(company)
    db.commit()
    return company


def _many(db, count: int, prefix: str = "Bulk") -> None:
    db.add_all(CustomerCompany(name=f"{prefix} Ticaret {i:04d}",
                               external_id=f"{prefix[0]}-{i:04d}",
                               search_key=search_key(f"{prefix} Ticaret {i:04d}"))
               for i in range(count))
    db.commit()


def _options(response) -> list[str]:
    return [o["value"] for o in BeautifulSoup(response.text, "html.parser").find_all("option")]


@pytest.fixture
def companies(db):
    return {"isik": _add(db, "Işık Elektrik Ltd. Şti.", "İST-001"),
            "igdir": _add(db, "Iğdır Yapı A.Ş.", "IGD-7"),
            "anadolu1": _add(db, "Anadolu Gıda", "AN-1"),
            "anadolu2": _add(db, "Anadolu Gıda", "AN-2"),
            "nocode": _add(db, "Kodsuz Ticaret")}


# -- the rules ------------------------------------------------------------------------------


@pytest.mark.parametrize("text,key", [
    ("İST-001", "isik"), ("ist-001", "isik"), ("IST-001", "isik"), ("ıst-001", "isik"),
    ("igd-7", "igdir"), ("Işık Elektrik Ltd. Şti.", "isik"), ("ISIK ELEKTRIK", "isik"),
    ("ışık", "isik"), ("isik", "isik"), ("IĞDIR", "igdir"), ("İST-001 — Işık Elektrik", "isik"),
    ("  an-2  ", "anadolu2"), ("kodsuz", "nocode"),
])
def test_resolves_a_code_or_a_unique_name(app, db, companies, text, key):
    with app.app_context():
        assert resolve_company(db, text).id == companies[key].id


def test_resolves_the_label_of_a_company_without_a_code(app, db, companies):
    company = companies["nocode"]
    with app.test_request_context():
        assert resolve_company(db, f"#{company.id} — Kodsuz Ticaret").id == company.id
        assert resolve_company(db, f"#{company.id}").id == company.id


@pytest.mark.parametrize("text,message", [
    ("anadolu", "2 customers match “anadolu”: type the code."),
    ("Anadolu Gıda", "2 customers match “Anadolu Gıda”: type the code."),
    ("zzz", "No customer matches “zzz”."),
    ("#999999", "No customer matches “#999999”."),
    ("%", "No customer matches “%”."),
    ("i_", "No customer matches “i_”."),
])
def test_ambiguous_or_unknown_text_says_why(app, db, companies, text, message):
    with app.test_request_context(), pytest.raises(LookupProblem) as problem:
        resolve_company(db, text)
    assert str(problem.value.message) == message


def test_many_matches_are_not_counted_past_the_limit(app, db):
    _many(db, 30)
    with app.test_request_context(), pytest.raises(LookupProblem) as problem:
        resolve_company(db, "bulk")
    assert str(problem.value.message) == (
        "More than 10 customers match “bulk”: type more of the name, or the code.")


def test_the_code_key_follows_the_code(app, db):
    company = _add(db, "Işık", "İZM-01")
    assert company.code_key == "izm-01"
    company.external_id = "ANK-02"
    db.commit()
    assert db.scalar(select(CustomerCompany.code_key)
                     .where(CustomerCompany.id == company.id)) == "ank-02"
    company.external_id = None
    db.commit()
    assert company.code_key is None


@pytest.mark.parametrize("column,index", [("search_key", "ix_customer_company_search"),
                                          ("code_key", "ix_customer_company_code")])
def test_suggestions_read_an_index(app, db, column, index):
    """The prefix condition is an index range on both databases (whatever PostgreSQL's
    collation: the ``varchar_pattern_ops`` index serves ``LIKE 'ab%'``)."""
    from portal.core import lookup

    engine = app.extensions["portal.engine"]
    dialect = engine.dialect.name
    stmt = lookup._columns().where(lookup._starts_with(getattr(CustomerCompany, column), "ab",
                                                       dialect))
    compiled = stmt.compile(engine, compile_kwargs={"literal_binds": True})
    with engine.connect() as conn:
        if dialect == "postgresql":
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            plan = " ".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {compiled}"))
            index += "_prefix"
        else:
            plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {compiled}"))
    assert index in plan and "Seq Scan" not in plan, plan


# -- the look-up endpoint -------------------------------------------------------------------


def test_lookup_suggests_at_most_ten_by_code_or_name_prefix(staff_client, db, companies):
    _many(db, 40)
    assert len(_options(staff_client.get(f"{LOOKUP}?q=bulk"))) == 10
    assert len(_options(staff_client.get(f"{LOOKUP}?q=b-00"))) == 10
    assert _options(staff_client.get(f"{LOOKUP}?q=B-0012")) == ["B-0012 — Bulk Ticaret 0012"]
    assert _options(staff_client.get(f"{LOOKUP}?q=ISIK")) == ["İST-001 — Işık Elektrik Ltd. Şti."]
    assert _options(staff_client.get(f"{LOOKUP}?q=ist")) == ["İST-001 — Işık Elektrik Ltd. Şti."]
    assert _options(staff_client.get(f"{LOOKUP}?q=anadolu")) == ["AN-1 — Anadolu Gıda",
                                                                  "AN-2 — Anadolu Gıda"]
    nocode = companies["nocode"]
    assert _options(staff_client.get(f"{LOOKUP}?q=kods")) == [f"#{nocode.id} — Kodsuz Ticaret"]
    # htmx sends the input under its own name, named by ``field``.
    response = staff_client.get(f"{LOOKUP}?field=company&company=igd",
                                headers=htmx_headers("company-options"))
    assert _options(response) == ["IGD-7 — Iğdır Yapı A.Ş."]


@pytest.mark.parametrize("q", ["", "a", "ı", " b ", "%", "%%", "_", "__", "\\", "b%", "b_"])
def test_lookup_gives_nothing_for_short_text_or_wildcards(staff_client, db, q):
    _many(db, 12)
    response = staff_client.get(LOOKUP, query_string={"q": q})
    assert response.status_code == 200
    assert _options(response) == []


def test_lookup_is_for_staff_only(app, customer_client, db, companies):
    assert customer_client.get(f"{LOOKUP}?q=isik").status_code == 403
    client = app.test_client()
    anonymous = client.get(f"{LOOKUP}?q=isik")
    assert anonymous.status_code in (302, 303) and "/login" in anonymous.headers["Location"]
    assert "Işık" not in anonymous.text
    anonymous = client.get(f"{LOOKUP}?q=isik", headers=htmx_headers("company-options"))
    assert anonymous.status_code == 401 and "Işık" not in anonymous.text


def test_lookup_costs_one_query(staff_client, db, count_queries):
    _many(db, 300)
    staff_client.get(f"{LOOKUP}?q=bulk")  # warm up
    with count_queries() as few:
        staff_client.get(f"{LOOKUP}?q=bulk")
    with count_queries() as none:
        staff_client.get(f"{LOOKUP}?q=b")
    assert few.count == none.count + 1


def test_suggest_limits_rows(app, db):
    _many(db, 25)
    with app.app_context():
        assert len(suggest_companies(db, "bulk ticaret")) == 10
        assert len(suggest_companies(db, "bulk ticaret", limit=3)) == 3


# -- the new external user form -------------------------------------------------------------


def _new_user(client, company: str, username: str = "yeni"):
    return client.post("/admin/users/new", data={
        "company": company, "group_id": 0, "username": username, "full_name": "Yeni Kişi",
        "password": "quiet-orange-kettle"})


@pytest.mark.parametrize("typed,key", [("ist-001", "isik"), ("IŞIK ELEKTRİK", "isik"),
                                       ("IGD-7", "igdir"), ("iğdır", "igdir")])
def test_new_user_form_resolves_code_and_name(staff_client, db, companies, typed, key):
    response = _new_user(staff_client, typed)
    assert response.status_code == 303
    assert db.scalar(select(User.company_id).where(User.username == "yeni")) == \
        companies[key].id


@pytest.mark.parametrize("typed,message", [
    ("anadolu", "2 customers match “anadolu”: type the code."),
    ("Yok Böyle Firma", "No customer matches “Yok Böyle Firma”."),
    ("", "Type the customer company's code or name."),
])
def test_new_user_form_says_what_is_wrong_and_keeps_the_text(staff_client, db, companies,
                                                              typed, message):
    users = db.query(User).count()
    response = _new_user(staff_client, typed)
    assert response.status_code == 422
    assert field_errors(response.text)["company"] == [message]
    soup = BeautifulSoup(response.text, "html.parser")
    field = soup.find("input", id="company")
    assert field["value"] == typed
    assert field["aria-invalid"] == "true" and "company-error" in field["aria-describedby"]
    assert soup.find("input", id="username")["value"] == "yeni"
    assert db.query(User).count() == users


def test_new_user_form_prefills_the_company_from_the_link(staff_client, db, companies):
    soup = staff_client.soup(f"/admin/users/new?company={companies['isik'].id}")
    assert soup.find("input", id="company")["value"] == "İST-001 — Işık Elektrik Ltd. Şti."
    assert staff_client.soup("/admin/users/new?company=999999").find(
        "input", id="company")["value"] == ""


def test_new_user_form_input_asks_for_suggestions(staff_client, db):
    soup = staff_client.soup("/admin/users/new")
    field = soup.find("input", id="company")
    assert soup.find("label", attrs={"for": "company"}) is not None
    assert field["type"] == "text" and field["list"] == "company-options"
    assert field["hx-get"] == f"{LOOKUP}?field=company"
    assert field["hx-trigger"] == "input changed delay:250ms"
    assert field["hx-target"] == "#company-options"
    assert field["hx-push-url"] == "false"
    assert soup.find("datalist", id="company-options") is not None


def test_new_user_form_stays_small_with_many_companies(staff_client, db, count_queries):
    def load():
        with count_queries() as counter:
            response = staff_client.get("/admin/users/new")
        assert response.status_code == 200
        return response, counter.count

    _many(db, 3)
    load()  # warm up
    _small, few = load()
    _many(db, 300, prefix="More")
    response, many = load()
    assert many == few
    assert "Ticaret" not in response.text
    assert len(BeautifulSoup(response.text, "html.parser").find_all("option")) < 20
    assert len(response.data) < 20_000


def test_new_user_form_still_needs_the_csrf_token(staff_client, db, companies):
    response = staff_client.post("/admin/users/new", csrf=False, data={
        "company": "ist-001", "group_id": 0, "username": "yeni", "full_name": "Yeni Kişi",
        "password": "quiet-orange-kettle"})
    assert response.status_code in (400, 422)
    assert db.query(User).filter_by(username="yeni").count() == 0
