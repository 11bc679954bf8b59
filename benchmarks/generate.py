"""Generate a consistent data set at a scale factor, on top of the demo data.

    .venv/bin/python benchmarks/generate.py --database-url URL --scale 0.01

Scale 1 is 200 extra companies, 20,000 products, 100,000 orders (about 5 lines each) with their
status history, goods issues for what was shipped, invoices based on them, payments, credit
notes and quarterly reconciliations. The demo company Anadolu Yapı Market (``ayse``) is the heavy
customer: it holds a fifth of the orders and their documents.

Rows are written straight into the tables the models describe (explicit ids, every column
filled): PostgreSQL through ``COPY … FROM STDIN`` (psycopg's copy), SQLite through executemany.
The database must be upgraded and hold the demo data first (``portal db upgrade && portal demo``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select, text

HEAVY_COMPANY = "C-1001"
CENT = Decimal("0.01")

NOUNS = ["Kablo", "Priz", "Vida", "Boru", "Vana", "Panel", "Lamba", "Boya", "Levha", "Somun",
         "Conta", "Eldiven", "Sigorta", "Anahtar", "Dübel", "Fiş", "Hortum", "Kelepçe",
         "Menteşe", "Profil", "Çimento", "Yalıtım", "Şalter", "Güneşlik", "Işıldak"]
ADJECTIVES = ["Beyaz", "Siyah", "Galvaniz", "Paslanmaz", "Plastik", "Çelik", "Bakır", "Ağır",
              "Hafif", "Sıva altı", "Sıva üstü", "Endüstriyel", "Ekonomik", "Kalın", "İnce"]
UNITS = ["adet", "kutu", "paket", "metre", "torba", "rulo"]


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class Writer:
    """Explicit ids and bulk writes, one transaction for the whole set."""

    def __init__(self, conn, metadata):
        self.conn = conn
        self.metadata = metadata
        self.postgres = conn.dialect.name == "postgresql"
        self.next_ids: dict[str, int] = {}
        self.counts: dict[str, int] = {}

    def table(self, name):
        return self.metadata.tables[name]

    def next_id(self, name: str) -> int:
        if name not in self.next_ids:
            table = self.table(name)
            self.next_ids[name] = (self.conn.scalar(select(func.max(table.c.id))) or 0) + 1
        value = self.next_ids[name]
        self.next_ids[name] = value + 1
        return value

    def write(self, name: str, rows: list[dict]) -> None:
        if not rows:
            return
        table = self.table(name)
        columns = [c.name for c in table.columns]
        defaults = {}
        for column in table.columns:
            default = column.default
            if default is not None and default.is_scalar:
                defaults[column.name] = default.arg
            elif default is not None and default.is_callable:
                defaults[column.name] = default.arg(None)
            else:
                defaults[column.name] = None
        full = [{**defaults, **row} for row in rows]
        if self.postgres:
            raw = self.conn.connection.driver_connection
            json_columns = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
            with raw.cursor() as cursor:
                names = ", ".join(f'"{c}"' for c in columns)
                with cursor.copy(f'COPY "{name}" ({names}) FROM STDIN') as copy:
                    for row in full:
                        copy.write_row(tuple(json.dumps(row[c]) if c in json_columns else row[c]
                                             for c in columns))
        else:
            self.conn.execute(table.insert(), full)
        self.counts[name] = self.counts.get(name, 0) + len(rows)

    def finish(self) -> None:
        if self.postgres:
            for name in self.next_ids:
                self.conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM \"{name}\"))"))


def generate(conn, metadata, scale: float, seed: int = 15) -> dict[str, int]:
    from portal.core.text import search_key

    rng = random.Random(seed)
    w = Writer(conn, metadata)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    company = w.table("customer_company")
    heavy = conn.scalar(select(company.c.id).where(company.c.external_id == HEAVY_COMPANY))
    if heavy is None:
        raise SystemExit("load the demo data first: portal demo")

    # Companies.
    n_companies = max(2, round(200 * scale))
    new_companies = []
    for _ in range(n_companies):
        cid = w.next_id("customer_company")
        name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} Ticaret {cid} A.Ş."
        new_companies.append({"id": cid, "external_id": f"BENCH-C{cid}", "name": name,
                              "search_key": search_key(name)[:200],
                              "code_key": search_key(f"BENCH-C{cid}"),
                              "tax_number": f"{cid:010d}", "created_at": now})
    w.write("customer_company", new_companies)
    company_ids = [c["id"] for c in new_companies]

    # Products, with a price on every price list.
    categories = list(conn.scalars(select(w.table("orders_category").c.id)))
    price_lists = list(conn.scalars(select(w.table("orders_price_list").c.id)))
    n_products = max(50, round(20000 * scale))
    products, prices = [], []
    for _ in range(n_products):
        pid = w.next_id("orders_product")
        code = f"BP-{pid:06d}"
        name = f"{rng.choice(NOUNS)} {rng.choice(ADJECTIVES).lower()} {rng.randint(1, 500)}"
        unit = rng.choice(UNITS)
        products.append({
            "id": pid, "code": code, "external_id": f"BENCH-P{pid}", "name": name,
            "search_key": search_key(f"{name} {code}")[:500], "description": "",
            "category_id": rng.choice(categories) if categories else None, "unit": unit,
            "whole_units": unit != "metre", "tax_rate": Decimal("20"),
            "active": rng.random() > 0.03, "attributes": {"Menşei": "Türkiye"},
            "updated_at": now})
        base = Decimal(rng.randint(500, 250000)) / 100
        for list_id in price_lists:
            prices.append({"id": w.next_id("orders_price"), "price_list_id": list_id,
                           "product_id": pid,
                           "unit_price": (base * Decimal(rng.choice([90, 95, 100, 105])) / 100)
                           .quantize(Decimal("0.0001"))})
    w.write("orders_product", products)
    w.write("orders_price", prices)
    active = [p for p in products if p["active"]]

    # Orders, lines, history; goods issues, invoices, payments, credit notes.
    n_orders = max(100, round(100000 * scale))
    per_year: dict[int, int] = {}
    doc_numbers: dict[tuple[str, int], int] = {}

    def doc_number(doc_type: str, prefix: str, day: dt.date) -> str:
        key = (doc_type, day.year)
        doc_numbers[key] = doc_numbers.get(key, 0) + 1
        return f"B{prefix}-{day.year}-{doc_numbers[key]:07d}"

    orders, lines, history, docs, doc_lines, links = [], [], [], [], [], []

    def document(company_id, doc_type, prefix, day, total_net, total_tax, **extra):
        did = w.next_id("document")
        docs.append({"id": did, "company_id": company_id, "doc_type": doc_type,
                     "number": doc_number(doc_type, prefix, day), "external_id": f"BENCH-D{did}",
                     "issued_on": day, "currency": "TRY", "net_total": total_net,
                     "tax_total": total_tax, "gross_total": total_net + total_tax,
                     "notes": "", "created_at": now, "updated_at": now, **extra})
        return did

    def document_line(did, line_no, line, quantity, origin=None):
        net = money(quantity * line["unit_price"] * (100 - line["discount_rate"]) / 100)
        tax = money(net * line["tax_rate"] / 100)
        doc_lines.append({
            "id": w.next_id("document_line"), "document_id": did, "line_no": line_no,
            "product_code": line["product_code"], "product_name": line["product_name"],
            "quantity": quantity, "unit": line["unit"], "unit_price": line["unit_price"],
            "discount_rate": line["discount_rate"], "tax_rate": line["tax_rate"],
            "net_amount": net, "tax_amount": tax, "gross_amount": net + tax,
            "origin_kind": "orders.order_line" if origin else None,
            "origin_ref": str(origin) if origin else None})
        return net, tax

    for _ in range(n_orders):
        company_id = heavy if rng.random() < 0.2 else rng.choice(company_ids)
        age = rng.uniform(0, 730)
        created = now - dt.timedelta(days=age)
        status = _status_at_age(rng, age)
        oid = w.next_id("orders_order")
        per_year[created.year] = per_year.get(created.year, 0) + 1
        order_lines = []
        for line_no in range(1, rng.randint(1, 9) + 1):
            product = rng.choice(active)
            quantity = Decimal(rng.randint(1, 40))
            unit_price = Decimal(rng.randint(500, 250000)) / 100
            discount = Decimal(rng.choice([0, 0, 0, 5, 10]))
            net = money(quantity * unit_price * (100 - discount) / 100)
            tax = money(net * Decimal("20") / 100)
            order_lines.append({
                "id": w.next_id("orders_order_line"), "order_id": oid, "line_no": line_no,
                "product_id": product["id"], "product_code": product["code"],
                "product_name": product["name"], "unit": product["unit"], "quantity": quantity,
                "unit_price": unit_price, "discount_rate": discount, "tax_rate": Decimal("20"),
                "net_amount": net, "tax_amount": tax, "gross_amount": net + tax})
        lines.extend(order_lines)
        net_total = sum((line["net_amount"] for line in order_lines), Decimal("0"))
        tax_total = sum((line["tax_amount"] for line in order_lines), Decimal("0"))
        orders.append({
            "id": oid, "company_id": company_id,
            "number": f"BS-{created.year}-{oid:07d}", "status": status, "source": "cart",
            "idempotency_key": f"bench-{oid}", "placed_by_name": "Bench", "created_at": created,
            "updated_at": created, "delivery_address": "", "po_number": f"PO-{oid}",
            "comment": "", "currency": "TRY", "net_total": net_total, "tax_total": tax_total,
            "gross_total": net_total + tax_total, "quotation_number": "", "cancel_reason": ""})
        steps = ["sent"] + (["in_progress"] if status in ("in_progress", "completed") else []) \
            + ([status] if status in ("completed", "cancelled") else [])
        for offset, step in enumerate(steps):
            history.append({"id": w.next_id("orders_status_change"), "order_id": oid,
                            "status": step, "at": created + dt.timedelta(days=offset),
                            "by_name": "Bench", "note": ""})
        shipped = (status == "completed" or (status == "in_progress" and rng.random() < 0.5))
        if not shipped:
            continue
        day = (created + dt.timedelta(days=len(steps))).date()
        gi = document(company_id, "goods_issue", "GI", day, Decimal("0"), Decimal("0"),
                      status="issued", origin_kind="orders.order", origin_ref=str(oid))
        inv_net = inv_tax = Decimal("0")
        invoice_lines = []
        for number, line in enumerate(order_lines, 1):
            quantity = line["quantity"] if status == "completed" else \
                Decimal(rng.randint(0, int(line["quantity"])))
            if quantity:
                line["shipped_quantity"] = quantity  # what the orders plugin keeps per line
                net, tax = document_line(gi, number, line, quantity, origin=line["id"])
                inv_net, inv_tax = inv_net + net, inv_tax + tax
                invoice_lines.append((line, quantity))
        docs[-1].update(net_total=inv_net, tax_total=inv_tax, gross_total=inv_net + inv_tax)
        paid = rng.random() < 0.7
        order_number = orders[-1]["number"]  # the ERP names the order on its money documents
        invoice = document(company_id, "invoice", "INV", day, inv_net, inv_tax,
                           due_on=day + dt.timedelta(days=30), order_number=order_number,
                           status="paid" if paid else "issued")
        for number, (line, quantity) in enumerate(invoice_lines, 1):
            document_line(invoice, number, line, quantity)
        links.append({"document_id": invoice, "based_on_id": gi})
        if paid:
            payment = document(company_id, "payment", "PAY", day + dt.timedelta(days=20),
                               inv_net + inv_tax, Decimal("0"), status="received",
                               order_number=order_number)
            links.append({"document_id": payment, "based_on_id": invoice})
        if rng.random() < 0.05 and invoice_lines:
            line, quantity = invoice_lines[0]
            credit = document(company_id, "credit_note", "CN", day + dt.timedelta(days=10),
                              Decimal("0"), Decimal("0"), status="issued",
                              order_number=order_number)
            net, tax = document_line(credit, 1, line, quantity)
            docs[-1].update(net_total=net, tax_total=tax, gross_total=net + tax)
            links.append({"document_id": credit, "based_on_id": invoice})
        if len(orders) >= 5000:
            _flush(w, orders, lines, history, docs, doc_lines, links)

    _flush(w, orders, lines, history, docs, doc_lines, links)

    # One reconciliation statement per company and quarter of the last two years.
    for company_id in [heavy, *company_ids]:
        balance = Decimal("0")
        for quarter in range(8):
            end = (now - dt.timedelta(days=91 * quarter)).date()
            closing = balance + Decimal(rng.randint(-500000, 500000)) / 100
            document(company_id, "reconciliation", "RC", end, Decimal("0"), Decimal("0"),
                     status="issued", period_start=end - dt.timedelta(days=90),
                     period_end=end, opening_balance=balance, closing_balance=closing)
            balance = closing
    _flush(w, orders, lines, history, docs, doc_lines, links)

    counter = w.table("orders_counter")
    for year, count in per_year.items():
        current = conn.scalar(select(counter.c.last_value).where(counter.c.year == year))
        if current is None:
            conn.execute(counter.insert().values(year=year, last_value=count))
    w.finish()
    return w.counts


def _status_at_age(rng, age: float) -> str:
    """An order's status by its age in days, as a supplier's book looks: new orders are sent,
    orders of the last weeks in progress, older ones completed (or cancelled); a few stay in
    progress for a quarter (back orders), none for years. About 2.5 % of all orders (4 % of
    a year's) are in progress, so their number still grows with the data set."""
    roll = rng.random()
    if age < 2:
        return "sent" if roll < 0.6 else "in_progress"
    if age < 30:
        return "in_progress" if roll < 0.5 else "cancelled" if roll < 0.6 else "completed"
    if age < 90:
        return "in_progress" if roll < 0.05 else "cancelled" if roll < 0.2 else "completed"
    return "cancelled" if roll < 0.15 else "completed"


def _flush(w, orders, lines, history, docs, doc_lines, links) -> None:
    for name, rows in (("orders_order", orders), ("orders_order_line", lines),
                       ("orders_status_change", history), ("document", docs),
                       ("document_line", doc_lines), ("document_link", links)):
        w.write(name, rows)
        rows.clear()


def analyze(conn) -> None:
    """Fresh planner statistics (SQLite gathers none by itself)."""
    conn.execute(text("ANALYZE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--scale", type=float, default=0.01)
    args = parser.parse_args()
    from portal.app import create_app
    from portal.core.db import Base, make_engine

    create_app({"DATABASE_URL": args.database_url})  # imports every plugin's models
    engine = make_engine(args.database_url)
    start = time.perf_counter()
    with engine.begin() as conn:
        counts = generate(conn, Base.metadata, args.scale)
    with engine.begin() as conn:
        analyze(conn)
    print(f"generated in {time.perf_counter() - start:.1f} s:",
          ", ".join(f"{name} {count:,}" for name, count in counts.items()))


if __name__ == "__main__":
    main()
