"""The ledger's settlement agrees, on random books, with a plain walk of the rules of
:mod:`plugins.documents.ledger`'s docstring: explicit allocations first, then each order's pool
over that order's invoices, then the payments without allocation or order over every invoice,
oldest due first; what no invoice absorbs is an advance.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugins.documents import ledger
from plugins.documents.models import DocumentAllocation

from .conftest import line

SIGNS = {"invoice": 1, "credit_note": -1, "payment": -1}
FIRST = dt.date(2026, 1, 1)
TERMS_DAYS = 20
ZERO = Decimal("0")

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000.00"), places=2)
orders = st.sampled_from([None, "SO-1", "SO-2", "SO-3"])
invoices = st.lists(st.tuples(amounts, st.integers(0, 90), st.one_of(st.none(),
                                                                      st.integers(0, 60)),
                              orders, st.sampled_from(["TRY", "TRY", "EUR"])),
                    min_size=0, max_size=12)
# A credit: amount, order, currency, and allocations as (invoice index or None, order, amount).
allocations = st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 11)), orders, amounts),
                       max_size=3)
credits = st.lists(st.tuples(amounts, orders, st.sampled_from(["TRY", "TRY", "EUR"]),
                             allocations, st.sampled_from(["payment", "credit_note"])),
                   min_size=0, max_size=10)


def reference(invoice_rows, credit_rows):
    """The rules, walked one document at a time: ``(open {id: outstanding}, advances,
    order_advances)``."""
    owed = {row["id"]: row["amount"] for row in invoice_rows}
    by_id = {row["id"]: row for row in invoice_rows}
    advances = defaultdict(lambda: ZERO)
    order_pool = defaultdict(lambda: ZERO)
    auto_pool = defaultdict(lambda: ZERO)
    for credit in credit_rows:
        currency = credit["currency"]
        if not credit["allocations"]:
            if credit["order"]:
                order_pool[(currency, credit["order"])] += credit["amount"]
            else:
                auto_pool[currency] += credit["amount"]
            continue
        rest = credit["amount"]
        for invoice_id, order, amount in credit["allocations"]:
            rest -= amount
            if invoice_id is None:
                order_pool[(currency, order or "")] += amount
            else:
                take = min(amount, owed[invoice_id])
                owed[invoice_id] -= take
                advances[currency] += amount - take
        advances[currency] += rest

    def key(row):
        due = row["due_on"] or row["issued_on"] + dt.timedelta(days=TERMS_DAYS)
        return (due, row["issued_on"], row["id"])

    ordered = sorted(invoice_rows, key=key)

    def absorb(pool, rows):
        for row in rows:
            take = min(pool, owed[row["id"]])
            owed[row["id"]] -= take
            pool -= take
        return pool

    order_advances = {}
    for (currency, order), pool in order_pool.items():
        left = absorb(pool, [r for r in ordered if r["currency"] == currency
                             and (r["order"] or "") == order])
        if left > 0:
            order_advances[(currency, order)] = left
            advances[currency] += left
    for currency, pool in auto_pool.items():
        advances[currency] += absorb(pool, [r for r in ordered if r["currency"] == currency])
    still_open = {i: v for i, v in owed.items() if v > 0 and by_id[i]}
    return still_open, {c: v for c, v in advances.items() if v}, order_advances


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(invoice_data=invoices, credit_data=credits)
def test_settlement_follows_the_rules_on_random_books(db, make_company, make_document,
                                                      invoice_data, credit_data):
    company = make_company()  # a fresh customer per example
    ledger.set_company_terms(db, company.id, payment_terms_days=TERMS_DAYS)
    invoice_rows = []
    for amount, issued, due, order, currency in invoice_data:
        issued_on = FIRST + dt.timedelta(days=issued)
        due_on = None if due is None else issued_on + dt.timedelta(days=due)
        doc = make_document(company, "invoice", issued_on=issued_on, due_on=due_on,
                            lines=[line(quantity="1", price=amount, tax="0")],
                            currency=currency, order_number=order)
        invoice_rows.append({"id": doc.id, "amount": doc.gross_total, "issued_on": issued_on,
                             "due_on": due_on, "order": order, "currency": currency})
    credit_rows = []
    for amount, order, currency, allocs, doc_type in credit_data:
        doc = make_document(company, doc_type, issued_on=FIRST, lines=[],
                            gross_total=amount, net_total=amount, currency=currency,
                            order_number=order)
        kept = []
        for position, (index, alloc_order, value) in enumerate(allocs):
            same = [r for r in invoice_rows if r["currency"] == currency]
            target = same[index % len(same)]["id"] if index is not None and same else None
            alloc_order = None if target else (alloc_order or "SO-1")
            db.add(DocumentAllocation(document_id=doc.id, company_id=company.id,
                                      invoice_id=target, order_number=alloc_order,
                                      amount=value, position=position))
            kept.append((target, alloc_order, value))
        db.commit()
        credit_rows.append({"amount": amount, "order": order, "currency": currency,
                            "allocations": kept})

    expected_open, expected_advances, expected_order_advances = reference(invoice_rows,
                                                                          credit_rows)
    result = ledger.settle(db, company.id, signs=SIGNS)
    assert {i.id: ledger.cents(i.outstanding) for i in result.items} == expected_open
    assert [i.id for i in result.items] == sorted(
        (i.id for i in result.items),
        key=lambda i: next((r["due_on"] or r["issued_on"] + dt.timedelta(days=TERMS_DAYS),
                            r["issued_on"], r["id"]) for r in invoice_rows if r["id"] == i))
    assert {c: v for c, v in result.advances.items() if v} == expected_advances
    assert {k: ledger.cents(v) for k, v in result.order_advances.items()} == \
        expected_order_advances
