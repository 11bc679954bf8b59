"""The customer's account as the money documents make it: balances, settlement, statement.

The service API the balances plugin (and anyone else) reads account figures through; nothing
here imports Flask except :func:`money_signs`, which reads the document-type registry when no
signs are given. Every figure is per currency and never summed across currencies; amounts are
``Decimal`` rounded once, to cents, when a figure is finished.

Which documents count: those of a type with ``money=True`` (``sign`` ``DEBIT`` raises what the
customer owes, ``CREDIT`` lowers it) that are not cancelled. Tax invoices are not money
documents (they are the official copy of an invoice) and count zero.

Settlement (which credit settles which debit) follows what the ERP sent in ``allocations``
(:class:`.models.DocumentAllocation`):

1. an allocation naming an invoice settles that invoice (up to its amount; any excess is an
   advance);
2. an allocation naming an order, or a credit document without allocations that belongs to an
   order (``order_number``), settles that order's invoices oldest due first; the rest is an
   advance on that order;
3. a credit document with allocations that do not cover its amount: the rest is an advance;
4. a credit document without allocations and without an order settles the oldest due invoices
   first (``auto_settled`` tells the page to say so); what no invoice absorbs is an advance.

So ``net balance = payable − advances`` holds exactly, per currency.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, case, func, or_, select, type_coerce
from sqlalchemy.orm import aliased

from .models import CompanyTerms, Document, DocumentAllocation, Money

ZERO = Decimal("0")
CENT = Decimal("0.01")
CANCELLED = "cancelled"
BUCKETS = ("1-30", "31-60", "61-90", "90+")
"""Ageing buckets of overdue amounts, by days past the due date."""


def cents(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def money_signs() -> dict[str, int]:
    """``{doc_type: sign}`` of the money document types of the enabled plugins."""
    from .registry import document_types

    return {key: t.sign for key, t in document_types().items() if t.money and t.sign}


def _signs(signs: dict[str, int] | None) -> tuple[list[str], list[str]]:
    signs = money_signs() if signs is None else signs
    debit = sorted(k for k, v in signs.items() if v > 0)
    credit = sorted(k for k, v in signs.items() if v < 0)
    return debit, credit


def signed_amount(debit: list[str], credit: list[str]):
    """SQL: the document's gross total with its balance sign (0 for other types)."""
    return case((Document.doc_type.in_(debit or ["-"]), Document.gross_total),
                (Document.doc_type.in_(credit or ["-"]), -Document.gross_total), else_=0)


def _counted(company_id: int, debit: list[str], credit: list[str]):
    return and_(Document.company_id == company_id,
                Document.doc_type.in_((debit + credit) or ["-"]),
                Document.status != CANCELLED)


# -- terms ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    credit_limit: Decimal | None = None
    credit_currency: str = "TRY"
    payment_terms_days: int | None = None
    payment_terms: str = ""


def company_terms(session, company_id: int) -> Terms:
    """The credit limit and payment terms the ERP sent for the company (empty when none)."""
    row = session.get(CompanyTerms, company_id)
    if row is None:
        return Terms()
    return Terms(row.credit_limit, row.credit_currency or "TRY", row.payment_terms_days,
                 row.payment_terms or "")


def set_company_terms(session, company_id: int, *, credit_limit=None, credit_currency=None,
                      payment_terms_days=None, payment_terms=None) -> bool:
    """Store what the ERP sent (all empty removes the row); returns whether anything changed."""
    row = session.get(CompanyTerms, company_id)
    values = {"credit_limit": cents(credit_limit) if credit_limit is not None else None,
              "credit_currency": (credit_currency or "TRY").upper(),
              "payment_terms_days": payment_terms_days,
              "payment_terms": payment_terms or ""}
    empty = credit_limit is None and payment_terms_days is None and not payment_terms
    if row is None:
        if empty:
            return False
        session.add(CompanyTerms(company_id=company_id, **values))
        return True
    if empty:
        session.delete(row)
        return True
    changed = False
    for key, value in values.items():
        current = getattr(row, key)
        same = (current is None and value is None) if current is None or value is None \
            else (Decimal(current) == Decimal(value) if key == "credit_limit" else current == value)
        if not same:
            setattr(row, key, value)
            changed = True
    return changed


