"""The statement and the dashboard panel are aggregates: same SQL whatever the data."""

from __future__ import annotations

from .test_tracking import statement_setup


def _more_orders(shop, customer, make_order, count: int) -> None:
    for _ in range(count):
        make_order(customer, [(shop.products["VD-100"], 2, "2.50")] * 4, status="in_progress")


def test_panel_sends_the_same_statements_for_3_and_30_orders(buyer, shop, db, customer,
                                                             make_order, make_document,
                                                             count_queries):
    statement_setup(db, shop, customer, make_order, make_document)
    buyer.get("/orders/panel")
    with count_queries() as few:
        buyer.get("/orders/panel")
    _more_orders(shop, customer, make_order, 27)
    with count_queries() as many:
        text = buyer.soup("/orders/panel").get_text(" ")
    # Identical SQL text: no bind list grows with the number of order lines.
    assert few.statements == many.statements
    assert "30 open orders." in text and "110 lines await shipment." in text


def test_statement_sql_is_identical_for_few_and_many_orders(buyer, shop, db, customer,
                                                            make_order, make_document,
                                                            count_queries):
    statement_setup(db, shop, customer, make_order, make_document)
    buyer.get("/orders/statement")
    with count_queries() as few:
        buyer.get("/orders/statement")
    _more_orders(shop, customer, make_order, 30)
    with count_queries() as many:
        soup = buyer.soup("/orders/statement")
    assert few.statements == many.statements
    # Grand totals cover all 32 orders although the page shows 20 of them.
    total = [td.get_text(strip=True) for td in soup.find(id="statement-total").find_all("td")]
    assert total[0] == "372.5"
    assert len(soup.select("#statement-table tbody tr.subtotal")) == 20
    assert soup.find("nav", attrs={"aria-label": "Statement pages"}) is not None


def test_statement_product_filter_is_typed_not_a_list_of_the_catalogue(buyer, shop, db,
                                                                      customer, make_order,
                                                                      make_document):
    statement_setup(db, shop, customer, make_order, make_document)
    soup = buyer.soup("/orders/statement?product=kb-200")
    field = soup.find(id="product")
    assert field.name == "input" and field["value"] == "kb-200"
    assert soup.find("label", attrs={"for": "product"}).get_text(strip=True) == "Product code"
    total = [td.get_text(strip=True) for td in soup.find(id="statement-total").find_all("td")]
    assert total == ["12.5", "2.5", "10", "TRY\xa0124.00"]


def test_order_list_deep_page_and_status_filter_read_an_index(app, buyer, shop, customer,
                                                              make_order, count_queries):
    for _ in range(45):
        make_order(customer, [(shop.products["VD-100"], 1, "2.50")], status="in_progress")
    buyer.get("/orders/?status=in_progress")
    with count_queries() as first:
        page1 = buyer.soup("/orders/?status=in_progress")
    with count_queries() as deep:
        page3 = buyer.soup("/orders/?status=in_progress&page=3")
    assert first.statements == deep.statements
    numbers = [th.get_text(strip=True) for th in page1.select("#order-table tbody th")]
    last = [th.get_text(strip=True) for th in page3.select("#order-table tbody th")]
    assert len(numbers) == 20 and len(last) == 5 and not set(numbers) & set(last)

    from sqlalchemy import inspect, select

    from plugins.orders.models import Order

    engine = app.extensions["portal.engine"]
    names = {ix["name"] for ix in inspect(engine).get_indexes("orders_order")}
    assert "ix_orders_order_company_status_created" in names
    if engine.dialect.name == "sqlite":
        stmt = (select(Order.id).where(Order.company_id == customer.company_id,
                                       Order.status == "in_progress")
                .order_by(Order.created_at.desc(), Order.id.desc()).limit(20))
        sql = stmt.compile(engine, compile_kwargs={"literal_binds": True})
        with engine.connect() as conn:
            plan = " ".join(r[-1] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
        assert "ix_orders_order_company_status_created" in plan


def test_order_list_keyset_links_are_linkable_and_deep_pages_cost_the_first(
        buyer, shop, customer, make_order, count_queries):
    for _ in range(65):
        make_order(customer, [(shop.products["VD-100"], 1, "2.50")], status="in_progress")
    buyer.get("/orders/")
    with count_queries() as first:
        page1 = buyer.soup("/orders/")
    seen = [th.get_text(strip=True) for th in page1.select("#order-table tbody th")]
    url = page1.find("a", rel="next")["href"]
    assert "after=" in url and "page=" not in url
    for number in (2, 3):
        with count_queries() as deep:
            soup = buyer.soup(url)
        assert len(deep.statements) == len(first.statements)
        assert f"Page {number} of 4" in soup.find("nav", class_="pager").get_text(" ")
        rows = [th.get_text(strip=True) for th in soup.select("#order-table tbody th")]
        assert len(rows) == 20 and not set(rows) & set(seen)
        seen += rows
        again = buyer.soup(url)  # the link is stable: the same page when opened again
        assert [th.get_text(strip=True) for th in again.select("#order-table tbody th")] == rows
        url = soup.find("a", rel="next")["href"]
    last = buyer.soup(url)
    rows = [th.get_text(strip=True) for th in last.select("#order-table tbody th")]
    assert len(rows) == 5 and last.find("a", rel="next") is None
    assert len(set(seen + rows)) == 65
    # "previous" from page 4 is page 3, and from page 2 the plain first page
    back = buyer.soup(last.find("a", rel="prev")["href"])
    assert [th.get_text(strip=True) for th in back.select("#order-table tbody th")] == seen[40:60]
    # htmx swaps the same partial, with the same links
    response = buyer.get(url, headers={"HX-Request": "true", "HX-Target": "order-results"})
    assert b"<html" not in response.data and b'rel="prev"' in response.data


def test_order_list_bad_cursor_gives_the_first_page(buyer, shop, customer, make_order):
    for _ in range(25):
        make_order(customer, [(shop.products["VD-100"], 1, "2.50")], status="in_progress")
    soup = buyer.soup("/orders/")
    first = [th.get_text(strip=True) for th in soup.select("#order-table tbody th")]
    for bad in ("x", "eyJ2IjpbMV19.forged", "%FF" * 40, "a" * 5000):
        response = buyer.get(f"/orders/?after={bad}")
        assert response.status_code == 200
        soup = buyer.soup(f"/orders/?before={bad}")
        assert [th.get_text(strip=True) for th in soup.select("#order-table tbody th")] == first
    assert buyer.get("/orders/?page=99999999999999999999").status_code == 200
    # a NUL is refused like in every other parameter (tests/hardening/test_bad_input.py)
    assert buyer.get("/orders/?after=" + "%00" * 40).status_code == 400
