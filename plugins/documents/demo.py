"""Demo documents: a year of consistent paperwork for each demo customer, plus a few files.

Per month and customer: a quotation, then (usually) a goods issue based on it, an invoice based
on the goods issue with its tax invoice, a payment against the invoice a few weeks later; now
and then a goods return with its credit note (payments and credit notes are allocated to their
invoice); a reconciliation statement each quarter listing
the quarter's invoices, credit notes and payments. Idempotent: a company that already has demo
documents is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import select

from portal.core.models import CustomerCompany

from .models import Document, DocumentAllocation, DocumentLink, DocumentNumberCounter
from .services import DOC_TYPES, PREFIXES, LineData, build_document, money

DEMO_COMPANIES = ("C-1001", "C-1002", "C-1003")
PRODUCTS = {
    "C-1001": [("YP-1020", "Çimento 50 kg", "torba", "185.00"),
               ("YP-2210", "Seramik yapıştırıcı 25 kg", "torba", "142.50"),
               ("YP-3301", "İnşaat demiri Ø12", "ton", "21450.00"),
               ("YP-4410", "Su yalıtım membranı", "rulo", "1280.00"),
               ("YP-5120", "Alçıpan levha 12,5 mm", "adet", "168.90"),
               ("YP-6030", "Gazbeton blok 60x25", "adet", "54.20")],
    "C-1002": [("EL-1001", "NYA kablo 2,5 mm² (100 m)", "makara", "1895.00"),
               ("EL-2040", "Sıva altı priz, beyaz", "adet", "38.75"),
               ("EL-3115", "LED panel 60x60 40 W", "adet", "612.00"),
               ("EL-4200", "Otomatik sigorta C16", "adet", "96.40"),
               ("EL-5310", "Kaçak akım rölesi 40 A", "adet", "845.00"),
               ("EL-6020", "Kablo kanalı 40x16 (2 m)", "boy", "44.90")],
    "C-1003": [("TR-1100", "Damla sulama borusu 16 mm", "rulo", "1340.00"),
               ("TR-2210", "Kompoze gübre 20-20-0", "çuval", "965.00"),
               ("TR-3050", "Buğday tohumu (sertifikalı)", "kg", "18.60"),
               ("TR-4300", "Sera örtüsü UV katkılı", "m²", "27.80"),
               ("TR-5120", "Pulverizatör 16 L", "adet", "1150.00"),
               ("TR-6010", "Organik toprak düzenleyici", "çuval", "310.00")],
}
TAX = Decimal("20")


def _lines(rng: random.Random, products, count: int) -> list[LineData]:
    chosen = rng.sample(products, count)
    return [LineData(product_code=code, product_name=name,
                     quantity=Decimal(rng.choice([1, 2, 3, 5, 10, 12, 20, 25, 40, 50])),
                     unit=unit, unit_price=Decimal(price), tax_rate=TAX,
                     discount_rate=Decimal(rng.choice([0, 0, 0, 5, 10])))
            for code, name, unit, price in chosen]


class Numbers:
    """Document numbers for a bulk load: read the counters once, write them back once."""

    def __init__(self, session):
        self.session = session
        self.last = {(c.doc_type, c.year): c for c in session.scalars(
            select(DocumentNumberCounter))}

    def next(self, doc_type: str, day: dt.date) -> str:
        counter = self.last.get((doc_type, day.year))
        if counter is None:
            counter = DocumentNumberCounter(doc_type=doc_type, year=day.year, last=0)
            self.session.add(counter)
            self.last[(doc_type, day.year)] = counter
        counter.last += 1
        return f"{PREFIXES[doc_type]}-{day.year}-{counter.last:06d}"


def load_demo_documents(session, today: dt.date | None = None) -> None:
    today = today or dt.date.today()
    start = (today.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
    for external_id in DEMO_COMPANIES:
        company = session.scalar(select(CustomerCompany)
                                 .where(CustomerCompany.external_id == external_id))
        if company is None:
            continue
        done = session.scalar(select(Document.id).where(
            Document.company_id == company.id, Document.external_id.like("DEMO-%")).limit(1))
        if done is None:
            _company_year(session, Numbers(session), company, PRODUCTS[external_id], start,
                          today)


def _company_year(session, numbers: Numbers, company, products, start: dt.date,
                  today: dt.date) -> None:
    """Build the company's documents in memory, then insert them in a few statements."""
    rng = random.Random(f"portal-demo-{company.external_id}")
    seq = iter(range(1, 100_000))
    links: list[tuple[Document, Document]] = []

    def create(doc_type, day, lines, based_on=(), **kwargs):
        assert doc_type in DOC_TYPES
        doc = build_document(company_id=company.id, doc_type=doc_type,
                             number=numbers.next(doc_type, day), issued_on=day, lines=lines,
                             external_id=f"DEMO-{company.external_id}-{next(seq)}", **kwargs)
        session.add(doc)
        links.extend((doc, base) for base in based_on)
        return doc

    movements: list[tuple[dt.date, Document, Decimal]] = []
    balance = Decimal("0")
    month = start
    while month <= today:
        days = sorted(month + dt.timedelta(days=rng.randint(0, 12))
                      for _round in range(rng.choice([1, 2])))
        for day in days:
            if day > today:
                break
            quotation = create("quotation", day, _lines(rng, products, rng.randint(2, 4)),
                               valid_until=day + dt.timedelta(days=30),
                               status="accepted" if rng.random() < 0.8 else "expired")
            if quotation.status != "accepted":
                continue
            ship_day = day + dt.timedelta(days=rng.randint(2, 6))
            if ship_day > today:
                quotation.status = "issued"
                continue
            order_no = f"SIP-{ship_day.year}-{next(seq):05d}"
            lines = [LineData(product_code=ln.product_code, product_name=ln.product_name,
                              quantity=ln.quantity, unit=ln.unit, unit_price=ln.unit_price,
                              tax_rate=ln.tax_rate, discount_rate=ln.discount_rate)
                     for ln in _quotation_lines(quotation)]
            goods_issue = create("goods_issue", ship_day, lines, based_on=[quotation],
                                 notes=f"Sipariş {order_no}")
            invoice_day = ship_day + dt.timedelta(days=1)
            paid = invoice_day + dt.timedelta(days=30) < today - dt.timedelta(days=10)
            invoice = create("invoice", invoice_day, lines, based_on=[goods_issue],
                             due_on=invoice_day + dt.timedelta(days=30),
                             status="paid" if paid else "issued", notes=f"Sipariş {order_no}")
            create("tax_invoice", invoice_day, lines, based_on=[invoice],
                   notes="e-Fatura")
            movements.append((invoice_day, invoice, invoice.gross_total))
            if paid:
                pay_day = invoice_day + dt.timedelta(days=rng.randint(20, 35))
                payment = create("payment", pay_day, [], based_on=[invoice],
                                 status="received", gross_total=invoice.gross_total,
                                 net_total=invoice.gross_total,
                                 notes=f"Havale/EFT · {invoice.number}")
                movements.append((pay_day, payment, -invoice.gross_total))
            if rng.random() < 0.2:
                back = lines[:1]
                returned = LineData(product_code=back[0].product_code,
                                    product_name=back[0].product_name,
                                    quantity=max(Decimal("1"), back[0].quantity // 5),
                                    unit=back[0].unit, unit_price=back[0].unit_price,
                                    tax_rate=back[0].tax_rate,
                                    discount_rate=back[0].discount_rate)
                return_day = ship_day + dt.timedelta(days=rng.randint(5, 15))
                if return_day < today:
                    goods_return = create("goods_return", return_day, [returned],
                                          based_on=[goods_issue],
                                          notes="Hasarlı ürün iadesi")
                    credit = create("credit_note", return_day + dt.timedelta(days=1),
                                    [returned], based_on=[goods_return, invoice])
                    movements.append((credit.issued_on, credit, -credit.gross_total))
        quarter_end = _month_end(month)
        if quarter_end.month % 3 == 0 and quarter_end < today:
            balance = _reconciliation(session, create, movements, month, quarter_end, balance)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    session.flush()
    session.add_all(DocumentLink(document_id=doc.id, based_on_id=base.id) for doc, base in links)
    # Payments and credit notes say which invoice they settle, as an ERP would send it.
    session.add_all(DocumentAllocation(document_id=doc.id, company_id=doc.company_id,
                                       invoice_id=base.id, amount=doc.gross_total)
                    for doc, base in links
                    if doc.doc_type in ("payment", "credit_note") and base.doc_type == "invoice")
    session.flush()


def _quotation_lines(quotation: Document):
    return quotation.lines


def _month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _reconciliation(session, create, movements, month, quarter_end, opening) -> Decimal:
    quarter_start = (quarter_end.replace(day=1) - dt.timedelta(days=62)).replace(day=1)
    entries = sorted((m for m in movements if quarter_start <= m[0] <= quarter_end),
                     key=lambda m: (m[0], m[1].number))
    lines = [LineData(product_code=f"{day.isoformat()} {doc.number}",
                      product_name={"invoice": "Fatura", "payment": "Tahsilat",
                                    "credit_note": "İade faturası"}.get(doc.doc_type,
                                                                         doc.doc_type),
                      quantity=Decimal("1"), unit="", unit_price=amount, tax_rate=Decimal("0"))
             for day, doc, amount in entries]
    moved = money(sum((amount for _d, _doc, amount in entries), Decimal("0")))
    closing = opening + moved
    create("reconciliation", quarter_end + dt.timedelta(days=1) if quarter_end.month != 12
           else quarter_end, lines, period_start=quarter_start, period_end=quarter_end,
           opening_balance=opening, closing_balance=closing, status="issued",
           notes="Cari hesap mutabakatı")
    return closing