# -- settlement -------------------------------------------------------------------------------


@dataclass
class OpenItem:
    """An invoice (debit document) with what is still to pay on it."""

    id: int
    number: str
    doc_type: str
    currency: str
    order_number: str | None
    issued_on: dt.date
    due_on: dt.date
    gross: Decimal
    outstanding: Decimal

    def days_overdue(self, today: dt.date) -> int:
        return (today - self.due_on).days


@dataclass
class CurrencyBalance:
    """Every figure of the customer balance in one currency."""

    currency: str
    debits: Decimal = ZERO
    credits: Decimal = ZERO
    not_due: Decimal = ZERO
    overdue: dict[str, Decimal] = field(default_factory=lambda: {b: ZERO for b in BUCKETS})
    advances: Decimal = ZERO
    next_due_on: dt.date | None = None
    next_due_amount: Decimal = ZERO
    auto_settled: bool = False
    credit_limit: Decimal | None = None

    @property
    def overdue_total(self) -> Decimal:
        return sum(self.overdue.values(), ZERO)

    @property
    def payable(self) -> Decimal:
        return self.not_due + self.overdue_total

    @property
    def net(self) -> Decimal:
        """Debits − credits; equals payable − advances."""
        return self.debits - self.credits

    @property
    def credit_available(self) -> Decimal | None:
        if self.credit_limit is None:
            return None
        return self.credit_limit - max(self.net, ZERO)


@dataclass
class OrderBalance:
    currency: str
    order_number: str
    first_on: dt.date | None = None
    last_on: dt.date | None = None
    invoiced: Decimal = ZERO
    outstanding: Decimal = ZERO
    advance: Decimal = ZERO

    @property
    def paid(self) -> Decimal:
        return self.invoiced - self.outstanding

    @property
    def is_open(self) -> bool:
        return self.outstanding > 0 or self.advance > 0


@dataclass
class Settlement:
    """The result of settling a company's account: open items and advances per currency."""

    items: list[OpenItem]
    advances: dict[str, Decimal]
    order_advances: dict[tuple[str, str], Decimal]
    auto_settled: set[str]


def _due(row, terms_days: int | None) -> dt.date:
    if row.due_on is not None:
        return row.due_on
    return row.issued_on + dt.timedelta(days=terms_days or 0)


