"""The customer pages: balance, open items, balance by orders, statement, panel."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from portal.testing import htmx_headers, visible_text

D = dt.date


def compact(html) -> str:
    """Visible text without spaces (Babel puts a no-break space between code and amount)."""
    return re.sub(r"[\s\xa0\u202f]", "", visible_text(str(html)))


def test_customer_balance_shows_each_currency_with_ageing_and_advances(customer_client,
                                                                        company, book):
    book.invoice(company, "1000.00", D(2026, 3, 1))               # due 31 Mar: 91 days late
    book.invoice(company, "250.00", D(2026, 6, 20))               # not yet due
    book.invoice(company, "80.00", D(2026, 6, 1), currency="EUR")
    book.payment(company, "300.00", D(2026, 6, 25), order="SO-9")  # an advance on an order
    soup = customer_client.soup("/balances/")
    text = compact(soup.find("main"))
    assert "TRY" in text and "EUR" in text
    assert "TRY950.00" in text            # net: 1,250 − 300
    assert "TRY1,250.00" in text          # payable
    assert "TRY300.00" in text            # advance
    overdue = soup.find("a", href="/balances/open-items?currency=TRY&which=90%2B")
    assert compact(overdue) == "TRY1,000.00"
    assert soup.find("svg", attrs={"role": "img"}).find("title")
    page = customer_client.soup("/balances/open-items?currency=TRY&which=overdue")
    rows = page.select("tbody tr")
    assert len(rows) == 1 and "INV-00001" in rows[0].get_text()


def test_statement_totals_and_closing_balance(customer_client, company, book):
    book.invoice(company, "500.00", D(2026, 5, 20))
    book.invoice(company, "120.00", D(2026, 6, 3))
    book.payment(company, "200.00", D(2026, 6, 10))
    soup = customer_client.soup("/balances/statement?period=this_month&currency=TRY")
    text = compact(soup.find(id="statement"))
    assert "Openingbalance" in text and "TRY500.00" in text
    assert "Closingbalance" in text and "TRY420.00" in text
    rows = soup.select("#statement tbody tr")
    assert len(rows) == 3  # opening, two movements


def test_the_period_change_swaps_only_the_statement(htmx_client, customer, company, book):
    from portal.testing import PASSWORD

    htmx_client.login(customer.username, PASSWORD)
    book.invoice(company, "500.00", D(2026, 5, 20))
    response = htmx_client.get("/balances/statement?period=last_month",
                               headers=htmx_headers("statement"))
    assert "<html" not in response.get_data(as_text=True)
    assert "TRY500.00" in compact(response.get_data(as_text=True))


def test_panel_and_orders(customer_client, company, book):
    book.invoice(company, "1000.00", D(2026, 6, 1), order="SO-1")
    book.payment(company, "400.00", D(2026, 6, 5), order="SO-1")
    panel = compact(customer_client.get("/balances/panel").get_data(as_text=True))
    assert "TRY600.00" in panel and "Jul1,2026" in panel
    orders = customer_client.soup("/balances/orders")
    assert orders.find("a", string="SO-1")
    order = customer_client.soup("/balances/orders/SO-1")
    assert len(order.select("tbody tr")) == 2


def test_one_orders_balance_reads_as_many_statements_for_2_and_22_orders(
        app, db, customer_client, company, book, count_queries):
    from plugins.documents import ledger

    book.invoice(company, "1000.00", D(2026, 5, 1), order="SO-1")
    book.invoice(company, "300.00", D(2026, 4, 1), order="SO-2")
    book.payment(company, "400.00", D(2026, 6, 5), order="SO-1")
    book.payment(company, "100.00", D(2026, 6, 6))  # no order: settles SO-2's older invoice
    customer_client.get("/balances/orders/SO-1")
    with count_queries() as few:
        page = compact(customer_client.get("/balances/orders/SO-1").get_data(as_text=True))
    assert "TRY600.00" in page  # 1000 invoiced, 400 paid on the order
    for n in range(3, 23):
        book.invoice(company, "50.00", D(2026, 6, 1), order=f"SO-{n}")
    with count_queries() as many:
        customer_client.get("/balances/orders/SO-1")
    assert len(many.statements) == len(few.statements)
    # The same figures as the list of every order's balance gives, for each order.
    with app.app_context():
        every = {o.order_number: o
                 for o in ledger.order_balances(db, company.id, open_only=False)}
        for number, expected in every.items():
            assert ledger.order_balance(db, company.id, number) == expected
        assert ledger.order_balance(db, company.id, "SO-NONE") is None
    assert every["SO-2"].outstanding == Decimal("200.00") and len(every) == 22
