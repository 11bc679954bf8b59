"""The rules: the statement reconciles (random data and the demo), figures are scoped to the
customer, pages cost a fixed number of queries, exports agree with the page, Turkish formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugins.documents import ledger
from portal.core.db import get_session

D = dt.date
SIGNS = {"invoice": 1, "credit_note": -1, "payment": -1}

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
movements = st.lists(st.tuples(st.sampled_from(["invoice", "payment", "credit_note"]),
                               amounts, st.integers(min_value=0, max_value=200)),
                     min_size=0, max_size=25)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=movements, start=st.integers(min_value=0, max_value=150),
       length=st.integers(min_value=0, max_value=80), page=st.integers(min_value=1, max_value=7))
def test_the_statement_reconciles_on_random_data(db, make_company, book, data, start, length,
                                                 page):
    company = make_company()  # a fresh customer per example
    first = D(2026, 1, 1)
    for doc_type, amount, offset in data:
        day = first + dt.timedelta(days=offset)
        if doc_type == "invoice":
            book.invoice(company, amount, day)
        else:
            book.payment(company, amount, day, doc_type=doc_type)
    date_from = first + dt.timedelta(days=start)
    date_to = date_from + dt.timedelta(days=length)
    whole = ledger.statement(db, company.id, "TRY", date_from, date_to, limit=None,
                             signs=SIGNS)
    assert whole.closing == whole.opening + whole.debits - whole.credits
    assert whole.closing == ledger.balance_on(db, company.id, "TRY",
                                              date_to + dt.timedelta(days=1), signs=SIGNS)
    assert whole.debits == sum((m.debit for m in whole.movements), Decimal("0"))
    assert whole.credits == sum((m.credit for m in whole.movements), Decimal("0"))
    if whole.movements:
        assert whole.movements[-1].balance == whole.closing
    # Paged, the running balance is carried and ends at the closing balance.
    seen, after = [], None
    while True:
        part = ledger.statement(db, company.id, "TRY", date_from, date_to, after=after,
                                limit=page, signs=SIGNS)
        seen.extend(part.movements)
        if part.next_cursor is None:
            break
        after = part.next_cursor
    assert seen == whole.movements
    # The settled view agrees with the movements: payable − advances = net.
    for balance in ledger.balances(db, company.id, D(2026, 6, 30), signs=SIGNS):
        assert balance.payable - balance.advances == balance.net
        assert balance.payable >= 0 and balance.advances >= 0


def test_the_statement_reconciles_on_the_demo(app, db):
    from plugins.balances.services.demo import load_demo
    from plugins.documents.demo import load_demo_documents
    from portal.core.demo import core_demo_data
    from portal.core.models import CustomerCompany

    with app.test_request_context():
        session = get_session()
        core_demo_data(session)
        load_demo_documents(session, today=D(2026, 6, 30))
        load_demo(session, today=D(2026, 6, 30))
        session.commit()
        load_demo(session, today=D(2026, 6, 30))  # idempotent
        session.commit()
        signs = ledger.money_signs()
        interesting = {"overdue": False, "advance": False, "partly": False}
        for company in session.query(CustomerCompany):
            for currency in ledger.currencies(session, company.id, signs=signs):
                year = ledger.statement(session, company.id, currency, D(2025, 1, 1),
                                        D(2026, 6, 30), limit=None, signs=signs)
                assert year.closing == year.opening + year.debits - year.credits
                assert year.closing == year.movements[-1].balance
            for balance in ledger.balances(session, company.id, D(2026, 6, 30), signs=signs):
                assert balance.payable - balance.advances == balance.net
                interesting["overdue"] |= balance.overdue_total > 0
                interesting["advance"] |= balance.advances > 0
            for order in ledger.order_balances(session, company.id, signs=signs):
                interesting["partly"] |= order.paid > 0 and order.outstanding > 0
        assert interesting == {"overdue": True, "advance": True, "partly": True}
        from plugins.documents.models import ReconciliationAnswer

        assert session.query(ReconciliationAnswer).filter_by(answer="disputed").count() == 1


def test_another_companys_figures_are_unreachable(customer_client, company, other_company,
                                                  book):
    book.invoice(other_company, "777.00", D(2026, 3, 1), order="SO-OTHER")
    book.payment(other_company, "55.00", D(2026, 3, 2), order="SO-ADV")
    assert customer_client.get("/balances/orders/SO-OTHER").status_code == 404
    assert customer_client.get("/balances/orders/SO-ADV").status_code == 404
    for url in ("/balances/", "/balances/open-items", "/balances/orders?all=y",
                "/balances/statement?period=this_year", "/balances/panel",
                "/balances/statement.csv?period=this_year"):
        response = customer_client.get(url)
        assert response.status_code == 200, url
        assert "777" not in response.get_data(as_text=True), url


def test_balance_pages_need_the_permission(client, make_user, book):
    nobody = make_user("nobody", groups=[])  # a customer in no access group: no permission
    statement = book.statement(type("C", (), {"id": nobody.company_id})())
    client.login(nobody.username)
    for url in ("/balances/", "/balances/statement", "/balances/orders", "/balances/panel",
                "/balances/statement.pdf"):
        assert client.get(url).status_code == 403, url
    response = client.post(f"/balances/reconciliations/{statement.id}/answer",
                           data={"rs-answer": "confirmed"})
    assert response.status_code == 403


def test_pages_cost_a_fixed_number_of_queries(customer_client, company, book, count_queries):
    def add(n, start):
        for i in range(n):
            invoice = book.invoice(company, "100.00", D(2026, 4, 1) + dt.timedelta(days=i),
                                   order=f"SO-{start + i}")
            book.payment(company, "40.00", D(2026, 4, 2) + dt.timedelta(days=i),
                         allocations=[(invoice, "40.00")])

    urls = ("/balances/", "/balances/open-items", "/balances/orders",
            "/balances/statement?period=this_quarter", "/balances/panel")
    add(3, 0)
    small = {}
    for url in urls:
        customer_client.get(url)  # warm: per-process caches
        with count_queries() as counter:
            assert customer_client.get(url).status_code == 200
        small[url] = counter.count
    add(27, 100)
    for url in urls:
        with count_queries() as counter:
            assert customer_client.get(url).status_code == 200
        assert counter.count == small[url], url


def test_exports_agree_with_the_page(customer_client, company, book):
    book.invoice(company, "1234.50", D(2026, 6, 3))
    book.payment(company, "=1+1" and "200.00", D(2026, 6, 10))
    response = customer_client.get("/balances/statement.csv?period=this_month")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[2][1] == "Opening balance"
    assert rows[-1][1] == "Closing balance" and rows[-1][-1] == "1034.50"
    assert rows[-2][5:7] == ["1234.50", "200.00"]
    xlsx = customer_client.get("/balances/statement.xlsx?period=this_month")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[-1][1] == "Closing balance" and float(values[-1][-1]) == 1034.5
    pdf = customer_client.get("/balances/statement.pdf?period=this_month")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"].startswith("attachment;")


def test_csv_text_cannot_run_as_a_formula():
    from plugins.balances.services.exports import safe_text

    assert safe_text("=HYPERLINK()") == "'=HYPERLINK()"
    assert safe_text("INV-1") == "INV-1"


def test_turkish_numbers_and_dates(customer_client, company, book):
    book.invoice(company, "1234567.50", D(2026, 3, 5))
    customer_client.post("/account/language", data={"lang": "tr"})
    text = customer_client.get("/balances/").get_data(as_text=True)
    assert "1.234.567,50" in text
    assert "Cari bakiye" in text and "Vadesi geçmiş" in text
    statement = customer_client.get("/balances/statement?period=custom&date_from=2026-03-01"
                                    "&date_to=2026-03-31").get_data(as_text=True)
    assert "5 Mar 2026" in statement or "5 Mart 2026" in statement