def settle(session, company_id: int, *, signs: dict[str, int] | None = None,
           terms: Terms | None = None) -> Settlement:
    """Apply the company's credits to its debits (rules in the module docstring).

    Four aggregate queries; only invoices not fully settled by explicit allocations are read
    (as plain tuples), so the cost follows the number of open invoices.
    """
    debit, credit = _signs(signs)
    terms = terms if terms is not None else company_terms(session, company_id)
    source = aliased(Document)
    explicit = (select(DocumentAllocation.invoice_id,
                       func.sum(DocumentAllocation.amount).label("applied"))
                .join(source, source.id == DocumentAllocation.document_id)
                .where(DocumentAllocation.company_id == company_id,
                       DocumentAllocation.invoice_id.is_not(None),
                       source.status != CANCELLED)
                .group_by(DocumentAllocation.invoice_id).subquery())
    applied = func.coalesce(explicit.c.applied, 0)
    invoices = (select(Document.id, Document.number, Document.doc_type, Document.currency,
                       Document.order_number, Document.issued_on, Document.due_on,
                       Document.gross_total, type_coerce(applied, Money).label("applied"))
                .outerjoin(explicit, explicit.c.invoice_id == Document.id)
                .where(Document.company_id == company_id, Document.doc_type.in_(debit or ["-"]),
                       Document.status != CANCELLED))
    # Explicit allocations absorbed by invoices (capped at each invoice's amount), per currency.
    capped = case((applied > Document.gross_total, Document.gross_total), else_=applied)
    absorbed = dict(session.execute(
        select(Document.currency, type_coerce(func.sum(capped), Money))
        .outerjoin(explicit, explicit.c.invoice_id == Document.id)
        .where(Document.company_id == company_id, Document.doc_type.in_(debit or ["-"]),
               Document.status != CANCELLED, explicit.c.applied.is_not(None))
        .group_by(Document.currency)).all())
    open_rows = session.execute(invoices.where(Document.gross_total > applied)).all()

    # Credits: per document, what its allocations name.
    per_doc = (select(DocumentAllocation.document_id,
                      func.sum(case((DocumentAllocation.invoice_id.is_not(None),
                                     DocumentAllocation.amount), else_=0)).label("to_invoices"),
                      func.sum(case((DocumentAllocation.invoice_id.is_(None),
                                     DocumentAllocation.amount), else_=0)).label("to_orders"))
               .where(DocumentAllocation.company_id == company_id)
               .group_by(DocumentAllocation.document_id).subquery())
    has_alloc = per_doc.c.document_id.is_not(None)
    plain = and_(~has_alloc, Document.order_number.is_(None))
    credit_rows = session.execute(
        select(Document.currency,
               type_coerce(func.sum(case((plain, Document.gross_total), else_=0)), Money),
               type_coerce(func.sum(case((has_alloc, Document.gross_total
                                          - func.coalesce(per_doc.c.to_invoices, 0)
                                          - func.coalesce(per_doc.c.to_orders, 0)),
                                         else_=0)), Money),
               type_coerce(func.sum(func.coalesce(per_doc.c.to_invoices, 0)), Money))
        .outerjoin(per_doc, per_doc.c.document_id == Document.id)
        .where(Document.company_id == company_id, Document.doc_type.in_(credit or ["-"]),
               Document.status != CANCELLED)
        .group_by(Document.currency)).all()
    # Order pools: allocations naming an order, and credits without allocations on an order.
    order_pool: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for currency, order_number, amount in session.execute(
            select(source.currency, DocumentAllocation.order_number,
                   type_coerce(func.sum(DocumentAllocation.amount), Money))
            .join(source, source.id == DocumentAllocation.document_id)
            .where(DocumentAllocation.company_id == company_id,
                   DocumentAllocation.invoice_id.is_(None), source.status != CANCELLED,
                   source.doc_type.in_(credit or ["-"]))
            .group_by(source.currency, DocumentAllocation.order_number)
            .union_all(
                select(Document.currency, Document.order_number,
                       type_coerce(func.sum(Document.gross_total), Money))
                .outerjoin(per_doc, per_doc.c.document_id == Document.id)
                .where(Document.company_id == company_id,
                       Document.doc_type.in_(credit or ["-"]), Document.status != CANCELLED,
                       ~has_alloc, Document.order_number.is_not(None))
                .group_by(Document.currency, Document.order_number))):
        order_pool[(currency, order_number or "")] += Decimal(amount or 0)

    items = [OpenItem(r.id, r.number, r.doc_type, r.currency, r.order_number, r.issued_on,
                      _due(r, terms.payment_terms_days), Decimal(r.gross_total),
                      Decimal(r.gross_total) - Decimal(r.applied or 0))
             for r in open_rows]
    items.sort(key=lambda i: (i.due_on, i.issued_on, i.id))
    advances: dict[str, Decimal] = defaultdict(lambda: ZERO)
    auto_pool: dict[str, Decimal] = defaultdict(lambda: ZERO)
    auto_settled: set[str] = set()
    for currency, plain_total, remainder, to_invoices in credit_rows:
        auto_pool[currency] += Decimal(plain_total or 0)
        advances[currency] += Decimal(remainder or 0)
        # Allocations to invoices that were not absorbed (beyond an invoice, or a cancelled
        # one) are advances too.
        advances[currency] += Decimal(to_invoices or 0) - Decimal(absorbed.get(currency) or 0)
        if plain_total:
            auto_settled.add(currency)

    # Each pool walks only its own invoices (already oldest due first), so settling is linear
    # in the open invoices, not their number times the number of orders.
    by_order: dict[tuple[str, str], list[OpenItem]] = defaultdict(list)
    by_currency: dict[str, list[OpenItem]] = defaultdict(list)
    for item in items:
        by_order[(item.currency, item.order_number or "")].append(item)
        by_currency[item.currency].append(item)
    order_advances: dict[tuple[str, str], Decimal] = {}
    for key, pool in order_pool.items():
        pool = _absorb(pool, by_order.get(key, ()))
        if pool > 0:
            order_advances[key] = pool
            advances[key[0]] += pool
    for currency, pool in auto_pool.items():
        pool = _absorb(pool, by_currency.get(currency, ()))
        if pool > 0:
            advances[currency] += pool
    return Settlement([i for i in items if i.outstanding > 0],
                      {c: cents(v) for c, v in advances.items()}, order_advances, auto_settled)


