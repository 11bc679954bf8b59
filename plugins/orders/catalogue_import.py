"""Bulk import of products and prices from CSV or XLSX: read, check every row, then apply.

:func:`read_table` turns the file into rows of text (CSV: UTF-8 with or without BOM, ``;`` or
``,`` detected from the header line; XLSX: the first sheet). :func:`plan_products` and
:func:`plan_prices` check every row against the database without writing and return a
:class:`Plan` (what will be created, updated, left alone, and the row-level errors);
:func:`apply_plan` writes a plan without errors. The caller commits once, with its audit entry,
so an import is applied whole or not at all.

Decimals: a CSV separated by ``;`` (Excel's convention where the decimal mark is a comma) or a
file read in a comma locale (Turkish) takes ``1.234,56``; otherwise ``1,234.56``. XLSX number
cells are exact whatever the locale.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from .models import Category, Price, PriceList, Product

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
EXTENSIONS = ("csv", "xlsx")
COMMA_LOCALES = ("tr",)

PRODUCT_COLUMNS = ("code", "name", "category", "unit", "whole_units", "tax_rate", "active",
                   "description")
PRICE_COLUMNS = ("product", "price_list", "price")
# Turkish headers are accepted too (what a Turkish spreadsheet is likely to say).
ALIASES = {
    "kod": "code", "ürün kodu": "code", "ad": "name", "ürün adı": "name", "kategori": "category",
    "birim": "unit", "tam birim": "whole_units", "kdv": "tax_rate", "kdv oranı": "tax_rate",
    "aktif": "active", "açıklama": "description", "ürün": "product", "fiyat listesi": "price_list",
    "fiyat": "price",
}
TRUE_WORDS = {"1", "yes", "y", "true", "evet", "e", "doğru"}
FALSE_WORDS = {"0", "no", "n", "false", "hayır", "h", "yanlış"}
THOUSANDS_POINT = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
THOUSANDS_COMMA = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


class ImportRefused(ValueError):
    """The file as a whole cannot be read (type, encoding, no header, too many rows)."""


@dataclass(frozen=True)
class RowError:
    row: int  # the row number as a spreadsheet shows it (the header is row 1)
    column: str
    message: str


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number, column → text)
    decimal_comma: bool


@dataclass
class Plan:
    kind: str  # "products" or "prices"
    creates: list[dict] = field(default_factory=list)
    updates: list[tuple[str, object, dict]] = field(default_factory=list)  # (label, row, values)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0


# -- reading -----------------------------------------------------------------------------------


def read_table(data: bytes, ext: str, columns: tuple[str, ...], locale: str,
               max_rows: int = MAX_ROWS) -> Table:
    if ext == "xlsx":
        raw, comma = _xlsx_rows(data), locale.split("_")[0] in COMMA_LOCALES
    elif ext == "csv":
        raw, separator = _csv_rows(data)
        comma = separator == ";" or locale.split("_")[0] in COMMA_LOCALES
    else:
        raise ImportRefused(_("Upload a .csv or .xlsx file."))
    raw = [row for row in raw if any(cell.strip() for cell in row)] if raw else raw
    if not raw:
        raise ImportRefused(_("The file has no header row."))
    header = [_column_name(cell) for cell in raw[0]]
    required = ("code",) if columns == PRODUCT_COLUMNS else columns
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportRefused(_("The header row lacks the columns %(columns)s.",
                              columns=", ".join(missing)))
    body = raw[1:]
    if len(body) > max_rows:
        raise ImportRefused(_("The file has %(rows)d rows; at most %(max)d are imported at once. "
                              "Split it into smaller files.", rows=len(body), max=max_rows))
    rows = []
    for number, cells in enumerate(raw[1:], start=2):
        values = {name: (cells[i] if i < len(cells) else "").strip()
                  for i, name in enumerate(header) if name in columns}
        rows.append((number, values))
    return Table(header, rows, comma)


def _column_name(cell: str) -> str:
    name = (cell or "").strip().lower().replace("İ", "i")
    return ALIASES.get(name, name.replace(" ", "_"))


def _csv_rows(data: bytes) -> tuple[list[list[str]], str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(_("Save the CSV file as UTF-8 (Excel: “CSV UTF-8”).")) from None
    first = text.split("\n", 1)[0]
    separator = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator)), separator


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportRefused(_("The file is not a readable XLSX workbook.")) from None
    try:
        sheet = book.worksheets[0]
        return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _cell_text(value) -> str:
    """Numbers become text that :func:`parse_decimal_text` reads exactly (a point, no grouping)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return "\x00" + repr(value)  # marked: a number cell, never read with a decimal comma
    if isinstance(value, int | Decimal):
        return "\x00" + str(value)
    return str(value)


