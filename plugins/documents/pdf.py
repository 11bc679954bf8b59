"""PDF of a document with fpdf2 (pure Python), laid out like a business document.

Turkish text needs a Unicode TrueType font: DejaVu Sans from Debian's ``fonts-dejavu-core``
by default (``DOCUMENTS_PDF_FONT`` / ``DOCUMENTS_PDF_FONT_BOLD`` override the paths). Without
it the built-in Helvetica is used and letters outside Latin-1 are transliterated (ş → s).
"""

from __future__ import annotations

import os
import unicodedata
from decimal import Decimal

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .formatting import money, percent, quantity
from .registry import status_label
from .types import AMOUNTS

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DEJAVU_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
NEXT = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
RIGHT = {"new_x": XPos.RIGHT, "new_y": YPos.TOP}


def font_paths() -> tuple[str | None, str | None]:
    regular = current_app.config.get("DOCUMENTS_PDF_FONT", DEJAVU)
    bold = current_app.config.get("DOCUMENTS_PDF_FONT_BOLD", DEJAVU_BOLD)
    if not regular or not os.path.isfile(regular):
        return None, None
    return regular, bold if bold and os.path.isfile(bold) else regular


class DocumentPDF(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.unicode = False
        regular, bold = font_paths()
        if regular:
            self.add_font("Body", "", regular)
            self.add_font("Body", "B", bold)
            self.body_family = "Body"
            self.unicode = True
        else:
            current_app.logger.warning("PDF font %s missing: Turkish letters are transliterated",
                                       DEJAVU)
            self.body_family = "Helvetica"
        self.set_auto_page_break(True, margin=18)
        self.set_margins(15, 15, 15)

    def clean(self, value) -> str:
        """Text the current font can draw."""
        value = "" if value is None else str(value)
        if self.unicode:
            return value
        folded = unicodedata.normalize("NFKD", value.replace("ı", "i").replace("İ", "I"))
        return folded.encode("latin-1", "ignore").decode("latin-1")

    def use(self, size: float, bold: bool = False) -> None:
        self.set_font(self.body_family, "B" if bold else "", size)

    def footer(self):
        self.set_y(-12)
        self.use(7.5)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, self.clean(self.footer_text), align="L")
        self.cell(0, 5, self.clean(f"{self.page_no()} / {{nb}}"), align="R")


