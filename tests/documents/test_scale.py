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
    assert page4.find("a", rel="next")["href"].endswith("page=5")
    assert first.statements == deep.statements  # the offset is a bound value


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
