"""The customer's side: what can be returned, drafts, sending, withdrawing; reading requests.

Nothing here commits: the caller (a view, the API, the demo) commits once per action, so an
error leaves nothing half-written. Invoices are read through the documents plugin's services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from plugins.documents import services as documents

from ..models import LineLock, ReturnLine, ReturnRequest
from . import statuses as st
from .numbering import dialect_insert, next_number
from .quantities import whole_units
from .status import ReturnError, change_status


class QuantityShortage(ReturnError):
    """Some lines ask for more than is left; ``left`` maps invoice line id → what is left."""

    def __init__(self, message: str, left: dict[int, Decimal]):
        super().__init__(message)
        self.left = left


@dataclass
class Returnable:
    """An invoice line as the return form shows it."""

    line: object  # plugins.documents.models.DocumentLine
    returned: Decimal
    requested: Decimal
    allowed: bool

    @property
    def remaining(self) -> Decimal:
        left = Decimal(self.line.quantity) - self.returned - self.requested
        return max(left, Decimal("0")) if self.allowed else Decimal("0")

    @property
    def whole(self) -> bool:
        return whole_units(self.line.unit, self.line.quantity)


@dataclass
class LineInput:
    quantity: Decimal
    reason: str = "defective"
    condition: str = "unopened"


@dataclass
class RequestInput:
    description: str = ""
    resolution: str = "credit"
    contact_name: str = ""
    contact_phone: str = ""
    lines: dict[int, LineInput] = field(default_factory=dict)  # by invoice line id


def allowed_line(line, allowed_codes) -> bool:
    """A product restriction (``orders.products``: product codes) limits the returnable lines."""
    return allowed_codes is None or line.product_code in allowed_codes


def reserved_quantities(session, line_ids, exclude_request_id: int | None = None
                        ) -> dict[int, Decimal]:
    """What open requests (sent or approved) hold per invoice line; one query."""
    ids = sorted(set(line_ids))
    result = {i: Decimal("0") for i in ids}
    if not ids:
        return result
    held = func.coalesce(ReturnLine.approved_quantity, ReturnLine.quantity)
    stmt = (select(ReturnLine.invoice_line_id, func.sum(held))
            .join(ReturnRequest, ReturnRequest.id == ReturnLine.request_id)
            .where(ReturnRequest.status.in_(st.RESERVING), ReturnLine.invoice_line_id.in_(ids))
            .group_by(ReturnLine.invoice_line_id))
    if exclude_request_id is not None:
        stmt = stmt.where(ReturnRequest.id != exclude_request_id)
    for line_id, total in session.execute(stmt):
        result[line_id] = Decimal(total or 0)
    return result


def returnable_lines(session, company_id: int, invoice_id: int, *, allowed_codes=None,
                     exclude_request_id: int | None = None):
    """``(invoice, [Returnable])`` for an invoice of ``company_id``, or ``None`` (4 queries)."""
    found = documents.invoice_with_returns(session, company_id, invoice_id)
    if found is None:
        return None
    invoice, lines = found
    reserved = reserved_quantities(session, [item.line.id for item in lines],
                                   exclude_request_id)
    return invoice, [Returnable(item.line, item.returned, reserved[item.line.id],
                                allowed_line(item.line, allowed_codes)) for item in lines]


def refusal(invoice, today: dt.date, window_days: int | None) -> str | None:
    """Why a return cannot be requested against ``invoice`` (``None``: it can)."""
    if invoice.doc_type != "invoice" or invoice.status == "cancelled":
        return _("A return can only be requested against an invoice that is not cancelled.")
    if window_days is not None and invoice.issued_on + dt.timedelta(days=window_days) < today:
        return _("Returns can be requested within %(days)d days of the invoice date; this "
                 "invoice is from %(date)s.", days=window_days,
                 date=invoice.issued_on.isoformat())
    return None


def _check_lines(rows: list[Returnable], data: RequestInput) -> tuple[dict, list]:
    errors: dict[int, str] = {}
    chosen = []
    by_id = {row.line.id: row for row in rows}
    for line_id, item in data.lines.items():
        row = by_id.get(line_id)
        if row is None or not item.quantity:
            continue
        if not row.allowed:
            errors[line_id] = _("You may not return this product.")
        elif item.quantity > row.remaining:
            errors[line_id] = _("At most %(left)s can be returned.",
                                left=_plain(row.remaining))
        elif item.reason not in st.REASONS or item.condition not in st.CONDITIONS:
            errors[line_id] = _("Choose a reason and the goods' condition.")
        else:
            chosen.append((row, item))
    return errors, chosen


def _plain(value: Decimal) -> str:
    from flask_babel import format_decimal

    return format_decimal(value, format="#,##0.####")


def save_draft(session, *, company_id: int, user, invoice_id: int, data: RequestInput,
               allowed_codes=None, request: ReturnRequest | None = None,
               today: dt.date | None = None, window_days: int | None = None) -> ReturnRequest:
    """Create a draft (``request`` None) or replace a draft's details and lines; flushes.

    Raises :class:`ReturnError` (with ``line_errors``) when a line asks for more than is left,
    for a product the user may not return, or when no line is chosen.
    """
    if request is not None and request.status != st.DRAFT:
        raise ReturnError(_("Only a draft can be edited."))
    found = returnable_lines(session, company_id, invoice_id, allowed_codes=allowed_codes,
                             exclude_request_id=request.id if request is not None else None)
    if found is None:
        raise ReturnError(_("This invoice cannot be found."))
    invoice, rows = found
    today = today or dt.date.today()
    why_not = refusal(invoice, today, window_days)
    if why_not:
        raise ReturnError(why_not)
    errors, chosen = _check_lines(rows, data)
    if errors:
        raise ReturnError(_("Please correct the marked lines."), line_errors=errors)
    if not chosen:
        raise ReturnError(_("Enter the quantity to return on at least one line."))
    if data.resolution not in st.RESOLUTIONS:
        raise ReturnError(_("Choose the resolution you ask for."))
    if request is None:
        request = ReturnRequest(
            company_id=company_id, status=st.DRAFT, invoice_id=invoice.id,
            invoice_number=invoice.number, invoice_date=invoice.issued_on,
            currency=invoice.currency, created_by_id=user.id,
            created_by_name=user.display_name, number=next_number(session, today.year))
        request.lines, request.history = [], []
        request.attachments, request.documents = [], []
        session.add(request)
    else:
        request.lines.clear()
    request.description = data.description.strip()
    request.resolution = data.resolution
    request.contact_name = data.contact_name.strip()
    request.contact_phone = data.contact_phone.strip()
    request.updated_at = dt.datetime.now(dt.UTC)
    for no, (row, item) in enumerate(chosen, start=1):
        line = row.line
        request.lines.append(ReturnLine(
            line_no=no, invoice_line_id=line.id, product_code=line.product_code,
            product_name=line.product_name, unit=line.unit, unit_price=line.unit_price,
            discount_rate=line.discount_rate, tax_rate=line.tax_rate,
            invoiced_quantity=line.quantity, quantity=item.quantity, reason=item.reason,
            condition=item.condition))
    session.flush()
    return request


def lock_invoice_lines(session, company_id: int, line_ids) -> None:
    """Write the lock rows of these invoice lines (in id order, so two senders never deadlock).

    PostgreSQL keeps the rows locked until the transaction ends; on SQLite the first write takes
    the database's write lock. Either way a concurrent sender of the same lines waits here and
    then reads what this transaction committed.
    """
    ids = sorted(set(line_ids))
    if not ids:
        return
    insert = dialect_insert(session)
    session.execute(insert(LineLock).values(
        [{"invoice_line_id": i, "company_id": company_id, "version": 0} for i in ids])
        .on_conflict_do_nothing(index_elements=["invoice_line_id"]))
    session.execute(update(LineLock).where(LineLock.invoice_line_id.in_(ids))
                    .values(version=LineLock.version + 1)
                    .execution_options(synchronize_session=False))


def submit(session, request: ReturnRequest, user, *, allowed_codes=None,
           today: dt.date | None = None, window_days: int | None = None) -> None:
    """Send a draft to the supplier: checks every line against what is left, atomically.

    Raises :class:`QuantityShortage` (nothing changed) when another request took some of it.
    """
    if request.status != st.DRAFT:
        raise ReturnError(_("This request has already been sent."))
    if not request.description.strip():
        raise ReturnError(_("Describe the problem before sending the request."))
    lock_invoice_lines(session, request.company_id, [ln.invoice_line_id for ln in request.lines])
    found = returnable_lines(session, request.company_id, request.invoice_id,
                             allowed_codes=allowed_codes, exclude_request_id=request.id)
    if found is None:
        raise ReturnError(_("This invoice cannot be found."))
    invoice, rows = found
    why_not = refusal(invoice, today or dt.date.today(), window_days)
    if why_not:
        raise ReturnError(why_not)
    by_id = {row.line.id: row for row in rows}
    left = {}
    for line in request.lines:
        row = by_id.get(line.invoice_line_id)
        remaining = row.remaining if row is not None else Decimal("0")
        if line.quantity > remaining:
            left[line.invoice_line_id] = remaining
    if left:
        raise QuantityShortage(
            _("Meanwhile another request took some of these goods. What is left is shown on "
              "each line; change the quantities and send again."), left)
    request.submitted_at = dt.datetime.now(dt.UTC)
    change_status(session, request, st.SUBMITTED, actor=user)


def withdraw(session, request: ReturnRequest, user, message: str = "") -> None:
    """The customer takes back a draft or a request the supplier has not approved yet."""
    if request.status not in (st.DRAFT, st.SUBMITTED):
        raise ReturnError(_("Only a request that was not approved yet can be withdrawn."))
    change_status(session, request, st.WITHDRAWN, actor=user,
                  message=message or _("Withdrawn by the customer."))


# -- reading ----------------------------------------------------------------------------------


def get_request(session, request_id: int, company_id: int | None) -> ReturnRequest | None:
    """The request with its lines, history, attachments and documents (five queries), or
    ``None`` when it does not exist or is not ``company_id``'s (``None``: any company, for
    staff). Used by the support plugin too: ``.id``, ``.number``, ``.company_id``."""
    stmt = (select(ReturnRequest).where(ReturnRequest.id == request_id)
            .options(selectinload(ReturnRequest.lines), selectinload(ReturnRequest.history),
                     selectinload(ReturnRequest.attachments),
                     selectinload(ReturnRequest.documents)))
    if company_id is not None:
        stmt = stmt.where(ReturnRequest.company_id == company_id)
    return session.scalar(stmt)


def get_by_number(session, number: str) -> ReturnRequest | None:
    stmt = (select(ReturnRequest).where(ReturnRequest.number == number)
            .options(selectinload(ReturnRequest.lines), selectinload(ReturnRequest.history),
                     selectinload(ReturnRequest.documents)))
    return session.scalar(stmt)


def get_by_ids(session, ids) -> list[ReturnRequest]:
    """Requests by id with their lines, history and documents (four queries)."""
    if not ids:
        return []
    stmt = (select(ReturnRequest).where(ReturnRequest.id.in_(ids))
            .options(selectinload(ReturnRequest.lines), selectinload(ReturnRequest.history),
                     selectinload(ReturnRequest.documents)))
    return list(session.scalars(stmt))


def requests_for_documents(session, company_id: int, document_ids) -> list[ReturnRequest]:
    """The requests settled by any of these documents (for the link back from a document)."""
    from ..models import RequestDocument

    ids = sorted(set(document_ids))
    if not ids:
        return []
    return list(session.scalars(
        select(ReturnRequest).join(RequestDocument, RequestDocument.request_id == ReturnRequest.id)
        .where(RequestDocument.document_id.in_(ids), ReturnRequest.company_id == company_id)
        .order_by(ReturnRequest.id)).unique())


def requests_for_invoice(session, company_id: int, invoice_id: int) -> list[ReturnRequest]:
    return list(session.scalars(
        select(ReturnRequest).where(ReturnRequest.company_id == company_id,
                                    ReturnRequest.invoice_id == invoice_id)
        .order_by(ReturnRequest.id)))