def render_pdf(doc, doc_type, company, based_on) -> bytes:
    config = current_app.config
    supplier = config.get("DOCUMENTS_SUPPLIER_NAME", "Supplier")
    supplier_lines = config.get("DOCUMENTS_SUPPLIER_ADDRESS", "")
    pdf = DocumentPDF(f"{supplier} · {doc_type.label} {doc.number}")
    t = pdf.clean
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    # Letterhead (left) and title (right)
    top = pdf.get_y()
    pdf.use(13, bold=True)
    pdf.multi_cell(width * 0.58, 6.5, t(supplier), align="L", **NEXT)
    pdf.use(8.5)
    pdf.set_text_color(90, 90, 90)
    if supplier_lines:
        pdf.multi_cell(width * 0.58, 4.2, t(supplier_lines), align="L", **NEXT)
    letterhead_bottom = pdf.get_y()
    pdf.set_text_color(11, 92, 173)
    pdf.set_xy(pdf.l_margin + width * 0.6, top)
    title = t(str(doc_type.label).upper())
    size = 15.0
    pdf.use(size, bold=True)
    while size > 9 and pdf.get_string_width(title) > width * 0.4:
        size -= 0.5
        pdf.use(size, bold=True)
    pdf.cell(width * 0.4, 7, title, align="R", **NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.set_y(max(letterhead_bottom, pdf.get_y()))
    rule = max(pdf.get_y(), pdf.t_margin + 10) + 2
    pdf.set_draw_color(11, 92, 173)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, rule, pdf.w - pdf.r_margin, rule)
    pdf.set_draw_color(170, 176, 186)
    pdf.set_line_width(0.2)
    pdf.set_y(rule + 5)

    # Customer block (left) and document facts (right)
    top = pdf.get_y()
    pdf.use(8, bold=True)
    pdf.set_text_color(90, 90, 90)
    pdf.cell(width * 0.55, 5, t(_("Customer")), **NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.use(10, bold=True)
    pdf.multi_cell(width * 0.55, 5, t(company.name if company else ""), align="L", **NEXT)
    pdf.use(9)
    address = company.billing_address if company else ""
    if address:
        pdf.multi_cell(width * 0.55, 4.5, t(address), align="L", **NEXT)
    if company and company.tax_number:
        pdf.cell(width * 0.55, 4.5, t(_("Tax number: %(number)s", number=company.tax_number)),
                 **NEXT)
    left_bottom = pdf.get_y()

    facts = [(_("Number"), doc.number), (_("Date"), format_date(doc.issued_on)),
             (_("Status"), status_label(doc.status)), (_("Currency"), doc.currency)]
    if doc.due_on:
        facts.append((_("Due date"), format_date(doc.due_on)))
    if doc.valid_until:
        facts.append((_("Valid until"), format_date(doc.valid_until)))
    if doc.period_start and doc.period_end:
        facts.append((_("Period"), f"{format_date(doc.period_start)} – "
                                   f"{format_date(doc.period_end)}"))
    if based_on:
        facts.append((_("Based on"), ", ".join(d.number for d in based_on)))
    pdf.set_y(top)
    x = pdf.l_margin + width * 0.58
    for label, value in facts:
        pdf.set_x(x)
        pdf.use(8.5)
        pdf.set_text_color(90, 90, 90)
        pdf.cell(width * 0.16, 5, t(label), **RIGHT)
        pdf.set_text_color(0, 0, 0)
        pdf.use(9, bold=True)
        pdf.multi_cell(width * 0.26, 5, t(value), align="L", **NEXT)
    pdf.set_y(max(left_bottom, pdf.get_y()) + 6)

    if doc_type.line_layout == AMOUNTS:
        _amount_lines(pdf, doc, width)
    else:
        _goods_lines(pdf, doc, width)
    _totals(pdf, doc, doc_type, width)
    if doc.notes:
        pdf.ln(4)
        pdf.use(8.5, bold=True)
        pdf.cell(0, 5, t(_("Notes")), **NEXT)
        pdf.use(8.5)
        pdf.multi_cell(0, 4.5, t(doc.notes), align="L", **NEXT)
    return bytes(pdf.output())


def _table_header(pdf, columns):
    pdf.use(8, bold=True)
    pdf.set_fill_color(235, 240, 247)
    for label, w, align in columns:
        pdf.cell(w, 7, pdf.clean(label), border="B", align=align, fill=True, **RIGHT)
    pdf.ln(7)


def _goods_lines(pdf, doc, width):
    columns = [(_("No"), width * 0.05, "R"), (_("Code"), width * 0.11, "L"),
               (_("Product"), width * 0.28, "L"), (_("Quantity"), width * 0.11, "R"),
               (_("Unit price"), width * 0.14, "R"), (_("Discount"), width * 0.09, "R"),
               (_("Tax"), width * 0.07, "R"), (_("Amount"), width * 0.15, "R")]
    _table_header(pdf, columns)
    pdf.use(8.5)
    for line in doc.lines:
        values = [str(line.line_no), line.product_code, line.product_name,
                  f"{quantity(line.quantity)} {line.unit}".strip(),
                  money(line.unit_price, doc.currency),
                  percent(line.discount_rate) if line.discount_rate else "",
                  percent(line.tax_rate), money(line.net_amount, doc.currency)]
        _row(pdf, columns, values)


def _amount_lines(pdf, doc, width):
    if not doc.lines:
        return
    columns = [(_("Date / reference"), width * 0.3, "L"), (_("Description"), width * 0.5, "L"),
               (_("Amount"), width * 0.2, "R")]
    _table_header(pdf, columns)
    pdf.use(8.5)
    for line in doc.lines:
        _row(pdf, columns, [line.product_code, line.product_name,
                            money(line.gross_amount, doc.currency)])


def _row(pdf, columns, values):
    height = 6
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
        _table_header(pdf, columns)
        pdf.use(8.5)
    for (_label, w, align), value in zip(columns, values, strict=True):
        text = pdf.clean(value)
        while text and pdf.get_string_width(text) > w - 2:
            text = text[:-1]
        pdf.cell(w, height, text, border="B", align=align, **RIGHT)
    pdf.ln(height)


def _totals(pdf, doc, doc_type, width):
    pdf.ln(3)
    rows = []
    if doc_type.key == "reconciliation" or doc.opening_balance is not None:
        rows = [(_("Opening balance"), doc.opening_balance),
                (_("Movements"), doc.gross_total), (_("Closing balance"), doc.closing_balance)]
    elif doc_type.line_layout == AMOUNTS or not doc.lines:
        rows = [(_("Amount"), doc.gross_total)]
    else:
        rows = [(_("Net total"), doc.net_total), (_("Tax total"), doc.tax_total),
                (_("Grand total"), doc.gross_total)]
    for index, (label, value) in enumerate(rows):
        last = index == len(rows) - 1
        pdf.set_x(pdf.l_margin + width * 0.55)
        pdf.use(9.5 if last else 9, bold=last)
        pdf.cell(width * 0.25, 6.5, pdf.clean(label), border="T" if last else 0, **RIGHT)
        pdf.cell(width * 0.2, 6.5, pdf.clean(money(value or Decimal("0"), doc.currency)),
                 border="T" if last else 0, align="R", **NEXT)