def parse_decimal_text(text: str, decimal_comma: bool) -> Decimal:
    """``12,5`` / ``1.234,56`` with a decimal comma, ``12.5`` / ``1,234.56`` without."""
    if text.startswith("\x00"):
        return Decimal(text[1:])
    text = text.replace("\u00a0", "").replace(" ", "")
    if decimal_comma:
        if "." in text and not THOUSANDS_POINT.match(text):
            raise InvalidOperation
        text = text.replace(".", "").replace(",", ".")
    else:
        if "," in text and not THOUSANDS_COMMA.match(text):
            raise InvalidOperation
        text = text.replace(",", "")
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation
    return value


def _plain(text: str) -> str:
    return text[1:] if text.startswith("\x00") else text


# -- checking ----------------------------------------------------------------------------------


def _chunks(values: list, size: int = 900):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _by_code(session, model, codes: set[str]) -> dict:
    found = {}
    for chunk in _chunks(sorted(codes)):
        found.update((row.code, row) for row in session.scalars(
            select(model).where(model.code.in_(chunk))))
    return found


def _decimal_error(value: str, decimal_comma: bool) -> str:
    example = "12,5" if decimal_comma else "12.5"
    return _("“%(value)s” is not a number; write it like %(example)s.", value=value,
             example=example)


def plan_products(session, table: Table) -> Plan:
    plan = Plan("products", rows=len(table.rows))
    codes = {_plain(values.get("code", "")) for _n, values in table.rows}
    existing = _by_code(session, Product, codes)
    categories = {code: cid for cid, code in session.execute(select(Category.id, Category.code))}
    seen: dict[str, int] = {}
    for number, values in table.rows:
        errors_before = len(plan.errors)

        def error(column: str, message: str, number=number) -> None:
            plan.errors.append(RowError(number, column, message))

        code = _plain(values.get("code", ""))
        if not code:
            error("code", _("Enter the product code."))
        elif len(code) > 50:
            error("code", _("At most %(num)d characters.", num=50))
        elif code in seen:
            error("code", _("The code %(code)s is already on row %(row)d of this file.",
                            code=code, row=seen[code]))
        else:
            seen[code] = number
        product = existing.get(code)
        new: dict = {}
        name = _plain(values.get("name", ""))
        if name:
            if len(name) > 200:
                error("name", _("At most %(num)d characters.", num=200))
            new["name"] = name
        elif product is None:
            error("name", _("Enter the product name."))
        category = _plain(values.get("category", ""))
        if category:
            if category not in categories:
                error("category", _("There is no category with the code %(code)s.",
                                    code=category))
            else:
                new["category_id"] = categories[category]
        if values.get("unit"):
            unit = _plain(values["unit"])
            if len(unit) > 20:
                error("unit", _("At most %(num)d characters.", num=20))
            new["unit"] = unit
        for column in ("whole_units", "active"):
            text = _plain(values.get(column, "")).lower()
            if text:
                if text in TRUE_WORDS:
                    new[column] = True
                elif text in FALSE_WORDS:
                    new[column] = False
                else:
                    error(column, _("Write yes or no (evet / hayır)."))
        if values.get("tax_rate"):
            try:
                rate = parse_decimal_text(values["tax_rate"], table.decimal_comma)
            except (InvalidOperation, ValueError):
                error("tax_rate", _decimal_error(_plain(values["tax_rate"]), table.decimal_comma))
            else:
                if not Decimal("0") <= rate <= Decimal("100"):
                    error("tax_rate", _("The tax rate is a percentage from 0 to 100."))
                else:
                    new["tax_rate"] = rate
        if "description" in values and values["description"]:
            new["description"] = _plain(values["description"])
        if len(plan.errors) > errors_before:
            continue
        if product is None:
            plan.creates.append({"code": code, **new, "_row": number})
        else:
            changed = {key: value for key, value in new.items()
                       if getattr(product, key) != value}
            if changed:
                plan.updates.append((code, product, changed))
            else:
                plan.unchanged += 1
    return plan


