"""Statement exports a spreadsheet reads exactly: CSV (streamed) and XLSX (openpyxl).

Numbers stay numbers (the locale's decimal mark in CSV, numeric cells in XLSX); text that a
spreadsheet would run as a formula is prefixed with ``'`` (OWASP CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Labels:
    date: str
    document: str
    number: str
    due: str
    order: str
    debit: str
    credit: str
    balance: str
    opening: str
    totals: str
    closing: str
    title: str
    currency: str
    period: str


def safe_text(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _split(balance):
    """A balance shown as debit (owed) and credit (advance) columns."""
    return (balance, 0) if balance >= 0 else (0, -balance)


def _rows(head, movements: Iterable, labels: Labels, label: Callable):
    opening_debit, opening_credit = _split(head.opening)
    yield ["", labels.opening, "", "", "", opening_debit, opening_credit, head.opening]
    for m in movements:
        yield [m.issued_on, safe_text(label(m.doc_type)), safe_text(m.number),
               m.due_on or "", safe_text(m.order_number or ""), m.debit, m.credit, m.balance]
    yield ["", labels.totals, "", "", "", head.debits, head.credits, ""]
    closing_debit, closing_credit = _split(head.closing)
    yield ["", labels.closing, "", "", "", closing_debit, closing_credit, head.closing]


def header(labels: Labels) -> list[str]:
    return [labels.date, labels.document, labels.number, labels.due, labels.order,
            labels.debit, labels.credit, labels.balance]


def statement_csv(head, movements: Iterable, labels: Labels, label: Callable, *,
                  delimiter: str = ",", mark: str = "."):
    """Yield the CSV text in chunks (UTF-8 BOM first, so Excel reads Turkish letters), with the
    core's convention (:mod:`portal.core.exports`): ``delimiter`` ``;`` and decimal ``mark``
    ``,`` in comma-decimal locales such as Turkish."""
    from portal.core.exports import csv_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    buffer.write("\ufeff")
    writer.writerow([labels.title, head.currency, head.date_from.isoformat(),
                     head.date_to.isoformat()])
    writer.writerow(header(labels))
    for row in _rows(head, movements, labels, label):
        writer.writerow([v if isinstance(v, str) else csv_cell(v, mark) for v in row])
        if buffer.tell() > 8192:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def statement_xlsx(head, movements: Iterable, labels: Labels, label: Callable) -> bytes:
    from decimal import Decimal

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(head.currency)

    def cell(value):
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            found = WriteOnlyCell(sheet, value=Decimal(value))
            found.number_format = "#,##0.00"
            return found
        if hasattr(value, "isoformat"):
            found = WriteOnlyCell(sheet, value=value)
            found.number_format = "yyyy-mm-dd"
            return found
        return value

    sheet.append([labels.title, head.currency, cell(head.date_from), cell(head.date_to)])
    sheet.append(header(labels))
    for row in _rows(head, movements, labels, label):
        sheet.append([cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
