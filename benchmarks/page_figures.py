"""Size, SQL statements and server time of the main pages, on the demo data.

    PORTAL_INSTANCE_PATH=/tmp/bench .venv/bin/portal db upgrade
    PORTAL_INSTANCE_PATH=/tmp/bench .venv/bin/portal demo
    PORTAL_INSTANCE_PATH=/tmp/bench .venv/bin/python benchmarks/page_figures.py [--repeat 50]

Requests go through Flask's test client (no network), so the time is the app's own: routing,
queries, rendering. Figures are printed as a Markdown table; they are recorded in issue notes,
never asserted by tests.
"""

from __future__ import annotations

import argparse
import statistics
import time

from sqlalchemy import event

from portal import create_app

CUSTOMER_PAGES = [
    "/", "/account/", "/orders/catalogue", "/orders/catalogue?q=isik", "/orders/cart",
    "/orders/", "/orders/statement", "/documents/invoice/", "/documents/quotation/",
    "/documents/downloads/", "/returns/", "/support/", "/balances/", "/balances/orders",
    "/balances/statement",
]
STAFF_PAGES = ["/admin/", "/admin/companies", "/admin/users", "/admin/audit", "/admin/plugins",
               "/admin/orders/", "/admin/returns/", "/admin/support/"]


def sign_in(client, username: str) -> None:
    with client.session_transaction() as session:
        session["csrf_token"] = "bench"
    from itsdangerous import URLSafeTimedSerializer

    token = URLSafeTimedSerializer(client.application.secret_key,
                                   salt="wtf-csrf-token").dumps("bench")
    response = client.post("/login", data={"username": username,
                                           "password": "portal-demo-2026", "csrf_token": token})
    assert response.status_code == 303, response.status_code


def measure(app, username: str, pages: list[str], repeat: int) -> list[tuple]:
    client = app.test_client()
    sign_in(client, username)
    statements = []
    event.listen(app.extensions["portal.engine"], "before_cursor_execute",
                 lambda *args: statements.append(1))
    rows = []
    for url in pages:
        statements.clear()
        response = client.get(url)
        queries = len(statements)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        rows.append((url, response.status_code, len(response.data), queries,
                     statistics.median(times), 1000 / statistics.mean(times)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    app = create_app()
    print("| page | status | bytes | SQL statements | median ms | requests/s (one thread) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for username, pages in (("ayse", CUSTOMER_PAGES), ("admin", STAFF_PAGES)):
        for url, status, size, queries, median, rate in measure(app, username, pages,
                                                                args.repeat):
            print(f"| {url} | {status} | {size:,} | {queries} | {median:.1f} | {rate:.0f} |")


if __name__ == "__main__":
    main()