def plan_prices(session, table: Table) -> Plan:
    plan = Plan("prices", rows=len(table.rows))
    codes = {_plain(values.get("product", "")) for _n, values in table.rows}
    products = {code: pid for code, pid in _product_ids(session, codes)}
    lists = {code: pid for pid, code in session.execute(select(PriceList.id, PriceList.code))}
    current = _current_prices(session, set(products.values()))
    seen: dict[tuple[str, str], int] = {}
    for number, values in table.rows:
        errors_before = len(plan.errors)

        def error(column: str, message: str, number=number) -> None:
            plan.errors.append(RowError(number, column, message))

        code = _plain(values.get("product", ""))
        list_code = _plain(values.get("price_list", ""))
        if not code:
            error("product", _("Enter the product code."))
        elif code not in products:
            error("product", _("There is no product with the code %(code)s.", code=code))
        if not list_code:
            error("price_list", _("Enter the price list code."))
        elif list_code not in lists:
            error("price_list", _("There is no price list with the code %(code)s.",
                                  code=list_code))
        key = (code, list_code)
        if code and list_code and key in seen:
            error("product", _("This product's price in this list is already on row %(row)d.",
                               row=seen[key]))
        else:
            seen[key] = number
        text = values.get("price", "")
        price = None
        if not text:
            error("price", _("Enter the price."))
        else:
            try:
                price = parse_decimal_text(text, table.decimal_comma)
            except (InvalidOperation, ValueError):
                error("price", _decimal_error(_plain(text), table.decimal_comma))
            else:
                if price < 0:
                    error("price", _("The price cannot be negative."))
                elif price >= Decimal("1e14") or price.as_tuple().exponent < -4:
                    error("price", _("Use at most four decimal places and 14 digits."))
        if len(plan.errors) > errors_before:
            continue
        product_id, list_id = products[code], lists[list_code]
        row = current.get((list_id, product_id))
        if row is None:
            plan.creates.append({"product_id": product_id, "price_list_id": list_id,
                                 "unit_price": price, "_row": number})
        elif row.unit_price != price:
            plan.updates.append((f"{code} · {list_code}", row, {"unit_price": price}))
        else:
            plan.unchanged += 1
    return plan


def _product_ids(session, codes: set[str]):
    for chunk in _chunks(sorted(codes)):
        yield from session.execute(select(Product.code, Product.id).where(Product.code.in_(chunk)))


def _current_prices(session, product_ids: set[int]) -> dict:
    found = {}
    for chunk in _chunks(sorted(product_ids)):
        for row in session.scalars(select(Price).where(Price.product_id.in_(chunk))):
            found[(row.price_list_id, row.product_id)] = row
    return found


# -- applying ----------------------------------------------------------------------------------


def apply_plan(session, plan: Plan) -> None:
    """Write a checked plan (no commit: the caller commits it with its audit entry)."""
    if plan.errors:
        raise ValueError("a plan with errors is never applied")
    model = Product if plan.kind == "products" else Price
    for values in plan.creates:
        session.add(model(**{key: value for key, value in values.items() if key != "_row"}))
    for _label, row, changed in plan.updates:
        for key, value in changed.items():
            setattr(row, key, value)
    session.flush()
