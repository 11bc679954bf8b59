"""The documents plugin's service API: the only way other plugins create or look up documents.

Other plugins (orders, returns, balances) call these functions and read the model classes'
attributes; they never write the documents' tables themselves. Nothing here commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import String, cast, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.core.db import utcnow
from portal.core.paging import Key, Page, paginate

from .models import Document, DocumentLine, DocumentLink, DocumentNumberCounter

DOC_TYPES = ("quotation", "goods_issue", "invoice", "tax_invoice", "reconciliation",
             "goods_return", "credit_note", "payment")
"""The built-in ``doc_type`` values (plugins may add more through ``portal_document_types``)."""

PREFIXES = {"quotation": "QT", "goods_issue": "GI", "invoice": "INV", "tax_invoice": "TI",
            "reconciliation": "RS", "goods_return": "GR", "credit_note": "CN", "payment": "PAY"}

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
HEADER_FIELDS = ("due_on", "valid_until", "period_start", "period_end", "opening_balance",
                 "closing_balance", "notes", "order_number")
TOTAL_FIELDS = ("net_total", "tax_total", "gross_total")


@dataclass(frozen=True)
class LineData:
    """One line to put on a document; amounts are computed by :func:`create_document`."""

    product_code: str
    product_name: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    tax_rate: Decimal  # percent, e.g. Decimal("20")
    discount_rate: Decimal = Decimal("0")  # percent
    origin_kind: str | None = None  # e.g. "orders.order_line"
    origin_ref: str | None = None  # e.g. str(order_line.id)


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_amounts(line: LineData) -> tuple[Decimal, Decimal, Decimal]:
    """Net, tax and gross amount of a line, each rounded half-up to 2 places."""
    gross_price = Decimal(line.quantity) * Decimal(line.unit_price)
    net = money(gross_price * (HUNDRED - Decimal(line.discount_rate)) / HUNDRED)
    tax = money(net * Decimal(line.tax_rate) / HUNDRED)
    return net, tax, net + tax


def build_lines(lines: Sequence[LineData]) -> list[DocumentLine]:
    rows = []
    for no, line in enumerate(lines, start=1):
        net, tax, gross = line_amounts(line)
        rows.append(DocumentLine(
            line_no=no, product_code=line.product_code, product_name=line.product_name,
            quantity=Decimal(line.quantity), unit=line.unit, unit_price=Decimal(line.unit_price),
            discount_rate=Decimal(line.discount_rate), tax_rate=Decimal(line.tax_rate),
            net_amount=net, tax_amount=tax, gross_amount=gross,
            origin_kind=line.origin_kind, origin_ref=line.origin_ref))
    return rows


def totals(rows: Sequence[DocumentLine], header: dict) -> tuple[Decimal, Decimal, Decimal]:
    """Header totals: the sums of the lines; for a document without lines, those given."""
    if rows:
        net = sum((r.net_amount for r in rows), Decimal("0"))
        tax = sum((r.tax_amount for r in rows), Decimal("0"))
        return money(net), money(tax), money(net + tax)
    net = money(header.get("net_total") or 0)
    tax = money(header.get("tax_total") or 0)
    gross = header.get("gross_total")
    return net, tax, money(gross) if gross is not None else net + tax


def create_document(session, *, company_id: int, doc_type: str, number: str,
                    issued_on: dt.date, lines: Sequence[LineData], currency: str = "TRY",
                    status: str = "issued", based_on: Sequence[int] = (),
                    origin_kind: str | None = None, origin_ref: str | None = None,
                    external_id: str | None = None, **header) -> Document:
    """Create a document with its lines and links; computes line and header totals.

    ``header`` may hold ``due_on``, ``valid_until``, ``period_start``, ``period_end``,
    ``opening_balance``, ``closing_balance``, ``notes``, ``order_number``, and, for a
    document without lines (a payment), ``net_total`` / ``tax_total`` / ``gross_total``.
    ``based_on`` are ids of documents of the same company. Flushes, never commits.
    """
    doc = build_document(company_id=company_id, doc_type=doc_type, number=number,
                         issued_on=issued_on, lines=lines, currency=currency, status=status,
                         origin_kind=origin_kind, origin_ref=origin_ref,
                         external_id=external_id, **header)
    session.add(doc)
    session.flush()
    link_documents(session, doc, based_on)
    return doc


def build_document(*, company_id: int, doc_type: str, number: str, issued_on: dt.date,
                   lines: Sequence[LineData], currency: str = "TRY", status: str = "issued",
                   origin_kind: str | None = None, origin_ref: str | None = None,
                   external_id: str | None = None, **header) -> Document:
    """A new :class:`Document` with its lines and totals, not added to any session (for bulk
    loads that flush many at once; link them afterwards with :class:`DocumentLink` rows)."""
    unknown = set(header) - set(HEADER_FIELDS) - set(TOTAL_FIELDS)
    if unknown:
        raise TypeError(f"create_document() got unknown fields: {', '.join(sorted(unknown))}")
    rows = build_lines(lines)
    net, tax, gross = totals(rows, header)
    doc = Document(
        company_id=company_id, doc_type=doc_type, number=number, issued_on=issued_on,
        currency=currency, status=status, origin_kind=origin_kind, origin_ref=origin_ref,
        external_id=external_id, net_total=net, tax_total=tax, gross_total=gross,
        notes=header.get("notes") or "",
        **{k: header.get(k) for k in HEADER_FIELDS if k != "notes"},
    )
    for key in ("opening_balance", "closing_balance"):
        if getattr(doc, key) is not None:
            setattr(doc, key, money(getattr(doc, key)))
    doc.lines = rows
    return doc


def link_documents(session, doc: Document, based_on: Iterable[int]) -> None:
    """Record that ``doc`` is based on the documents ``based_on`` (same company only)."""
    ids = sorted(set(based_on))
    if not ids:
        return
    found = set(session.scalars(select(Document.id).where(
        Document.id.in_(ids), Document.company_id == doc.company_id)))
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValueError(f"based_on: no document {missing} of company {doc.company_id}")
    for base_id in ids:
        session.add(DocumentLink(document_id=doc.id, based_on_id=base_id))
    session.flush()


def next_number(session, doc_type: str, year: int) -> str:
    """A readable number not used yet for this type, e.g. ``"GI-2026-000123"``.

    Backed by a counter row per type and year, incremented atomically (safe with several
    workers); numbers already taken (imported from the ERP) are skipped.
    """
    prefix = _prefix(doc_type)
    while True:
        result = session.execute(
            update(DocumentNumberCounter)
            .where(DocumentNumberCounter.doc_type == doc_type, DocumentNumberCounter.year == year)
            .values(last=DocumentNumberCounter.last + 1)
            .returning(DocumentNumberCounter.last)
            .execution_options(synchronize_session=False))
        last = result.scalar()
        if last is None:
            try:
                with session.begin_nested():
                    session.add(DocumentNumberCounter(doc_type=doc_type, year=year, last=1))
                last = 1
            except IntegrityError:
                continue
        number = f"{prefix}-{year}-{last:06d}"
        taken = session.scalar(select(func.count()).select_from(Document).where(
            Document.doc_type == doc_type, Document.number == number))
        if not taken:
            return number


def _prefix(doc_type: str) -> str:
    if doc_type in PREFIXES:
        return PREFIXES[doc_type]
    try:
        from .registry import get_type

        found = get_type(doc_type)
    except RuntimeError:  # no app context
        found = None
    return found.prefix if found else doc_type.upper()[:4]


NEWEST_FIRST = (Key(Document.issued_on, desc=True), Key(Document.id, desc=True))
"""The order of :func:`list_documents` and :func:`page_documents`: newest first, then by id."""


def _documents_of(company_id: int, doc_type: str, exclude_statuses: Iterable[str],
                  valid_on: dt.date | None):
    stmt = select(Document).where(Document.company_id == company_id,
                                  Document.doc_type == doc_type)
    if exclude_statuses:
        stmt = stmt.where(Document.status.not_in(sorted(exclude_statuses)))
    if valid_on is not None:
        stmt = stmt.where((Document.valid_until.is_(None)) | (Document.valid_until >= valid_on))
    return stmt


def list_documents(session, company_id: int, doc_type: str, *,
                   exclude_statuses: Iterable[str] = (), valid_on: dt.date | None = None,
                   limit: int = 50, offset: int = 0) -> tuple[list[Document], int]:
    """Some of a company's documents of a type, newest first, and how many there are.

    ``exclude_statuses`` leaves out documents in those statuses; ``valid_on`` keeps only those
    valid that day (no ``valid_until``, or not before it). Lines are not loaded. Two queries.
    For a page of a list a user walks through, use :func:`page_documents` (keyset links; an
    ``offset`` deep in a big list costs more than the first rows).
    """
    stmt = _documents_of(company_id, doc_type, exclude_statuses, valid_on)
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = session.scalars(stmt.order_by(*[key.clause for key in NEWEST_FIRST])
                           .limit(limit).offset(offset)).all()
    return list(rows), total


def page_documents(session, company_id: int, doc_type: str, *,
                   exclude_statuses: Iterable[str] = (), valid_on: dt.date | None = None,
                   per_page: int = 50, args=None) -> Page:
    """One page of what :func:`list_documents` lists, through
    :func:`portal.core.paging.paginate`: keyset next/previous links (``?after=``/``?before=``),
    ``?page=N`` still accepted, a deep page as cheap as the first.

    ``args`` are the query-string values (default: the current request's); the page's links
    go to the current view with its other arguments. ``page.items`` are the documents (lines
    not loaded), ``page.total`` the (capped) count. Two queries whatever the page. Needs a
    request context (the cursors are signed with the app's key).
    """
    return paginate(_documents_of(company_id, doc_type, exclude_statuses, valid_on),
                    order=NEWEST_FIRST, per_page=per_page, args=args, session=session)


def get_document(session, company_id: int, document_id: int,
                 doc_type: str | None = None) -> Document | None:
    """One document of ``company_id`` with its lines loaded; ``None`` if not that company's."""
    stmt = (select(Document).options(selectinload(Document.lines))
            .where(Document.id == document_id, Document.company_id == company_id))
    if doc_type is not None:
        stmt = stmt.where(Document.doc_type == doc_type)
    return session.scalar(stmt)


def quantities_by_origin(session, doc_type: str, origin_kind: str,
                         origin_refs: Iterable[str]) -> dict[str, Decimal]:
    """Sum of line quantities per ``origin_ref`` over documents of ``doc_type`` (not cancelled).

    E.g. the shipped quantity per order line: ``quantities_by_origin(s, "goods_issue",
    "orders.order_line", ["7", "8"]) == {"7": Decimal("5"), "8": Decimal("0")}``.
    """
    refs = [str(r) for r in origin_refs]
    result = {r: Decimal("0") for r in refs}
    if not refs:
        return result
    rows = session.execute(
        select(DocumentLine.origin_ref, func.sum(DocumentLine.quantity))
        .join(Document, Document.id == DocumentLine.document_id)
        .where(Document.doc_type == doc_type, Document.status != "cancelled",
               DocumentLine.origin_kind == origin_kind, DocumentLine.origin_ref.in_(refs))
        .group_by(DocumentLine.origin_ref))
    for ref, total in rows:
        result[ref] = Decimal(total or 0)
    return result


def quantity_of_origin(doc_type: str, origin_kind: str, origin_ref):
    """A correlated SQL expression: the quantity of ``doc_type`` lines (not cancelled) whose
    origin is ``(origin_kind, origin_ref)``, 0 when none.

    ``origin_ref`` is a column of the caller's query (cast to text here), so a plugin sums
    per row in SQL, with no list of references that grows with the data, e.g. the shipped
    quantity of each order line: ``select(OrderLine.id, quantity_of_origin("goods_issue",
    "orders.order_line", OrderLine.id))``. Each row is one look-up of
    ``ix_document_line_origin``.
    """
    return (select(func.coalesce(func.sum(DocumentLine.quantity), 0))
            .join(Document, Document.id == DocumentLine.document_id)
            .where(DocumentLine.origin_kind == origin_kind,
                   DocumentLine.origin_ref == cast(origin_ref, String),
                   Document.doc_type == doc_type, Document.status != "cancelled")
            .scalar_subquery())


def documents_by_origin(session, origin_kind: str, origin_ref: str) -> list[Document]:
    """Documents whose header origin is ``(origin_kind, origin_ref)``, plus those based on them
    (transitively), ordered by date and id. Lines are not loaded."""
    found = list(session.scalars(select(Document).where(
        Document.origin_kind == origin_kind, Document.origin_ref == str(origin_ref))))
    seen = {d.id for d in found}
    frontier = set(seen)
    while frontier:
        children = list(session.scalars(
            select(Document).join(DocumentLink, DocumentLink.document_id == Document.id)
            .where(DocumentLink.based_on_id.in_(frontier))))
        frontier = {d.id for d in children} - seen
        for d in children:
            if d.id in frontier:
                found.append(d)
                seen.add(d.id)
    return sorted(found, key=lambda d: (d.issued_on, d.id))


def linked_documents(session, document_id: int) -> tuple[list[Document], list[Document]]:
    """``(based_on, based_on_by)``: the documents this one is based on, and those based on it."""
    rows = session.execute(
        select(Document, DocumentLink.document_id == document_id)
        .join(DocumentLink, (DocumentLink.based_on_id == Document.id)
              | (DocumentLink.document_id == Document.id))
        .where((DocumentLink.document_id == document_id)
               | (DocumentLink.based_on_id == document_id))
        .where(Document.id != document_id)
        .order_by(Document.issued_on, Document.id)).all()
    based_on = [d for d, is_base in rows if is_base]
    based_on_by = [d for d, is_base in rows if not is_base]
    return based_on, based_on_by


def touch(doc: Document) -> None:
    doc.updated_at = utcnow()


# -- returns against invoices (used by the returns plugin) ----------------------------------------

INVOICE_LINE_ORIGIN = "documents.document_line"
"""``origin_kind`` of a line copied from another document's line (``origin_ref`` is its id): a
goods return or credit note line made by :func:`create_from_invoice` points at its invoice line."""


@dataclass(frozen=True)
class InvoiceLineReturns:
    """An invoice line and how much of it goods returns have already taken back."""

    line: DocumentLine
    returned: Decimal


def returned_quantities(session, invoice: Document) -> dict[int, Decimal]:
    """The quantity already returned per line of ``invoice`` (its lines loaded); one query.

    Goods returns that are not cancelled count when they are based on the invoice, or on a
    document the invoice is based on (its goods issue: the ERP often bases a goods return there).
    A goods-return line whose origin is ``(INVOICE_LINE_ORIGIN, str(line id))`` counts for that
    invoice line; a line without an origin counts for the invoice's first line with the same
    product code. Lines pointing at another invoice's line are ignored.
    """
    result = {line.id: Decimal("0") for line in invoice.lines}
    if not invoice.lines:
        return result
    bases = select(DocumentLink.based_on_id).where(DocumentLink.document_id == invoice.id)
    returns = select(DocumentLink.document_id).where(
        (DocumentLink.based_on_id == invoice.id) | DocumentLink.based_on_id.in_(bases))
    rows = session.execute(
        select(DocumentLine.origin_kind, DocumentLine.origin_ref, DocumentLine.product_code,
               func.sum(DocumentLine.quantity))
        .join(Document, Document.id == DocumentLine.document_id)
        .where(Document.doc_type == "goods_return", Document.status != "cancelled",
               Document.company_id == invoice.company_id, Document.id.in_(returns))
        .group_by(DocumentLine.origin_kind, DocumentLine.origin_ref, DocumentLine.product_code))
    first_by_code: dict[str, int] = {}
    for line in invoice.lines:
        first_by_code.setdefault(line.product_code, line.id)
    for origin_kind, origin_ref, code, quantity in rows:
        if origin_kind == INVOICE_LINE_ORIGIN:
            target = int(origin_ref) if (origin_ref or "").isdigit() else None
        elif origin_kind is None:
            target = first_by_code.get(code)
        else:
            target = None
        if target in result:
            result[target] += Decimal(quantity or 0)
    return result


def invoice_with_returns(session, company_id: int, invoice_id: int
                         ) -> tuple[Document, list[InvoiceLineReturns]] | None:
    """An invoice of ``company_id`` with each line's returned quantity (three queries), or
    ``None`` when it is not that company's invoice."""
    invoice = get_document(session, company_id, invoice_id, "invoice")
    if invoice is None:
        return None
    returned = returned_quantities(session, invoice)
    return invoice, [InvoiceLineReturns(line, returned[line.id]) for line in invoice.lines]


def create_from_invoice(session, invoice: Document, doc_type: str,
                        quantities: Sequence[tuple[DocumentLine, Decimal]], *,
                        issued_on: dt.date, based_on: Sequence[int] = (),
                        origin_kind: str | None = None, origin_ref: str | None = None,
                        notes: str = "") -> Document:
    """A new document of ``doc_type`` (a goods return, a credit note) based on ``invoice``.

    Each ``(invoice line, quantity)`` becomes a line at the invoice line's price, discount and
    tax, with the origin ``(INVOICE_LINE_ORIGIN, line id)`` so :func:`returned_quantities`
    finds it; the number comes from :func:`next_number`; the document is based on the invoice
    and on ``based_on`` (ids of the same company's documents). Flushes, never commits.
    """
    lines = [LineData(product_code=line.product_code, product_name=line.product_name,
                      quantity=Decimal(quantity), unit=line.unit, unit_price=line.unit_price,
                      tax_rate=line.tax_rate, discount_rate=line.discount_rate,
                      origin_kind=INVOICE_LINE_ORIGIN, origin_ref=str(line.id))
             for line, quantity in quantities if Decimal(quantity) > 0]
    if not lines:
        raise ValueError("create_from_invoice() needs at least one quantity above zero")
    return create_document(
        session, company_id=invoice.company_id, doc_type=doc_type,
        number=next_number(session, doc_type, issued_on.year), issued_on=issued_on,
        lines=lines, currency=invoice.currency, based_on=[invoice.id, *based_on],
        origin_kind=origin_kind, origin_ref=origin_ref, notes=notes)


def find_document(session, doc_type: str, external_id: str) -> Document | None:
    """The document of ``doc_type`` the ERP sent with ``external_id`` (lines not loaded)."""
    return session.scalar(select(Document).where(Document.doc_type == doc_type,
                                                 Document.external_id == external_id))


# -- quantities by origin, kept by other plugins ------------------------------------------------

_QUANTITY_LISTENERS: dict[tuple[str, str], list] = {}
_TOUCHED = "documents_touched_origins"


def on_origin_quantities_changed(doc_type: str, origin_kind: str, callback) -> None:
    """Call ``callback(session, refs)`` in every flush that may change
    :func:`quantities_by_origin` of ``(doc_type, origin_kind)`` for the ``origin_ref`` values in
    ``refs`` (a set of strings; it may hold refs whose sum did not change).

    Lets a plugin keep its own copy of such a sum (the orders plugin: the shipped quantity of an
    order line) up to date in the same transaction as the documents' lines: a line added,
    removed or changed (quantity, origin), a document's lines replaced, its status or type
    changed, or the document deleted. The callback runs inside the flush, after the rows are
    written; it may run SQL through ``session`` (no ORM changes). Registering the same callback
    again does nothing. Only ORM writes are seen: bulk loads that insert rows with Core
    statements (``benchmarks/generate.py``) must fill the copy themselves.
    """
    callbacks = _QUANTITY_LISTENERS.setdefault((doc_type, origin_kind), [])
    if callback not in callbacks:
        callbacks.append(callback)


def _collect_touched_origins(session, _flush_context, _instances) -> None:
    if not _QUANTITY_LISTENERS:
        return
    from sqlalchemy import inspect

    kinds = sorted({kind for _type, kind in _QUANTITY_LISTENERS})
    touched: set[tuple[str, str]] = session.info.setdefault(_TOUCHED, set())
    stored_lines, documents = [], []
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, DocumentLine):
            if obj not in session.deleted:  # what the line will say
                touched.add((obj.origin_kind, obj.origin_ref))
            if obj.id is not None:  # and what it says now (its old origin may not be loaded)
                stored_lines.append(obj.id)
        elif isinstance(obj, Document) and obj.id is not None:
            state = inspect(obj)
            if obj in session.deleted or state.attrs.status.history.has_changes() \
                    or state.attrs.doc_type.history.has_changes():
                documents.append(obj.id)
    if stored_lines or documents:  # as stored before this flush
        touched.update(session.execute(
            select(DocumentLine.origin_kind, DocumentLine.origin_ref)
            .where(DocumentLine.id.in_(stored_lines) | DocumentLine.document_id.in_(documents),
                   DocumentLine.origin_kind.in_(kinds),
                   DocumentLine.origin_ref.is_not(None))).all())
    touched.difference_update({o for o in touched if o[0] not in kinds or not o[1]})


def _notify_touched_origins(session, _flush_context) -> None:
    touched = session.info.pop(_TOUCHED, None)
    if not touched:
        return
    for (_doc_type, kind), callbacks in _QUANTITY_LISTENERS.items():
        refs = {ref for k, ref in touched if k == kind}
        if refs:
            for callback in callbacks:
                callback(session, refs)


def _forget_touched_origins(session, *_args) -> None:
    session.info.pop(_TOUCHED, None)


def _listen() -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    if not event.contains(Session, "before_flush", _collect_touched_origins):
        event.listen(Session, "before_flush", _collect_touched_origins)
        event.listen(Session, "after_flush_postexec", _notify_touched_origins)
        event.listen(Session, "after_rollback", _forget_touched_origins)


_listen()
