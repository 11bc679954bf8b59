"""The integration API's resources: validation, customer companies, and one per document type.

The same definitions drive the HTTP API (:mod:`.api`), the OpenAPI document and
``portal import``; other plugins add resources through ``portal_api_resources``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.core.db import assign_changed, request_scope
from portal.core.models import CustomerCompany
from portal.core.params import MAX_ID
from portal.core.plugins import get_registry
from portal.core.text import search_key, unstorable

from .models import Document, DocumentAllocation, DocumentLink
from .registry import document_types
from .services import LineData, build_lines, create_document, money, next_number, totals
from .types import AMOUNTS, CREDIT, DEBIT, ApiField, ApiResource, DocumentType, PayloadError

EXTERNAL_ID_MAX = 100
UNSTORABLE = "Must not contain NUL (\\u0000) or unpaired surrogate characters."


# -- validation -------------------------------------------------------------------------------


def validate(fields: tuple[ApiField, ...], data, prefix: str = "") -> tuple[dict, list[dict]]:
    """Check ``data`` against ``fields``; returns the cleaned values and the field errors."""
    errors: list[dict] = []
    if not isinstance(data, dict):
        return {}, [{"field": prefix.rstrip(".") or "", "message": "Must be a JSON object."}]
    known = {f.name for f in fields}
    for name in data:
        if name not in known:
            errors.append({"field": f"{prefix}{name}", "message": "Unknown field."})
    clean: dict = {}
    for spec in fields:
        path = f"{prefix}{spec.name}"
        value = data.get(spec.name)
        if value is None or (isinstance(value, str) and not value.strip() and spec.required):
            if spec.required:
                errors.append({"field": path, "message": "This field is required."})
            clean[spec.name] = None
            continue
        value, message = _convert(spec, value, path, errors)
        if message:
            errors.append({"field": path, "message": message})
        clean[spec.name] = value
    return clean, errors


def _convert(spec: ApiField, value, path: str, errors: list[dict]):
    kind = spec.type
    if kind == "string":
        if not isinstance(value, str):
            return None, "Must be a string."
        if unstorable(value):
            return None, UNSTORABLE
        value = value.strip()
        if spec.max_length and len(value) > spec.max_length:
            return None, f"At most {spec.max_length} characters."
        if spec.enum and value not in spec.enum:
            return None, f"Must be one of: {', '.join(spec.enum)}."
        return value, None
    if kind == "decimal":
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return None, "Must be a number (a string such as \"1234.50\" keeps it exact)."
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return None, "Must be a number such as 1234.50."
        if not number.is_finite() or abs(number) >= Decimal("1e14"):
            return None, "Must be a finite number below 10^14."
        return number, None
    if kind == "date":
        try:
            return dt.date.fromisoformat(value), None
        except (TypeError, ValueError):
            return None, "Must be a date as YYYY-MM-DD."
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return None, "Must be an integer."
        if not -MAX_ID - 1 <= value <= MAX_ID:  # Integer columns: 32 bits on PostgreSQL
            return None, f"Must be an integer from {-MAX_ID - 1} to {MAX_ID}."
        return value, None
    if kind == "boolean":
        if not isinstance(value, bool):
            return None, "Must be true or false."
        return value, None
    if kind == "array":
        if not isinstance(value, list):
            return None, "Must be a list."
        if not spec.items:
            if not all(isinstance(v, str) for v in value):
                return None, "Must be a list of strings."
            if any(unstorable(v) for v in value):
                return None, UNSTORABLE
            return value, None
        cleaned = []
        for index, item in enumerate(value):
            item_clean, item_errors = validate(spec.items, item, f"{path}[{index}].")
            errors.extend(item_errors)
            cleaned.append(item_clean)
        return cleaned, None
    return None, f"Unsupported field type {kind!r}."


def check(resource: ApiResource, external_id: str, data) -> dict:
    """Validate a payload for ``resource``; raises :class:`PayloadError` with every error."""
    errors = []
    if not isinstance(external_id, str) or not external_id.strip():
        errors.append({"field": "external_id", "message": "This field is required."})
    elif unstorable(external_id):
        errors.append({"field": "external_id", "message": UNSTORABLE})
    elif len(external_id) > EXTERNAL_ID_MAX:
        errors.append({"field": "external_id",
                       "message": f"At most {EXTERNAL_ID_MAX} characters."})
    clean, field_errors = validate(resource.fields, data)
    errors.extend(field_errors)
    if errors:
        raise PayloadError(errors)
    return clean


def apply(session, resource: ApiResource, external_id: str, data) -> tuple[bool, bool, object]:
    """Validate and create-or-update one record; flushes; raises :class:`PayloadError`."""
    clean = check(resource, external_id, data)
    return resource.upsert(session, external_id.strip(), clean)


def api_resources() -> dict[str, ApiResource]:
    """Every API resource of the enabled plugins, by name (cached per request)."""
    cached = request_scope().get("_documents_api_resources")
    if cached is not None:
        return cached
    found: dict[str, ApiResource] = {}
    for item in get_registry().call_flat("portal_api_resources"):
        if isinstance(item, ApiResource) and item.name not in found:
            found[item.name] = item
    result = dict(sorted(found.items(), key=lambda kv: (kv[1].order, kv[0])))
    request_scope()["_documents_api_resources"] = result
    return result


# -- customer companies -----------------------------------------------------------------------

COMPANY_TEXT = (("name", 200, True), ("tax_number", 50, False), ("billing_address", 2000, False),
                ("delivery_address", 2000, False), ("phone", 50, False), ("email", 200, False),
                ("contact_name", 200, False), ("contact_phone", 50, False),
                ("contact_email", 200, False))
COMPANY_FIELDS = tuple(ApiField(name, required=required, max_length=length,
                                description=name.replace("_", " ").capitalize())
                       for name, length, required in COMPANY_TEXT) + (
    ApiField("credit_limit", "decimal",
             description="The credit limit the business grants (in credit_currency); the "
                         "customer balance shows the credit still available."),
    ApiField("credit_currency", max_length=3, description="Currency of the credit limit; TRY "
                                                          "when left out."),
    ApiField("payment_terms_days", "integer",
             description="Days after the invoice date an invoice without due_on is due."),
    ApiField("payment_terms", max_length=200, description="Payment terms as text, e.g. "
                                                          "\"30 days net\"."),
)
TERMS_FIELDS = ("credit_limit", "credit_currency", "payment_terms_days", "payment_terms")


def upsert_company(session, external_id: str, data: dict):
    company = session.scalar(select(CustomerCompany)
                             .where(CustomerCompany.external_id == external_id))
    values = {name: data.get(name) or "" for name, _l, _r in COMPANY_TEXT}
    values["search_key"] = search_key(values["name"])
    from .ledger import set_company_terms

    if data.get("payment_terms_days") is not None and data["payment_terms_days"] < 0:
        raise PayloadError([{"field": "payment_terms_days", "message": "Must not be negative."}])
    terms = {name: data.get(name) for name in TERMS_FIELDS}
    if company is None:
        company = CustomerCompany(external_id=external_id, **values)
        session.add(company)
        session.flush()
        set_company_terms(session, company.id, **terms)
        session.flush()
        return True, True, company.id
    changed = bool(assign_changed(company, values))
    changed = set_company_terms(session, company.id, **terms) or changed
    session.flush()
    return False, changed, company.id


def read_company(session, external_id: str) -> dict | None:
    company = session.scalar(select(CustomerCompany)
                             .where(CustomerCompany.external_id == external_id))
    if company is None:
        return None
    from .ledger import company_terms

    terms = company_terms(session, company.id)
    return {"external_id": company.external_id, "id": company.id,
            **{name: getattr(company, name) for name, _l, _r in COMPANY_TEXT},
            "credit_limit": _decimal_text(terms.credit_limit),
            "credit_currency": terms.credit_currency,
            "payment_terms_days": terms.payment_terms_days,
            "payment_terms": terms.payment_terms}


COMPANIES = ApiResource("companies", "Customer companies", COMPANY_FIELDS,
                        upsert=upsert_company, read=read_company, order=0,
                        description="Counterparties of the business whose people use the portal.")


# -- documents --------------------------------------------------------------------------------

LINE_FIELDS = (
    ApiField("product_code", max_length=100),
    ApiField("product_name", required=True, max_length=300),
    ApiField("quantity", "decimal", required=True),
    ApiField("unit", max_length=20),
    ApiField("unit_price", "decimal", required=True),
    ApiField("tax_rate", "decimal", description="Percent, e.g. \"20\"."),
    ApiField("discount_rate", "decimal", description="Percent."),
)
HEADER_DATES = ("due_on", "valid_until", "period_start", "period_end")


def document_fields(doc_type: DocumentType) -> tuple[ApiField, ...]:
    type_keys = tuple(document_types())
    return (
        ApiField("company", required=True, max_length=100,
                 description="The customer company's ERP id (external_id)."),
        ApiField("number", max_length=50,
                 description="The document number; given by the portal when left out."),
        ApiField("issued_on", "date", required=True),
        ApiField("due_on", "date"), ApiField("valid_until", "date"),
        ApiField("period_start", "date"), ApiField("period_end", "date"),
        ApiField("opening_balance", "decimal"), ApiField("closing_balance", "decimal"),
        ApiField("currency", max_length=3, description="ISO 4217 code; TRY when left out."),
        ApiField("status", enum=doc_type.statuses,
                 description=f"{doc_type.statuses[0]} when left out."),
        ApiField("notes", max_length=4000),
        ApiField("amount", "decimal",
                 description="Gross amount of a document without lines (a payment)."),
        ApiField("based_on", "array", description="Documents this one is based on.",
                 items=(ApiField("type", required=True, enum=type_keys),
                        ApiField("external_id", required=True, max_length=100))),
        ApiField("lines", "array", required=doc_type.line_layout != AMOUNTS,
                 items=LINE_FIELDS),
        ApiField("order", max_length=50,
                 description="Number of the customer's order this document belongs to (an "
                             "invoice, a prepayment); balance by orders groups by it."),
        *((ALLOCATIONS,) if doc_type.money and doc_type.sign == CREDIT else ()),
    )


ALLOCATIONS = ApiField(
    "allocations", "array",
    description="What this payment or credit note settles: each item names an invoice "
                "(its number) or an order (its number) and an amount. What is not "
                "allocated is an advance. Left out: the portal settles the oldest due "
                "invoices first (or the document's order, when it has one).",
    items=(ApiField("invoice", max_length=50, description="Invoice number."),
           ApiField("order", max_length=50, description="Order number."),
           ApiField("amount", "decimal", required=True)))


MONEY_LIMIT = Decimal("1e16")
"""Amounts are stored as ``Numeric(18, 2)``: a line or a total must stay below 10^16."""


def _amount_errors(lines: list[dict]) -> list[dict]:
    """Lines whose quantity × unit price (or whose sum) the money columns cannot hold."""
    errors, total = [], Decimal("0")
    for index, line in enumerate(lines):
        amount = abs(line["quantity"] * line["unit_price"])
        if amount >= MONEY_LIMIT:
            errors.append({"field": f"lines[{index}]",
                           "message": "quantity × unit_price must stay below 10^16."})
        total += amount
    if not errors and total * 2 >= MONEY_LIMIT:  # with tax (at most 100 %) still below
        errors.append({"field": "lines",
                       "message": "The lines' total must stay below 5 × 10^15."})
    return errors


def _line_data(line: dict) -> LineData:
    return LineData(product_code=line.get("product_code") or "",
                    product_name=line["product_name"], quantity=line["quantity"],
                    unit=line.get("unit") or "", unit_price=line["unit_price"],
                    tax_rate=line.get("tax_rate") or Decimal("0"),
                    discount_rate=line.get("discount_rate") or Decimal("0"))


def _line_key(row) -> tuple:
    return (row.line_no, row.product_code, row.product_name, Decimal(row.quantity), row.unit,
            Decimal(row.unit_price), Decimal(row.discount_rate), Decimal(row.tax_rate),
            money(row.net_amount), money(row.tax_amount), money(row.gross_amount))


def _same_decimal(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return Decimal(a) == Decimal(b)


def make_document_upsert(doc_type: DocumentType):
    def upsert(session, external_id: str, data: dict):
        errors = []
        company_id = session.scalar(select(CustomerCompany.id)
                                    .where(CustomerCompany.external_id == data["company"]))
        if company_id is None:
            errors.append({"field": "company",
                           "message": f"No customer company with external_id "
                                      f"{data['company']!r}."})
        base_ids = []
        for index, ref in enumerate(data.get("based_on") or []):
            base = session.execute(select(Document.id, Document.company_id).where(
                Document.doc_type == ref["type"], Document.external_id == ref["external_id"])
            ).first()
            if base is None or (company_id is not None and base.company_id != company_id):
                errors.append({"field": f"based_on[{index}]",
                               "message": f"No {ref['type']} {ref['external_id']!r} of this "
                                          "customer."})
            else:
                base_ids.append(base.id)
        if data.get("period_start") and data.get("period_end") \
                and data["period_end"] < data["period_start"]:
            errors.append({"field": "period_end", "message": "Must not be before period_start."})
        if data.get("lines") and data.get("amount") is not None:
            errors.append({"field": "amount",
                           "message": "Give either lines or amount, not both."})
        errors += _amount_errors(data.get("lines") or [])
        if errors:
            raise PayloadError(errors)
        lines = [_line_data(line) for line in data.get("lines") or []]
        header = {key: data.get(key) for key in HEADER_DATES}
        header["opening_balance"] = data.get("opening_balance")
        header["closing_balance"] = data.get("closing_balance")
        header["notes"] = data.get("notes") or ""
        header["order_number"] = (data.get("order") or "").strip() or None
        if not lines and data.get("amount") is not None:
            header["net_total"] = data["amount"]
        currency = (data.get("currency") or "TRY").upper()
        allocations = _allocations(session, company_id, currency,
                                   totals(build_lines(lines), header)[2],
                                   data.get("allocations") or [])
        values = {"company_id": company_id, "issued_on": data["issued_on"],
                  "currency": (data.get("currency") or "TRY").upper(),
                  "status": data.get("status") or doc_type.statuses[0]}
        doc = session.scalar(select(Document).options(selectinload(Document.lines)).where(
            Document.doc_type == doc_type.key, Document.external_id == external_id))
        if doc is None:
            number = data.get("number") or next_number(session, doc_type.key,
                                                       data["issued_on"].year)
            doc = create_document(session, doc_type=doc_type.key, number=number, lines=lines,
                                  based_on=base_ids, external_id=external_id,
                                  **values, **header)
            _store_allocations(session, doc, allocations)
            if doc_type.announce:
                _announce(session, doc)
            return True, True, doc.id
        changed = _update_document(session, doc, data, values, header, lines, base_ids)
        changed = _store_allocations(session, doc, allocations) or changed
        return False, changed, doc.id

    return upsert


def _announce(session, doc: Document) -> None:
    """A ``documents.issued`` event for a new document of an announced type (JSON payload)."""
    from portal.core.events import record_event

    record_event("documents.issued", subject=("document", doc.id), company_id=doc.company_id,
                 session=session,
                 payload={"type": doc.doc_type, "number": doc.number,
                          "issued_on": doc.issued_on.isoformat(),
                          "period_start": doc.period_start.isoformat() if doc.period_start
                          else None,
                          "period_end": doc.period_end.isoformat() if doc.period_end else None,
                          "closing_balance": _decimal_text(doc.closing_balance),
                          "currency": doc.currency})


def _allocations(session, company_id, currency: str, total: Decimal,
                 items: list[dict]) -> list[tuple[int | None, str | None, Decimal]]:
    """Check the ``allocations`` of a payload: ``[(invoice_id, order_number, amount)]``."""
    from .ledger import money_signs

    if not items:
        return []
    errors = []
    debit_types = [k for k, sign in money_signs().items() if sign == DEBIT]
    numbers = {(i.get("invoice") or "").strip() for i in items} - {""}
    found = {}
    if numbers and company_id is not None:
        found = {row.number: row for row in session.execute(
            select(Document.id, Document.number, Document.currency)
            .where(Document.company_id == company_id, Document.doc_type.in_(debit_types),
                   Document.number.in_(sorted(numbers))))}
    result = []
    for index, item in enumerate(items):
        path = f"allocations[{index}]"
        invoice = (item.get("invoice") or "").strip()
        order = (item.get("order") or "").strip()
        amount = item.get("amount")
        if bool(invoice) == bool(order):
            errors.append({"field": path, "message": "Give either invoice or order."})
            continue
        if amount is None or amount <= 0:
            errors.append({"field": f"{path}.amount", "message": "Must be more than 0."})
            continue
        if invoice:
            row = found.get(invoice)
            if row is None:
                errors.append({"field": f"{path}.invoice",
                               "message": f"No invoice {invoice!r} of this customer."})
                continue
            if row.currency != currency:
                errors.append({"field": f"{path}.invoice",
                               "message": f"Invoice {invoice!r} is in {row.currency}, this "
                                          f"document in {currency}."})
                continue
            result.append((row.id, None, money(amount)))
        else:
            result.append((None, order, money(amount)))
    if not errors and sum((a for _i, _o, a in result), Decimal("0")) > total:
        errors.append({"field": "allocations",
                       "message": f"Allocations add up to more than the document's amount "
                                  f"({total})."})
    if errors:
        raise PayloadError(errors)
    return result


def _store_allocations(session, doc: Document, wanted) -> bool:
    current = list(session.scalars(select(DocumentAllocation)
                                   .where(DocumentAllocation.document_id == doc.id)
                                   .order_by(DocumentAllocation.position)))
    if [(a.invoice_id, a.order_number, money(a.amount)) for a in current] == list(wanted):
        return False
    for row in current:
        session.delete(row)
    session.flush()
    for position, (invoice_id, order_number, amount) in enumerate(wanted):
        session.add(DocumentAllocation(document_id=doc.id, company_id=doc.company_id,
                                       invoice_id=invoice_id, order_number=order_number,
                                       amount=amount, position=position))
    session.flush()
    return True


def _update_document(session, doc: Document, data, values, header, lines, base_ids) -> bool:
    rows = build_lines(lines)
    net, tax, gross = totals(rows, header)
    wanted = dict(values, net_total=net, tax_total=tax, gross_total=gross,
                  notes=header["notes"], order_number=header["order_number"],
                  **{k: header[k] for k in HEADER_DATES})
    if data.get("number"):
        wanted["number"] = data["number"]
    for key in ("opening_balance", "closing_balance"):
        wanted[key] = money(header[key]) if header[key] is not None else None
    changed = False
    for key, value in wanted.items():
        current = getattr(doc, key)
        same = (_same_decimal(current, value) if isinstance(value, Decimal)
                or isinstance(current, Decimal) else current == value)
        if not same:
            setattr(doc, key, value)
            changed = True
    if [_line_key(r) for r in doc.lines] != [_line_key(r) for r in rows]:
        doc.lines = rows
        changed = True
    current_links = set(session.scalars(select(DocumentLink.based_on_id)
                                        .where(DocumentLink.document_id == doc.id)))
    if current_links != set(base_ids):
        for link in session.scalars(select(DocumentLink)
                                    .where(DocumentLink.document_id == doc.id)):
            session.delete(link)
        session.flush()
        for base_id in sorted(set(base_ids)):
            session.add(DocumentLink(document_id=doc.id, based_on_id=base_id))
        changed = True
    if changed:
        from .services import touch

        touch(doc)
    session.flush()
    return changed


def _decimal_text(value) -> str | None:
    return None if value is None else str(money(value)) if isinstance(value, Decimal) else value


def make_document_read(doc_type: DocumentType):
    def read(session, external_id: str) -> dict | None:
        doc = session.scalar(select(Document).options(selectinload(Document.lines)).where(
            Document.doc_type == doc_type.key, Document.external_id == external_id))
        if doc is None:
            return None
        company = session.get(CustomerCompany, doc.company_id)
        bases = session.execute(
            select(Document.doc_type, Document.external_id)
            .join(DocumentLink, DocumentLink.based_on_id == Document.id)
            .where(DocumentLink.document_id == doc.id)).all()
        result = {"external_id": doc.external_id, "id": doc.id, "company": company.external_id,
                  "number": doc.number, "currency": doc.currency, "status": doc.status,
                  "notes": doc.notes, "net_total": str(doc.net_total),
                  "tax_total": str(doc.tax_total), "gross_total": str(doc.gross_total),
                  "based_on": [{"type": t, "external_id": e} for t, e in bases if e],
                  "lines": [{"product_code": r.product_code, "product_name": r.product_name,
                             "quantity": str(r.quantity), "unit": r.unit,
                             "unit_price": str(r.unit_price), "tax_rate": str(r.tax_rate),
                             "discount_rate": str(r.discount_rate),
                             "net_amount": str(r.net_amount), "gross_amount": str(r.gross_amount)}
                            for r in doc.lines]}
        for key in ("issued_on", *HEADER_DATES):
            value = getattr(doc, key)
            result[key] = value.isoformat() if value else None
        for key in ("opening_balance", "closing_balance"):
            result[key] = _decimal_text(getattr(doc, key))
        result["order"] = doc.order_number
        if doc_type.money and doc_type.sign == CREDIT:
            result["allocations"] = [
                {"invoice": number, "order": order, "amount": str(money(amount))}
                for number, order, amount in session.execute(
                    select(Document.number, DocumentAllocation.order_number,
                           DocumentAllocation.amount)
                    .outerjoin(Document, Document.id == DocumentAllocation.invoice_id)
                    .where(DocumentAllocation.document_id == doc.id)
                    .order_by(DocumentAllocation.position))]
        return result

    return read


def document_resources() -> list[ApiResource]:
    return [ApiResource(t.resource, t.resource.replace("-", " ").capitalize(), document_fields(t),
                        upsert=make_document_upsert(t), read=make_document_read(t),
                        order=10 + t.order,
                        description=f"Documents of type {t.key!r}; external_id is unique per "
                                    "type.")
            for t in document_types().values()]
