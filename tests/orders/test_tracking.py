"""Order list, order page with related documents, order statement, CSV and dashboard panel."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from bs4 import BeautifulSoup

from portal.testing import htmx_headers

from .conftest import order_lines


def numbers(soup) -> list[str]:
    table = soup.find(id="order-table")
    return [th.get_text(strip=True) for th in table.select("tbody th")] if table else []


def goods_issue(make_document, company_id, order_id, shipments):
    """A goods issue for ``[(order_line, qty)]`` linked the way the contract says."""
    return make_document(company_id, "goods_issue", [
        {"product_code": line.product_code, "product_name": line.product_name,
         "quantity": Decimal(str(qty)), "unit": line.unit, "unit_price": line.unit_price,
         "tax_rate": line.tax_rate, "origin_kind": "orders.order_line",
         "origin_ref": str(line.id)} for line, qty in shipments],
        origin_kind="orders.order", origin_ref=str(order_id))


def test_order_list_filters_by_status_period_and_number(buyer, shop, db, customer, make_order):
    p = shop.products
    day = dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC)
    a = make_order(customer, [(p["VD-100"], 1, "2.50")], created_at=day, po_number="PO-A")
    b = make_order(customer, [(p["VD-100"], 2, "2.50")], status="in_progress",
                   created_at=day + dt.timedelta(days=30))
    c = make_order(customer, [(p["VD-100"], 3, "2.50")], status="cancelled",
                   created_at=day + dt.timedelta(days=60))
    from .conftest import get_order

    na, nb, nc = (get_order(db, i).number for i in (a, b, c))
    soup = buyer.soup("/orders/")
    assert numbers(soup) == [nc, nb, na]
    row = soup.find(id="order-table").select("tbody tr")[-1].get_text(" ")
    assert "PO-A" in row and "Sent" in row and "3.00" in row
    assert numbers(buyer.soup("/orders/?status=in_progress")) == [nb]
    assert numbers(buyer.soup("/orders/?date_from=2026-04-01&date_to=2026-04-04")) == [nb]
    assert numbers(buyer.soup("/orders/?date_from=2026-03-05&date_to=2026-03-05")) == [na]
    assert numbers(buyer.soup(f"/orders/?q={na[-3:]}")) == [na]
    soup = buyer.soup("/orders/?date_from=2026-05-01&date_to=2026-04-01")
    assert "before the start date" in soup.get_text()


def test_order_list_htmx_fragment_and_paging(buyer, shop, customer, make_order):
    for _ in range(23):
        make_order(customer, [(shop.products["VD-100"], 1, "2.50")])
    response = buyer.get("/orders/?status=sent", headers=htmx_headers("order-results"))
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("html") is None and len(numbers(soup)) == 20
    full = buyer.soup("/orders/?status=sent")
    next_link = full.select_one(".pager a[rel=next]")["href"]
    assert "status=sent" in next_link
    assert len(numbers(buyer.soup(next_link))) == 3


def test_customers_see_only_their_companys_orders(buyer, shop, make_user, make_order, customer,
                                                   db):
    colleague = make_user("mehmet2", company_id=customer.company_id)
    stranger = make_user("stranger")
    mine = make_order(colleague, [(shop.products["VD-100"], 1, "2.50")])
    make_order(stranger, [(shop.products["VD-100"], 1, "2.50")])
    from .conftest import get_order

    assert numbers(buyer.soup("/orders/")) == [get_order(db, mine).number]


def test_order_page_lists_lines_history_and_related_documents(buyer, shop, db, customer,
                                                              make_order, make_document):
    p = shop.products
    order_id = make_order(customer, [(p["VD-100"], 10, "2.50"), (p["KB-200"], 5, "12.40")],
                          status="in_progress")
    lines = order_lines(db, order_id)
    gi = goods_issue(make_document, customer.company_id, order_id, [(lines[0], 4)])
    invoice = make_document(customer.company_id, "invoice", [], based_on=[gi],
                            net_total=Decimal("10"))
    soup = buyer.soup(f"/orders/{order_id}")
    rows = soup.find(id="order-lines").select("tbody tr")
    assert [r.find_all("td")[2].get_text(strip=True) for r in rows] == ["4", "0"]  # shipped
    assert soup.find(id="order-total").get_text(strip=True) == "TRY\u00a0104.40"
    history = soup.find(id="order-history").get_text(" ")
    assert "Sent" in history and "In progress" in history
    links = {a["href"] for a in soup.find(id="order-documents").find_all("a")}
    assert links == {f"/documents/{gi}", f"/documents/{invoice}"}


def test_order_page_query_count_is_fixed(buyer, shop, db, customer, make_order, count_queries):
    p = shop.products
    small = make_order(customer, [(p["VD-100"], 1, "2.50")], status="in_progress")
    big = make_order(customer, [(p["VD-100"], 1, "2.50")] * 30, status="in_progress")
    buyer.get(f"/orders/{small}")
    with count_queries() as few:
        buyer.get(f"/orders/{small}")
    with count_queries() as many:
        buyer.get(f"/orders/{big}")
    assert few.count == many.count


def test_order_list_query_count_is_fixed(buyer, shop, customer, make_order, count_queries):
    for _ in range(3):
        make_order(customer, [(shop.products["VD-100"], 1, "2.50")])
    buyer.get("/orders/")
    with count_queries() as few:
        buyer.get("/orders/")
    for _ in range(27):
        make_order(customer, [(shop.products["VD-100"], 1, "2.50")])
    with count_queries() as many:
        buyer.get("/orders/")
    assert few.count == many.count


# -- order statement ---------------------------------------------------------------------------


def statement_setup(db, shop, customer, make_order, make_document):
    p = shop.products
    first = make_order(customer, [(p["VD-100"], 100, "2.50"), (p["KB-200"], "12.5", "12.40")],
                       status="in_progress", po_number="PO-1",
                       created_at=dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
    second = make_order(customer, [(p["VD-100"], 20, "2.50")], status="in_progress",
                        created_at=dt.datetime(2026, 2, 10, tzinfo=dt.UTC))
    make_order(customer, [(p["LM-300"], 1, "150")])  # only sent: not in the statement
    make_order(customer, [(p["LM-300"], 1, "150")], status="completed")
    l1, l2 = order_lines(db, first)
    (l3,) = order_lines(db, second)
    goods_issue(make_document, customer.company_id, first, [(l1, 30), (l2, "2.5")])
    goods_issue(make_document, customer.company_id, first, [(l1, 25)])
    goods_issue(make_document, customer.company_id, second, [(l3, 25)])  # over-shipped
    return first, second


def test_statement_arithmetic(buyer, shop, db, customer, make_order, make_document):
    statement_setup(db, shop, customer, make_order, make_document)
    soup = buyer.soup("/orders/statement")
    table = soup.find(id="statement-table")
    lines = [[td.get_text(strip=True) for td in tr.find_all("td")]
             for tr in table.select("tbody tr:not(.subtotal)")]
    # product, ordered, shipped, awaiting, awaiting amount
    assert [row[1:5] for row in lines] == [
        ["100 pcs", "55", "45", "TRY\u00a0112.50"],
        ["12.5 m", "2.5", "10", "TRY\u00a0124.00"],
        ["20 pcs", "25", "0", "TRY\u00a00.00"],
    ]
    subtotals = [[td.get_text(strip=True) for td in tr.find_all("td")][1:]
                 for tr in table.select("tbody tr.subtotal")]
    assert subtotals == [["112.5", "57.5", "55", "TRY\u00a0236.50"],
                         ["20", "25", "0", "TRY\u00a00.00"]]
    total = [td.get_text(strip=True) for td in soup.find(id="statement-total").find_all("td")]
    assert total == ["132.5", "82.5", "55", "TRY\u00a0236.50"]
    assert "LM-300" not in table.get_text()


def test_statement_filters_by_product_and_period(buyer, shop, db, customer, make_order,
                                                 make_document):
    statement_setup(db, shop, customer, make_order, make_document)
    soup = buyer.soup("/orders/statement?product=KB-200")
    total = [td.get_text(strip=True) for td in soup.find(id="statement-total").find_all("td")]
    assert total == ["12.5", "2.5", "10", "TRY\u00a0124.00"]
    soup = buyer.soup("/orders/statement?date_from=2026-02-01&date_to=2026-02-28")
    total = [td.get_text(strip=True) for td in soup.find(id="statement-total").find_all("td")]
    assert total == ["20", "25", "0", "TRY\u00a00.00"]


def test_statement_csv_export(buyer, shop, db, customer, make_order, make_document):
    first, _second = statement_setup(db, shop, customer, make_order, make_document)
    response = buyer.get("/orders/statement?format=csv&product=VD-100")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["Order", "Date"]
    assert [r[4] for r in rows[1:-1]] == ["VD-100", "VD-100"]
    assert [r[7:] for r in rows[1:-1]] == [["100", "55", "45", "112.5"], ["20", "25", "0", "0"]]
    assert rows[-1][0] == "Total" and rows[-1][7:] == ["120", "80", "45", "112.5"]


def test_statement_query_count_is_fixed(buyer, shop, db, customer, make_order, make_document,
                                        count_queries):
    statement_setup(db, shop, customer, make_order, make_document)
    buyer.get("/orders/statement")
    with count_queries() as few:
        buyer.get("/orders/statement")
    for _ in range(10):
        make_order(customer, [(shop.products["VD-100"], 1, "2.50")] * 3, status="in_progress")
    with count_queries() as many:
        buyer.get("/orders/statement")
    assert few.count == many.count


def test_statement_of_another_company_shows_nothing_of_ours(buyer, shop, db, customer,
                                                            make_order, make_document, client,
                                                            make_user):
    statement_setup(db, shop, customer, make_order, make_document)
    buyer.post("/logout")
    make_user("stranger")
    buyer.login("stranger")
    soup = buyer.soup("/orders/statement")
    assert soup.find(id="statement-table") is None


# -- dashboard panel ---------------------------------------------------------------------------


def test_dashboard_panel_with_open_orders_and_awaiting_lines(buyer, shop, db, customer,
                                                             make_order, make_document):
    statement_setup(db, shop, customer, make_order, make_document)
    home = buyer.soup("/")
    panel = home.find(id="panel-open-orders")
    assert panel["hx-get"] == "/orders/panel"
    response = buyer.get("/orders/panel", headers=htmx_headers("panel-open-orders"))
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("html") is None
    text = soup.get_text(" ")
    assert "3 open orders." in text and "2 lines await shipment." in text
    assert buyer.soup("/orders/panel").find("h1").text == "Open orders"