def _absorb(pool: Decimal, items: Iterable[OpenItem]) -> Decimal:
    """Settle ``items`` in their order from ``pool``; returns what is left of it."""
    for item in items:
        if pool <= 0:
            break
        if item.outstanding > 0:
            take = min(pool, item.outstanding)
            item.outstanding -= take
            pool -= take
    return pool


def _bucket(days: int) -> str:
    if days <= 30:
        return BUCKETS[0]
    if days <= 60:
        return BUCKETS[1]
    if days <= 90:
        return BUCKETS[2]
    return BUCKETS[3]


def balances(session, company_id: int, today: dt.date, *,
             signs: dict[str, int] | None = None) -> list[CurrencyBalance]:
    """The customer balance per currency (sorted, the company's most used first): debits,
    credits, payable split into not yet due and overdue ageing buckets, advances, next due
    date, and the credit limit when the ERP sent one in that currency."""
    debit, credit = _signs(signs)
    terms = company_terms(session, company_id)
    result: dict[str, CurrencyBalance] = {}
    for currency, debits, credits in session.execute(
            select(Document.currency,
                   type_coerce(func.sum(case((Document.doc_type.in_(debit or ["-"]),
                                              Document.gross_total), else_=0)), Money),
                   type_coerce(func.sum(case((Document.doc_type.in_(credit or ["-"]),
                                              Document.gross_total), else_=0)), Money))
            .where(_counted(company_id, debit, credit))
            .group_by(Document.currency).order_by(func.count().desc(), Document.currency)):
        result[currency] = CurrencyBalance(currency, cents(debits), cents(credits))
    if not result:
        return []
    settled = settle(session, company_id, signs=signs, terms=terms)
    for item in settled.items:
        balance = result[item.currency]
        days = item.days_overdue(today)
        if days <= 0:
            balance.not_due += item.outstanding
            if balance.next_due_on is None or item.due_on < balance.next_due_on:
                balance.next_due_on, balance.next_due_amount = item.due_on, ZERO
            if item.due_on == balance.next_due_on:
                balance.next_due_amount += item.outstanding
        else:
            balance.overdue[_bucket(days)] += item.outstanding
    for currency, balance in result.items():
        balance.advances = settled.advances.get(currency, ZERO)
        balance.auto_settled = currency in settled.auto_settled
        balance.not_due = cents(balance.not_due)
        balance.overdue = {k: cents(v) for k, v in balance.overdue.items()}
        balance.next_due_amount = cents(balance.next_due_amount)
        if terms.credit_limit is not None and terms.credit_currency == currency:
            balance.credit_limit = cents(terms.credit_limit)
    return list(result.values())


def open_items(session, company_id: int, today: dt.date, *, currency: str | None = None,
               which: str = "all", signs: dict[str, int] | None = None) -> list[OpenItem]:
    """The invoices still to pay, oldest due first; ``which`` is ``all``, ``not_due``,
    ``overdue`` or a bucket of :data:`BUCKETS`."""
    items = settle(session, company_id, signs=signs).items
    chosen = []
    for item in items:
        if currency and item.currency != currency:
            continue
        days = item.days_overdue(today)
        if which == "not_due" and days > 0 or which == "overdue" and days <= 0:
            continue
        if which in BUCKETS and (days <= 0 or _bucket(days) != which):
            continue
        item.outstanding = cents(item.outstanding)
        chosen.append(item)
    return chosen


