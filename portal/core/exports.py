"""CSV and XLSX downloads of a list, one convention for every plugin.

A list export is a header and a function that yields plain rows (tuples of ``str``, ``int``,
``Decimal``, ``date``/``datetime`` or ``None``) from a session it is given::

    def rows(session):
        yield from session.execute(select(Invoice.number, Invoice.total).where(...))

    return export_response("csv", "invoices", [_("Number"), _("Total")], rows)

Rules every export follows:

- The rows are read from a session the export opens and closes itself. A streamed response
  outlives the request (its teardown has closed the request's session by the time the
  generator runs), so it must never use :func:`portal.core.db.get_session`.
- CSV is UTF-8 with a BOM (Excel reads Turkish), separated by ``;`` where the decimal mark is a
  comma (Turkish, so Excel there splits the columns) and ``,`` elsewhere; numbers carry the
  locale's decimal mark, without grouping, so they stay numbers in a spreadsheet.
- Text that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``,
  tab or carriage return) gets a leading ``'`` (OWASP, CSV injection); numbers stay numbers.
- XLSX keeps types (numbers, dates) and stores every text as text, never as a formula.
- Downloads are customer data: ``Cache-Control: no-store``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from urllib.parse import quote

from babel.numbers import get_decimal_symbol
from flask import Response, current_app, stream_with_context
from flask_babel import get_locale

FORMATS = ("csv", "xlsx")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 16 * 1024

Rows = Callable[[object], Iterable[Sequence]]


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it, never run as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def decimal_mark(locale=None) -> str:
    return get_decimal_symbol(locale or get_locale() or "en")


def csv_delimiter(locale=None) -> str:
    """``;`` where the decimal mark is a comma (so numbers keep it), else ``,``."""
    return ";" if decimal_mark(locale) == "," else ","


def csv_cell(value, mark: str = ".") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal | int | float):
        text = format(value, "f") if isinstance(value, Decimal) else str(value)
        return text.replace(".", mark) if mark != "." else text
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return neutralise(str(value))


def _open_session():
    return current_app.extensions["portal.sessionmaker"]()


def _disposition(filename: str) -> str:
    ascii_name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_"
                         for ch in filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _download_headers(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = _disposition(filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def csv_response(filename: str, header: Sequence, rows: Rows) -> Response:
    """Stream ``rows`` as CSV; the generator owns its session and closes it, even when the
    client goes away half-way (the WSGI server closes the generator)."""
    delimiter = csv_delimiter()
    mark = decimal_mark()
    labels = [str(label) for label in header]
    session_maker = current_app.extensions["portal.sessionmaker"]

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter)
        buffer.write("\ufeff")
        writer.writerow([neutralise(label) for label in labels])
        session = session_maker()
        try:
            for row in rows(session):
                writer.writerow([csv_cell(value, mark) for value in row])
                if buffer.tell() > CHUNK:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
            yield buffer.getvalue()
        finally:
            session.close()

    response = Response(stream_with_context(generate()), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    return _download_headers(response, filename)


def xlsx_bytes(header: Sequence, rows: Iterable[Sequence], title: str = "Export") -> bytes:
    """An XLSX workbook of one sheet (write-only: rows go to a temporary file, not memory)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Export")
    bold = Font(bold=True)

    def styled(value, **style):
        item = WriteOnlyCell(sheet, value=value)
        for name, setting in style.items():
            setattr(item, name, setting)
        return item

    def cell(value):
        # Plain values are written as they are (fast); only what needs a type or a format is
        # wrapped: text that openpyxl would store as a formula, dates.
        if isinstance(value, str):
            if ILLEGAL_CHARACTERS_RE.search(value):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if value.startswith("="):
                return styled(value, data_type="s")
            return value
        if isinstance(value, dt.datetime):
            return styled(value.replace(tzinfo=None), number_format="yyyy-mm-dd hh:mm")
        if isinstance(value, dt.date):
            return styled(value, number_format="yyyy-mm-dd")
        return value

    sheet.append([styled(str(label), font=bold) for label in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(filename: str, header: Sequence, rows: Rows, title: str = "Export") -> Response:
    session = _open_session()
    try:
        data = xlsx_bytes(header, rows(session), title=title)
    finally:
        session.close()
    response = Response(data, mimetype=XLSX_MIMETYPE)
    return _download_headers(response, filename)


def export_response(fmt: str, name: str, header: Sequence, rows: Rows,
                    title: str | None = None) -> Response:
    """``name.csv`` or ``name.xlsx`` of ``rows`` (``fmt`` is one of :data:`FORMATS`)."""
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", header, rows, title=title or name)
    return csv_response(f"{name}.csv", header, rows)
