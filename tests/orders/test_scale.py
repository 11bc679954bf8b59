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