def order_balances(session, company_id: int, *, date_from: dt.date | None = None,
                   date_to: dt.date | None = None, open_only: bool = True,
                   signs: dict[str, int] | None = None) -> list[OrderBalance]:
    """Per order (``order_number`` of its money documents and allocations): invoiced, paid,
    outstanding and advance, newest first. The period keeps orders with a money document
    issued in it."""
    orders = _order_balances(session, company_id, signs)
    result = []
    for order in orders.values():
        order.outstanding = cents(order.outstanding)
        if open_only and not order.is_open:
            continue
        if date_from and (order.last_on is None or order.last_on < date_from):
            continue
        if date_to and (order.first_on is None or order.first_on > date_to):
            continue
        result.append(order)
    result.sort(key=lambda o: (o.last_on or dt.date.min, o.order_number), reverse=True)
    return result


def order_balance(session, company_id: int, order_number: str, *,
                  signs: dict[str, int] | None = None) -> OrderBalance | None:
    """The balance of one order (as :func:`order_balances` gives it, in the currency of its
    newest document when it has several), or ``None``. Only that order's documents are summed;
    the company's open invoices are settled as for every order (a payment without allocation
    settles the oldest due invoice of any order), so the queries do not grow with the orders."""
    found = [o for o in _order_balances(session, company_id, signs, order_number).values()
             if o.order_number == order_number]
    for order in found:
        order.outstanding = cents(order.outstanding)
    found.sort(key=lambda o: (o.last_on or dt.date.min, o.order_number), reverse=True)
    return found[0] if found else None


def _order_balances(session, company_id: int, signs: dict[str, int] | None,
                    order_number: str | None = None) -> dict[tuple[str, str], OrderBalance]:
    """Invoiced (rounded), outstanding (not rounded) and advance per ``(currency, order)``;
    of one order when ``order_number`` is given."""
    debit, credit = _signs(signs)
    which = (Document.order_number == order_number if order_number is not None
             else Document.order_number.is_not(None))
    orders: dict[tuple[str, str], OrderBalance] = {}
    for currency, number, first_on, last_on, invoiced in session.execute(
            select(Document.currency, Document.order_number, func.min(Document.issued_on),
                   func.max(Document.issued_on),
                   type_coerce(func.sum(case((Document.doc_type.in_(debit or ["-"]),
                                              Document.gross_total), else_=0)), Money))
            .where(_counted(company_id, debit, credit), which)
            .group_by(Document.currency, Document.order_number)):
        orders[(currency, number)] = OrderBalance(currency, number, first_on, last_on,
                                                  cents(invoiced))
    settled = settle(session, company_id, signs=signs)
    for item in settled.items:
        key = (item.currency, item.order_number or "")
        if key in orders:
            orders[key].outstanding += item.outstanding
    for key, advance in settled.order_advances.items():
        if order_number is not None and key[1] != order_number:
            continue
        if key not in orders:
            orders[key] = OrderBalance(key[0], key[1])
        orders[key].advance = cents(advance)
    return orders


def order_documents(session, company_id: int, order_number: str, *,
                    signs: dict[str, int] | None = None) -> list[Document]:
    """The company's money documents of an order, and the credits allocated to it, by date."""
    debit, credit = _signs(signs)
    allocated = (select(DocumentAllocation.document_id)
                 .outerjoin(Document, Document.id == DocumentAllocation.invoice_id)
                 .where(DocumentAllocation.company_id == company_id,
                        or_(DocumentAllocation.order_number == order_number,
                            Document.order_number == order_number)))
    return list(session.scalars(
        select(Document).where(Document.company_id == company_id,
                               Document.doc_type.in_((debit + credit) or ["-"]),
                               or_(Document.order_number == order_number,
                                   Document.id.in_(allocated)))
        .order_by(Document.issued_on, Document.id)))


# -- statement --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Movement:
    id: int
    doc_type: str
    number: str
    issued_on: dt.date
    due_on: dt.date | None
    order_number: str | None
    debit: Decimal
    credit: Decimal
    balance: Decimal
    """The running balance after this movement."""


