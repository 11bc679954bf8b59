"""Server time and memory of the CSV export and of an invoice PDF, at two export sizes.

    .venv/bin/python benchmarks/exports.py [--rows 2000,20000] [--repeat 5] [--db sqlite,postgresql]

For each database it builds a throwaway instance with the demo data, adds invoices to the demo
customer Anadolu Yapı Market (``ayse``) until it holds each ``--rows`` count, and downloads
``/documents/invoice/export.csv`` (the whole list) through Flask's test client: the median
server time of ``--repeat`` downloads and the peak Python memory of one (``tracemalloc``). A
streamed export from plain rows keeps the peak flat as rows grow. Then it renders the PDF of a
two-page invoice (45 lines): the first one (fonts parsed once per process) and the median of
``--repeat`` after it, with the peak memory of one. Figures are printed as Markdown and written
into ``benchmarks/README.md`` between ``<!-- exports:start -->`` and ``<!-- exports:end -->``;
they are never asserted by tests.

PostgreSQL uses a throwaway database on ``--postgres-url`` (default: the local server).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import signed_in_client  # noqa: E402


def build_instance(folder: Path, url: str):
    from portal import create_app
    from portal.core import migrate
    from portal.core.demo import load_demo

    os.environ["PORTAL_INSTANCE_PATH"] = str(folder)
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(folder)})
    migrate.upgrade(app)
    with app.app_context():
        load_demo(app)
    return app


def _company_id(conn) -> int:
    from sqlalchemy import select

    from portal.core.models import User

    return conn.scalar(select(User.company_id).where(User.username == "ayse"))


def add_invoices(app, upto: int) -> int:
    """Give the heavy customer ``upto`` invoices in all (one line each); returns how many."""
    from sqlalchemy import func, insert, select

    from plugins.documents.models import Document, DocumentLine

    engine = app.extensions["portal.engine"]
    with engine.begin() as conn:
        company = _company_id(conn)
        have = conn.scalar(select(func.count()).select_from(Document)
                           .where(Document.company_id == company,
                                  Document.doc_type == "invoice"))
        start = conn.scalar(select(func.coalesce(func.max(Document.id), 0))) + 1
        line_start = conn.scalar(select(func.coalesce(func.max(DocumentLine.id), 0))) + 1
        now = dt.datetime.now(dt.UTC)
        docs, lines = [], []
        for offset in range(max(upto - have, 0)):
            did = start + offset
            day = dt.date(2025, 1, 1) + dt.timedelta(days=offset % 700)
            net = Decimal(1000 + offset % 5000) / 4
            tax = (net * Decimal("0.2")).quantize(Decimal("0.01"))
            docs.append({"id": did, "company_id": company, "doc_type": "invoice",
                         "number": f"BENCH-F-{did:08d}", "external_id": f"BENCH-F{did}",
                         "issued_on": day, "due_on": day + dt.timedelta(days=30),
                         "currency": "TRY", "status": "issued", "net_total": net,
                         "tax_total": tax, "gross_total": net + tax,
                         "notes": "=HYPERLINK(\"x\")" if offset % 97 == 0 else "",
                         "created_at": now, "updated_at": now})
            lines.append({"id": line_start + offset, "document_id": did, "line_no": 1,
                          "product_code": "AY-1006", "product_name": "Işıklı anahtar",
                          "quantity": Decimal(4), "unit": "adet", "unit_price": net / 4,
                          "discount_rate": Decimal(0), "tax_rate": Decimal(20),
                          "net_amount": net, "tax_amount": tax, "gross_amount": net + tax})
        for chunk in range(0, len(docs), 5000):
            conn.execute(insert(Document), docs[chunk:chunk + 5000])
            conn.execute(insert(DocumentLine), lines[chunk:chunk + 5000])
    return upto


def two_page_invoice(app) -> int:
    """An invoice of 45 lines (two pages) for the heavy customer; returns its id."""
    from sqlalchemy import func, insert, select

    from plugins.documents.models import Document, DocumentLine

    engine = app.extensions["portal.engine"]
    with engine.begin() as conn:
        company = _company_id(conn)
        did = conn.scalar(select(func.max(Document.id))) + 1
        first_line = conn.scalar(select(func.max(DocumentLine.id))) + 1
        price = Decimal("123.45")
        net = price * 45
        tax = (net * Decimal("0.2")).quantize(Decimal("0.01"))
        now = dt.datetime.now(dt.UTC)
        conn.execute(insert(Document), [{
            "id": did, "company_id": company, "doc_type": "invoice", "number": "BENCH-PDF-1",
            "external_id": "BENCH-PDF-1", "issued_on": dt.date(2026, 11, 2),
            "due_on": dt.date(2026, 12, 2), "currency": "TRY", "status": "issued",
            "net_total": net, "tax_total": tax, "gross_total": net + tax, "notes": "",
            "created_at": now, "updated_at": now}])
        conn.execute(insert(DocumentLine), [{
            "id": first_line + n, "document_id": did, "line_no": n + 1,
            "product_code": f"AY-{1000 + n}", "product_name": f"Çelik dübel ğüşıöç {n}",
            "quantity": Decimal(1), "unit": "adet", "unit_price": price,
            "discount_rate": Decimal(0), "tax_rate": Decimal(20), "net_amount": price,
            "tax_amount": (price * Decimal("0.2")).quantize(Decimal("0.01")),
            "gross_amount": price + (price * Decimal("0.2")).quantize(Decimal("0.01"))}
            for n in range(45)])
    return did


def download(client, url: str) -> int:
    """Read the response chunk by chunk, as a client would, keeping none; returns its size."""
    response = client.get(url, buffered=False)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    size = sum(len(chunk) for chunk in response.iter_encoded())
    response.close()
    return size


def timed_download(client, url: str) -> tuple[float, int]:
    start = time.perf_counter()
    size = download(client, url)
    return (time.perf_counter() - start) * 1000, size


def peak_memory(client, url: str) -> float:
    tracemalloc.start()
    download(client, url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def measure(database: str, url: str, rows: list[int], repeat: int) -> list[tuple]:
    results = []
    with tempfile.TemporaryDirectory(prefix="portal-exports-") as tmp:
        app = build_instance(Path(tmp), url)
        client = signed_in_client(app, "ayse")
        export = "/documents/invoice/export.csv"
        for count in rows:
            add_invoices(app, count)
            times, size = zip(*(timed_download(client, export) for _ in range(repeat)),
                              strict=True)
            results.append((database, f"CSV export of {count:,} invoices",
                            statistics.median(times), peak_memory(client, export),
                            f"{size[0] / 1024:,.0f} KB"))
        pdf = f"/documents/{two_page_invoice(app)}/pdf"
        first, size = timed_download(client, pdf)
        times = [timed_download(client, pdf)[0] for _ in range(repeat)]
        results.append((database, "invoice PDF, 45 lines (first in the process)", first,
                        None, f"{size / 1024:,.0f} KB"))
        results.append((database, "invoice PDF, 45 lines (later)", statistics.median(times),
                        peak_memory(client, pdf), f"{size / 1024:,.0f} KB"))
        app.extensions["portal.engine"].dispose()
    return results


def postgres_database(server: str):
    """A throwaway database on ``server``; returns (url, drop) or None when none answers."""
    import psycopg

    plain = re.sub(r"^postgresql\+\w+://", "postgresql://", server)
    name = f"portal_bench_exports_{os.getpid()}"
    try:
        with psycopg.connect(plain, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        return None

    def drop():
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    base = plain.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}", drop


def write_section(body: str) -> None:
    """Put ``body`` between the exports markers of benchmarks/README.md (a new section if none)."""
    readme = HERE / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = f"<!-- exports:start -->\n{body}\n<!-- exports:end -->"
    if "<!-- exports:start -->" in text:
        text = re.sub(r"<!-- exports:start -->.*<!-- exports:end -->", lambda _m: block, text,
                      flags=re.S)
    else:
        text = (text.rstrip() + "\n\n## Exports and PDFs (`exports.py`)\n\n" + block + "\n")
    readme.write_text(text, encoding="utf-8")


def table(results: list[tuple], args) -> str:
    head = (f"{dt.date.today().isoformat()}, `benchmarks/exports.py --rows "
            f"{','.join(map(str, args.rows))} --repeat {args.repeat}`, {platform.machine()}, "
            f"{os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f} at the end).\n\n")
    lines = ["| database | what | median server time | peak Python memory | size |",
             "| --- | --- | ---: | ---: | ---: |"]
    for database, what, ms, peak, size in results:
        memory = "—" if peak is None else f"{peak:,.1f} MiB"
        lines.append(f"| {database} | {what} | {ms:,.0f} ms | {memory} | {size} |")
    return head + "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="2000,20000",
                        type=lambda text: [int(n) for n in text.split(",")])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=os.environ.get(
        "PORTAL_BENCH_POSTGRES_URL", "postgresql://127.0.0.1:5432/postgres"))
    parser.add_argument("--no-readme", action="store_true", help="print only")
    args = parser.parse_args()
    results = []
    for database in args.db.split(","):
        if database == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                results += measure("SQLite", f"sqlite:///{folder}/portal.sqlite3", args.rows,
                                   args.repeat)
        else:
            target = postgres_database(args.postgres_url)
            if target is None:
                print(f"no PostgreSQL at {args.postgres_url}: skipped", file=sys.stderr)
                continue
            url, drop = target
            try:
                results += measure("PostgreSQL", url, args.rows, args.repeat)
            finally:
                drop()
    body = table(results, args)
    print(body)
    if not args.no_readme:
        write_section(body)


if __name__ == "__main__":
    main()
