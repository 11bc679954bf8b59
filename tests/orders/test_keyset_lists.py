"""Customer lists of the orders plugin paged by keyset (quotations to order from, the order
statement): next/previous see every row once in order, old ``?page=N`` links still work, and a
deep page sends the statements the first page sends."""

from __future__ import annotations

import datetime as dt

from portal.testing import walk_pages as walk

from .test_ordering import quotation_lines
from .test_tracking import statement_setup


def pager_text(soup) -> str:
    return soup.find("nav", class_="pager").get_text(" ", strip=True)


# -- quotations to order from -----------------------------------------------------------------


def _quotation_numbers(soup) -> list[str]:
    table = soup.find(id="quotation-table")
    return [th.get_text(strip=True) for th in table.select("tbody th")] if table else []


def _quotations(make_document, customer, count: int) -> list[str]:
    """``count`` valid quotations, two a day (ties broken by id); their numbers newest first."""
    today = dt.date.today()
    made = []
    for i in range(count):
        number = f"QT-{i:03d}"
        make_document(customer.company_id, "quotation", quotation_lines()[:1], number=number,
                      issued_on=today - dt.timedelta(days=i // 2),
                      valid_until=today + dt.timedelta(days=30))
        made.append((today - dt.timedelta(days=i // 2), i, number))
    return [number for *_key, number in sorted(made, reverse=True)]


def test_quotations_walk_next_and_previous_seeing_each_once(buyer, shop, customer,
                                                            make_document):
    expected = _quotations(make_document, customer, 45)
    forward, backward, last = walk(buyer, "/orders/quotations", _quotation_numbers)
    assert [len(p) for p in forward] == [20, 20, 5]
    assert sum(forward, []) == expected and backward == forward
    assert pager_text(last) == "Previous page Page 3 of 3"


def test_quotations_old_page_links_and_deep_pages_cost_the_first(buyer, shop, customer,
                                                                 make_document, count_queries):
    expected = _quotations(make_document, customer, 45)
    buyer.get("/orders/quotations")  # warm up (plugin states, sessions)
    with count_queries() as first:
        page1 = buyer.soup("/orders/quotations")
    with count_queries() as old:
        page3 = buyer.soup("/orders/quotations?page=3")
    with count_queries() as keyset:
        page2 = buyer.soup(page1.find("a", rel="next")["href"])
    assert _quotation_numbers(page1) == expected[:20]
    assert _quotation_numbers(page2) == expected[20:40]
    assert _quotation_numbers(page3) == expected[40:]
    # count, page, the orders made from the page's quotations: the same on every page
    assert first.count == old.count == keyset.count
    documents = [s for s in first.statements if "document.doc_type" in s]
    assert len(documents) == 2  # the capped count and the page (same SQL on page 3)
    assert [s for s in old.statements if "document.doc_type" in s] == documents
    # an old page link's own links are keyset ones
    back = page3.find("a", rel="prev")["href"]
    assert "before=" in back and _quotation_numbers(buyer.soup(back)) == expected[20:40]
    assert _quotation_numbers(buyer.soup("/orders/quotations?page=77")) == expected[40:]


# -- the order statement ----------------------------------------------------------------------


def _statement_orders(soup) -> list[str]:
    table = soup.find(id="statement-table")
    if table is None:
        return []
    return [a.get_text(strip=True) for a in table.select("tbody th[scope=rowgroup] > a")]


def _more_orders(shop, customer, make_order, count: int) -> None:
    """``count`` more orders in progress; every third one has no VD-100 line."""
    for i in range(count):
        code = "KB-200" if i % 3 == 2 else "VD-100"
        make_order(customer, [(shop.products[code], 2, "2.50"), (shop.products["LM-300"], 1,
                                                                 "150")],
                   status="in_progress")


def _expected_statement(db, customer, product: str | None = None) -> list[str]:
    from sqlalchemy import select

    from plugins.orders.models import Order, OrderLine

    stmt = select(Order.number).where(Order.company_id == customer.company_id,
                                      Order.status == "in_progress")
    if product:
        stmt = stmt.where(Order.id.in_(select(OrderLine.order_id)
                                       .where(OrderLine.product_code == product)))
    return list(db.scalars(stmt.order_by(Order.created_at, Order.id)))


def test_statement_walks_next_and_previous_seeing_each_order_once(buyer, shop, db, customer,
                                                                  make_order, make_document):
    statement_setup(db, shop, customer, make_order, make_document)
    _more_orders(shop, customer, make_order, 43)  # 45 orders in progress
    expected = _expected_statement(db, customer)
    forward, backward, last = walk(buyer, "/orders/statement", _statement_orders)
    assert [len(p) for p in forward] == [20, 20, 5]
    assert sum(forward, []) == expected and backward == forward
    assert pager_text(last) == "Previous page Page 3 of 3"
    # the grand total covers every order on every page
    total = [td.get_text(strip=True) for td in last.find(id="statement-total").find_all("td")]
    first = buyer.soup("/orders/statement").find(id="statement-total").find_all("td")
    assert total == [td.get_text(strip=True) for td in first]


def test_statement_keeps_its_filter_across_pages_and_old_links_work(buyer, shop, db, customer,
                                                                    make_order, make_document,
                                                                    count_queries):
    statement_setup(db, shop, customer, make_order, make_document)
    _more_orders(shop, customer, make_order, 60)  # 42 of the 62 have VD-100
    expected = _expected_statement(db, customer, "VD-100")
    assert len(expected) == 42
    forward, backward, last = walk(buyer, "/orders/statement?product=VD-100", _statement_orders)
    assert sum(forward, []) == expected and backward == forward
    assert [len(p) for p in forward] == [20, 20, 2]
    # only the filtered product's lines are shown
    codes = {small.get_text(strip=True) for small in last.select("#statement-table td .code")}
    assert codes == {"VD-100"}

    buyer.get("/orders/statement")  # warm up (plugin states, sessions)
    with count_queries() as first:
        page1 = buyer.soup("/orders/statement?product=VD-100")
    with count_queries() as old:
        page3 = buyer.soup("/orders/statement?product=VD-100&page=3")
    link = page1.find("a", rel="next")["href"]
    assert "product=VD-100" in link and "after=" in link
    with count_queries() as keyset:
        page2 = buyer.soup(link)
    # grand totals, the capped count, the page's orders, their lines: on every page
    assert first.count == old.count == keyset.count
    assert old.statements == first.statements
    assert len([s for s in first.statements if "orders_order" in s]) == 4
    assert _statement_orders(page2) == expected[20:40]
    assert _statement_orders(page3) == expected[40:]
    assert "Page 3 of 3" in pager_text(page3)
    everything = _expected_statement(db, customer)
    assert _statement_orders(buyer.soup("/orders/statement?page=2")) == everything[20:40]
    assert _statement_orders(buyer.soup("/orders/statement?page=999")) == everything[60:]
