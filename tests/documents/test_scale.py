"""Document lists stay flat at deep pages: ids from the index, then the page's rows by id."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect

from plugins.documents.query import Filters, list_statement

from .conftest import DAY


def _invoices(make_document, company, count: int) -> None:
    for n in range(count):
        make_document(company, "invoice", number=f"INV-{n:03d}",
                      issued_on=DAY - dt.timedelta(days=n // 2))


def _numbers(soup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select("table tbody a")]


def test_a_deep_page_shows_its_rows_in_order_with_the_same_sql(app, customer_client, company,
                                                                make_document, count_queries):
    app.config["DOCUMENTS_PER_PAGE"] = 5
    _invoices(make_document, company, 23)
    customer_client.get("/documents/invoice/")
    with count_queries() as first:
        page1 = customer_client.soup("/documents/invoice/")
    with count_queries() as deep:
        page4 = customer_client.soup("/documents/invoice/?page=4")
    # Newest first, ties broken by id (newest id first): page 4 holds rows 16-20.
    assert _numbers(page1) == ["INV-001", "INV-000", "INV-003", "INV-002", "INV-005"]
    assert _numbers(page4) == ["INV-014", "INV-017", "INV-016", "INV-019", "INV-018"]
    assert "Page 4 of 5" in page4.get_text()
    assert first.statements == deep.statements  # the offset is a bound value
    # next/previous are keyset links: page 5 is read after page 4's last row, same query count
    next_url = page4.find("a", rel="next")["href"]
    assert "after=" in next_url and "page=" not in next_url
    with count_queries() as keyset:
        page5 = customer_client.soup(next_url)
    assert len(keyset.statements) == len(first.statements)
    assert _numbers(page5) == ["INV-021", "INV-020", "INV-022"]
    assert "Page 5 of 5" in page5.get_text() and page5.find("a", rel="next") is None
    page4_again = customer_client.soup(page5.find("a", rel="prev")["href"])
    assert _numbers(page4_again) == _numbers(page4)


def test_keyset_links_follow_the_chosen_sort_and_survive_a_changed_sort(
        app, customer_client, company, make_document):
    app.config["DOCUMENTS_PER_PAGE"] = 5
    _invoices(make_document, company, 12)
    page1 = customer_client.soup("/documents/invoice/?sort=number&dir=asc")
    assert _numbers(page1) == [f"INV-{n:03d}" for n in range(5)]
    next_url = page1.find("a", rel="next")["href"]
    assert "sort=number" in next_url
    assert _numbers(customer_client.soup(next_url)) == [f"INV-{n:03d}" for n in range(5, 10)]
    # the same cursor with another sort is not this list's: the first page of that sort
    other = next_url.replace("dir=asc", "dir=desc")
    assert _numbers(customer_client.soup(other)) == [f"INV-{n:03d}" for n in (11, 10, 9, 8, 7)]


def test_the_default_list_reads_one_index_without_sorting(app, db, company):
    engine = app.extensions["portal.engine"]
    names = {ix["name"] for ix in inspect(engine).get_indexes("document")}
    assert "ix_document_company_type_issued_id" in names
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL plans tiny tables with a sequential scan; the index is what counts
    ids = list_statement(company.id, "invoice", Filters()).with_only_columns(
        list_statement(company.id, "invoice", Filters()).column_descriptions[0]["entity"].id)
    compiled = ids.limit(50).offset(14950).compile(engine, compile_kwargs={"literal_binds": True})
    with engine.connect() as conn:
        plan = " ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
    assert "COVERING INDEX ix_document_company_type_issued_id" in plan
    assert "TEMP B-TREE" not in plan