@dataclass
class Statement:
    currency: str
    date_from: dt.date
    date_to: dt.date
    opening: Decimal
    debits: Decimal
    credits: Decimal
    movements: list[Movement]
    next_cursor: tuple[dt.date, int] | None = None
    count: int = 0

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debits - self.credits


def currencies(session, company_id: int, *, signs: dict[str, int] | None = None) -> list[str]:
    """The currencies the company has money documents in, most documents first."""
    debit, credit = _signs(signs)
    return list(session.scalars(
        select(Document.currency).where(_counted(company_id, debit, credit))
        .group_by(Document.currency).order_by(func.count().desc(), Document.currency)))


def balance_on(session, company_id: int, currency: str, day: dt.date, *,
               signs: dict[str, int] | None = None) -> Decimal:
    """The balance at the start of ``day`` (every movement before it): one aggregate."""
    debit, credit = _signs(signs)
    total = session.scalar(
        select(type_coerce(func.sum(signed_amount(debit, credit)), Money))
        .where(_counted(company_id, debit, credit), Document.currency == currency,
               Document.issued_on < day))
    return cents(total)


def _after(cursor: tuple[dt.date, int] | None):
    if cursor is None:
        return True
    day, ident = cursor
    return or_(Document.issued_on > day, and_(Document.issued_on == day, Document.id > ident))


def statement(session, company_id: int, currency: str, date_from: dt.date, date_to: dt.date,
              *, after: tuple[dt.date, int] | None = None, limit: int | None = 100,
              signs: dict[str, int] | None = None) -> Statement:
    """The account statement of a period in one currency: opening balance, period totals and
    one page of movements in date order (``limit`` rows after the keyset ``after``; ``None``
    for all), each with the running balance carried from the pages before. Four queries."""
    debit, credit = _signs(signs)
    counted = and_(_counted(company_id, debit, credit), Document.currency == currency)
    opening = balance_on(session, company_id, currency, date_from, signs=signs)
    in_period = and_(counted, Document.issued_on >= date_from, Document.issued_on <= date_to)
    is_debit = Document.doc_type.in_(debit or ["-"])
    count, debits, credits = session.execute(
        select(func.count(),
               type_coerce(func.sum(case((is_debit, Document.gross_total), else_=0)), Money),
               type_coerce(func.sum(case((is_debit, 0), else_=Document.gross_total)), Money))
        .where(in_period)).one()
    running = opening
    if after is not None:
        day, ident = after
        before = session.scalar(
            select(type_coerce(func.sum(signed_amount(debit, credit)), Money))
            .where(in_period, or_(Document.issued_on < day,
                                  and_(Document.issued_on == day, Document.id <= ident))))
        running += cents(before)
    stmt = (select(Document.id, Document.doc_type, Document.number, Document.issued_on,
                   Document.due_on, Document.order_number, Document.gross_total)
            .where(in_period, _after(after)).order_by(Document.issued_on, Document.id))
    if limit is not None:
        stmt = stmt.limit(limit + 1)
    rows = session.execute(stmt).all()
    more = limit is not None and len(rows) > limit
    rows = rows[:limit] if limit is not None else rows
    movements = []
    for row in rows:
        amount = cents(row.gross_total)
        is_credit = row.doc_type in credit
        running += -amount if is_credit else amount
        movements.append(Movement(row.id, row.doc_type, row.number, row.issued_on, row.due_on,
                                  row.order_number, ZERO if is_credit else amount,
                                  amount if is_credit else ZERO, running))
    cursor = (rows[-1].issued_on, rows[-1].id) if more and rows else None
    return Statement(currency, date_from, date_to, opening, cents(debits), cents(credits),
                     movements, cursor, count)


def iter_movements(session, company_id: int, currency: str, date_from: dt.date,
                   date_to: dt.date, *, chunk: int = 1000,
                   signs: dict[str, int] | None = None) -> Iterable[Movement]:
    """Every movement of the period, page by page (for exports of any size)."""
    after = None
    while True:
        page = statement(session, company_id, currency, date_from, date_to, after=after,
                         limit=chunk, signs=signs)
        yield from page.movements
        if page.next_cursor is None:
            return
        after = page.next_cursor


