"""Quick order: "code quantity" lines pasted or uploaded as CSV, checked line by line."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.core.db import get_session

from . import catalogue
from .models import Category, Product
from .quantities import QuantityError, parse_quantity

MAX_LINES = 500
MAX_FILE_BYTES = 1024 * 1024
MAX_REQUEST_BYTES = MAX_FILE_BYTES + 512 * 1024  # the file, the pasted text and the form
MAX_CELL = 200  # a product code or a quantity; anything longer is not one


class QuickOrderFileError(ValueError):
    """The uploaded file cannot be read as lines of code and quantity (the message says why)."""


@dataclass
class QuickLine:
    number: int
    code: str
    quantity_text: str
    quantity: Decimal | None = None
    row: catalogue.ProductRow | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def split_text(text: str) -> list[tuple[int, str, str]]:
    """``(line number, code, quantity text)`` for each non-empty pasted line.

    A line is split at a tab or semicolon when it has one, else at the last run of spaces, so a
    Turkish decimal comma (``2,5``) is never taken for a separator.
    """
    items = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        for sep in ("\t", ";"):
            if sep in line:
                code, _sep, qty = line.partition(sep)
                break
        else:
            parts = line.rsplit(None, 1)
            if len(parts) == 2:
                code, qty = parts
            elif line.count(",") == 1:
                code, qty = line.split(",")
            else:
                code, qty = line, ""
        items.append((number, code.strip(), qty.strip()))
    return items


def read_csv(data: bytes) -> str:
    """An uploaded CSV (``code;quantity`` or ``code,quantity``) as pasted text."""
    if b"\x00" in data[:8192]:
        raise QuickOrderFileError(_("This file is not a CSV text file. Save the sheet as CSV "
                                    "and upload that."))
    text = data.decode("utf-8-sig", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # old Mac line endings too
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:  # a cell beyond the csv module's limit, a stray quote
        raise QuickOrderFileError(_("This file could not be read as CSV.")) from exc
    lines = []
    for row in rows:
        cells = [c.strip()[:MAX_CELL] for c in row]
        if len(cells) < 2 or not cells[0]:
            continue
        if cells[0].lower() in {"code", "kod", "sku", "product", "ürün kodu"}:
            continue  # header row
        lines.append(f"{cells[0]}\t{cells[1]}")
    return "\n".join(lines)


def check(text: str) -> list[QuickLine]:
    """Every line with its product (when orderable) or the reason it cannot be ordered."""
    items = split_text(text)[:MAX_LINES]
    codes = {code.upper() for _n, code, _q in items if code}
    session = get_session()
    known = {}
    if codes:
        stmt = (select(Product, Category.code)
                .outerjoin(Category, Category.id == Product.category_id)
                .where(func.upper(Product.code).in_(sorted(codes))))
        known = {p.code.upper(): (p, ccode) for p, ccode in session.execute(stmt)}
    visible = catalogue.visible_by_codes(codes)
    result = []
    for number, code, qty_text in items:
        line = QuickLine(number, code, qty_text)
        result.append(line)
        found = known.get(code.upper())
        if found is None:
            line.error = _("No product has this code.")
            continue
        product, _ccode = found
        if not product.active:
            line.error = _("This product is no longer available.")
            continue
        row = visible.get(code.upper())
        if row is None:
            line.error = _("You cannot order this product.")
            continue
        if row.price is None:
            line.error = _("This product has no price for you yet.")
            continue
        line.row = row
        try:
            line.quantity = parse_quantity(qty_text, product.whole_units)
        except QuantityError as exc:
            line.error = str(exc)
    return result
