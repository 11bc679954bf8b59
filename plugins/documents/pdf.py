"""PDF of a document with fpdf2 (pure Python), laid out like a business document.

Turkish text needs a Unicode TrueType font: DejaVu Sans from Debian's ``fonts-dejavu-core``
by default (``DOCUMENTS_PDF_FONT`` / ``DOCUMENTS_PDF_FONT_BOLD`` override the paths). Without
it the built-in Helvetica is used and letters outside Latin-1 are transliterated (ş → s).
"""

from __future__ import annotations

import copy
import io
import os
import threading
import unicodedata
from decimal import Decimal

from flask import current_app
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import SubsetMap, TTFFont

from portal.core.branding import current_brand, logo_bytes

from .formatting import money, percent, quantity
from .registry import status_label
from .types import AMOUNTS

NEXT = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
RIGHT = {"new_x": XPos.RIGHT, "new_y": YPos.TOP}


def font_paths() -> tuple[str | None, str | None]:
    regular = current_app.config["DOCUMENTS_PDF_FONT"]
    bold = current_app.config["DOCUMENTS_PDF_FONT_BOLD"]
    if not regular or not os.path.isfile(regular):
        return None, None
    return regular, bold if bold and os.path.isfile(bold) else regular


class _ParsedFont:
    """A TrueType font parsed once per process: its bytes and fpdf2's metrics (cmap, widths).

    Parsing DejaVu Sans took two thirds of a PDF's time. Each PDF gets a shallow copy of the
    parsed font with its own subset (the glyphs it uses) and its own fontTools object opened
    lazily from the bytes in memory, which fpdf2 cuts down to that subset when it writes.
    """

    _lock = threading.Lock()
    _cache: dict[str, _ParsedFont] = {}

    # The scripts a business document needs: Latin (Turkish included), Greek, Cyrillic, general
    # punctuation, currency signs (₺), letterlike symbols, arrows, maths, shapes (▲▼).
    # DejaVu Sans has ~6,000 glyphs; cutting it to these once keeps each PDF's own subsetting
    # cheap. A letter outside them is reported by fpdf2 as missing.
    UNICODES = [*range(0x20, 0x530), *range(0x1E00, 0x1F00), *range(0x2000, 0x2300),
                *range(0x25A0, 0x2600), *range(0xFB00, 0xFB07)]

    def __init__(self, path: str):
        from fontTools import subset

        font = ttLib.TTFont(path, recalcTimestamp=False)
        options = subset.Options(notdef_outline=True, recommended_glyphs=True,
                                 layout_features=[], name_IDs=["*"], name_languages=["*"],
                                 glyph_names=True)
        options.drop_tables += ["GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta", "FFTM"]
        cutter = subset.Subsetter(options)
        cutter.populate(unicodes=self.UNICODES)
        cutter.subset(font)
        buffer = io.BytesIO()
        font.save(buffer)
        self.data = buffer.getvalue()
        self.template = TTFFont(FPDF(), io.BytesIO(self.data), "parsed", "")
        self.template.ttfont = None  # each PDF opens its own copy

    @classmethod
    def get(cls, path: str) -> _ParsedFont:
        with cls._lock:
            found = cls._cache.get(path)
            if found is None:
                found = cls._cache[path] = cls(path)
            return found

    def add_to(self, pdf: FPDF, family: str, style: str) -> None:
        font = copy.copy(self.template)
        font.fontkey = f"{family.lower()}{style}"
        font.i = len(pdf.fonts) + 1
        font.emphasis = type(font.emphasis).coerce(style)
        font.ttfont = ttLib.TTFont(io.BytesIO(self.data), recalcTimestamp=False, lazy=True)
        font._hbfont = None
        font.biggest_size_pt = 0
        font.missing_glyphs = []
        font.subset = SubsetMap(font)
        pdf.fonts[font.fontkey] = font