def month_end_balances(session, company_id: int, month_ends: list[dt.date], *,
                       signs: dict[str, int] | None = None) -> dict[str, list[Decimal]]:
    """The balance at the end of each given day, per currency: one aggregate query."""
    debit, credit = _signs(signs)
    amount = signed_amount(debit, credit)
    columns = [type_coerce(func.sum(case((Document.issued_on <= day, amount), else_=0)), Money)
               for day in month_ends]
    result = {}
    for row in session.execute(select(Document.currency, *columns)
                               .where(_counted(company_id, debit, credit))
                               .group_by(Document.currency)):
        result[row[0]] = [cents(v) for v in row[1:]]
    return result


# -- reconciliation answers -------------------------------------------------------------------

CONFIRMED = "confirmed"
DISPUTED = "disputed"
ANSWERS = (CONFIRMED, DISPUTED)


class AlreadyConfirmed(Exception):
    """The statement was confirmed already: a confirmation is final."""


def reconciliation_answer(session, document_id: int):
    """The customer's answer to a reconciliation statement, or ``None``."""
    from .models import ReconciliationAnswer

    return session.get(ReconciliationAnswer, document_id)


def reconciliation_answer_by_number(session, number: str):
    """``(statement, answer or None)`` for a statement number (or ERP id), or ``None``."""
    from .models import ReconciliationAnswer

    doc = session.scalar(select(Document).where(
        Document.doc_type == "reconciliation",
        or_(Document.number == number, Document.external_id == number))
        .order_by(Document.id).limit(1))
    if doc is None:
        return None
    return doc, session.get(ReconciliationAnswer, doc.id)


def reconciliation_answers_by_ids(session, ids) -> list[tuple[Document, object]]:
    """``(statement, answer or None)`` for the reconciliation statements ``ids`` (two queries)."""
    from .models import ReconciliationAnswer

    if not ids:
        return []
    docs = session.scalars(select(Document).where(Document.doc_type == "reconciliation",
                                                  Document.id.in_(ids))).all()
    answers = {a.document_id: a for a in session.scalars(select(ReconciliationAnswer).where(
        ReconciliationAnswer.document_id.in_([d.id for d in docs])))} if docs else {}
    return [(doc, answers.get(doc.id)) for doc in docs]


def answer_reconciliation(session, statement: Document, *, answer: str, reason: str = "",
                          disputed_lines: Iterable[int] = (), user=None):
    """Record the customer's answer (``confirmed`` or ``disputed``) and set the statement's
    status to it. A dispute may be answered again (a new dispute, or a confirmation); a
    confirmation is final: :class:`AlreadyConfirmed`. Safe when two answers race (the second
    confirmation is refused, not duplicated). Flushes, never commits."""
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    from portal.core.db import utcnow

    from .models import ReconciliationAnswer

    if answer not in ANSWERS:
        raise ValueError(f"answer must be one of {ANSWERS}")
    values = {"answer": answer, "reason": reason.strip(),
              "disputed_lines": ",".join(str(n) for n in sorted(set(disputed_lines))),
              "answered_by_id": getattr(user, "id", None),
              "answered_by_name": getattr(user, "display_name", "") or "",
              "answered_at": utcnow()}
    existing = session.get(ReconciliationAnswer, statement.id)
    if existing is None:
        try:
            with session.begin_nested():
                session.add(ReconciliationAnswer(document_id=statement.id,
                                                 company_id=statement.company_id, **values))
        except IntegrityError:
            existing = session.get(ReconciliationAnswer, statement.id)
    if existing is not None:
        result = session.execute(
            update(ReconciliationAnswer)
            .where(ReconciliationAnswer.document_id == statement.id,
                   ReconciliationAnswer.answer != CONFIRMED)
            .values(**values).execution_options(synchronize_session=False))
        if result.rowcount == 0:
            raise AlreadyConfirmed(statement.number)
        session.expire(existing)
    statement.status = answer
    statement.updated_at = utcnow()
    session.flush()
    return session.get(ReconciliationAnswer, statement.id)