def add_font_once(pdf: FPDF, family: str, style: str, path: str) -> None:
    """``pdf.add_font`` with the font parsed once per process (fpdf2's own call otherwise)."""
    try:
        _ParsedFont.get(path).add_to(pdf, family, style)
    except (AttributeError, TypeError):  # an fpdf2 whose font object differs: parse each time
        pdf.add_font(family, style, path)


class DocumentPDF(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.unicode = False
        regular, bold = font_paths()
        if regular:
            add_font_once(self, "Body", "", regular)
            add_font_once(self, "Body", "B", bold)
            self.body_family = "Body"
            self.unicode = True
        else:
            current_app.logger.warning("PDF font %s missing: Turkish letters are transliterated",
                                       current_app.config["DOCUMENTS_PDF_FONT"])
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


LOGO_HEIGHT = 14.0
"""Millimetres: the letterhead's logo is at most this high (and half the page's width wide)."""


def accent_rgb() -> tuple[int, int, int]:
    """The brand's accent colour as fpdf2 wants it."""
    colour = current_brand().accent
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def upper(text: str) -> str:
    """Capitals in the current language: Turkish ``i`` is ``İ`` and ``ı`` is ``I``."""
    if str(get_locale() or "").startswith("tr"):
        text = text.replace("i", "İ").replace("ı", "I")
    return text.upper()


def letterhead(pdf: DocumentPDF, title: str) -> None:
    """The top of every PDF the portal prints (documents, return forms, statements).

    Left: the logo, the business's name, then its address, phone, e-mail and tax number
    (:func:`portal.core.branding.current_brand`). Right: ``title`` in capitals in the accent
    colour, shrunk until it fits. Under both an accent-coloured rule; the cursor is left below
    it, at the left margin.
    """
    brand = current_brand()
    t = pdf.clean
    width = pdf.w - pdf.l_margin - pdf.r_margin
    accent = accent_rgb()
    top = pdf.get_y()
    logo = logo_bytes(brand.logo) if brand.logo else None
    if logo:
        try:
            from PIL import Image

            with Image.open(io.BytesIO(logo)) as image:
                pixels_w, pixels_h = image.size
            height = min(LOGO_HEIGHT, width * 0.5 * pixels_h / pixels_w)
            pdf.image(io.BytesIO(logo), x=pdf.l_margin, y=top, h=height,
                      w=height * pixels_w / pixels_h)
            pdf.set_y(top + height + 2)
        except Exception:  # a logo fpdf2 cannot read must not stop the document
            current_app.logger.exception("The logo could not be drawn on a PDF")
            pdf.set_y(top)
    pdf.use(13, bold=True)
    pdf.multi_cell(width * 0.58, 6.5, t(brand.display_name), align="L", **NEXT)
    pdf.use(8.5)
    pdf.set_text_color(90, 90, 90)
    lines = brand.contact_lines
    if lines:
        pdf.multi_cell(width * 0.58, 4.2, t("\n".join(lines)), align="L", **NEXT)
    letterhead_bottom = pdf.get_y()
    pdf.set_text_color(*accent)
    pdf.set_xy(pdf.l_margin + width * 0.6, top)
    title = t(upper(str(title)))
    size = 15.0
    pdf.use(size, bold=True)
    while size > 9 and pdf.get_string_width(title) > width * 0.4:
        size -= 0.5
        pdf.use(size, bold=True)
    pdf.multi_cell(width * 0.4, 7, title, align="R", **NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.set_y(max(letterhead_bottom, pdf.get_y()))
    rule = max(pdf.get_y(), pdf.t_margin + 10) + 2
    pdf.set_draw_color(*accent)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, rule, pdf.w - pdf.r_margin, rule)
    pdf.set_draw_color(170, 176, 186)
    pdf.set_line_width(0.2)
    pdf.set_y(rule + 5)


def render_pdf(doc, doc_type, company, based_on) -> bytes:
    pdf = DocumentPDF(f"{current_brand().display_name} · {doc_type.label} {doc.number}")
    t = pdf.clean
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    letterhead(pdf, str(doc_type.label))

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
