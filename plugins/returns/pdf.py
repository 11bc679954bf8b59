"""The return form the customer puts in the parcel: a PDF of an approved request with its RMA
number, the return address, the approved lines and the supplier's instructions.

Drawn with fpdf2 on the documents plugin's :class:`DocumentPDF` (its Unicode font set-up, so
Turkish letters print) under the common letterhead. The return address is ``RETURNS_ADDRESS``
or, by default, the business's address (Admin › Branding, see docs/branding.md).
"""

from __future__ import annotations

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from plugins.documents.pdf import NEXT, RIGHT, DocumentPDF, letterhead
from portal.core.branding import current_brand

from .services import statuses as st
from .views.blueprints import qty


def render_request_pdf(row, company) -> bytes:
    brand = current_brand()
    supplier = brand.display_name
    address = current_app.config["RETURNS_ADDRESS"] or brand.address
    pdf = DocumentPDF(f"{supplier} · {_('Return request')} {row.number}")
    t = pdf.clean
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    letterhead(pdf, _("Return form %(number)s", number=row.number))
    pdf.use(9)
    pdf.multi_cell(width, 4.8, t(_("Put this form in the parcel and write the RMA number on "
                                   "the outside.")), **NEXT)
    pdf.ln(3)

    top = pdf.get_y()
    pdf.use(8, bold=True)
    pdf.cell(width * 0.5, 5, t(_("Send the goods to")), **NEXT)
    pdf.use(10, bold=True)
    pdf.multi_cell(width * 0.48, 5, t(supplier), **NEXT)
    pdf.use(9)
    if address:
        pdf.multi_cell(width * 0.48, 4.6, t(address), **NEXT)
    left_bottom = pdf.get_y()
    facts = [(_("RMA number"), row.number), (_("Status"), st.label(row.status)),
             (_("Customer"), company.name if company else ""),
             (_("Invoice"), row.invoice_number),
             (_("Contact person"), " · ".join(v for v in (row.contact_name, row.contact_phone)
                                              if v))]
    if row.expected_on:
        facts.append((_("Expected completion"), format_date(row.expected_on)))
    pdf.set_y(top)
    for label, value in facts:
        pdf.set_x(pdf.l_margin + width * 0.52)
        pdf.use(8.5)
        pdf.cell(width * 0.18, 5, t(label), **RIGHT)
        pdf.use(9, bold=True)
        pdf.multi_cell(width * 0.30, 5, t(value), **NEXT)
    pdf.set_y(max(left_bottom, pdf.get_y()) + 6)

    columns = [(_("No"), 0.07, "R"), (_("Code"), 0.15, "L"), (_("Product"), 0.38, "L"),
               (_("Asked"), 0.13, "R"), (_("Approved"), 0.13, "R"), (_("Reason"), 0.14, "L")]
    pdf.use(8, bold=True)
    pdf.set_fill_color(235, 240, 247)
    for label, share, align in columns:
        pdf.cell(width * share, 6, t(label), border="B", align=align, fill=True, **RIGHT)
    pdf.ln(6)
    pdf.use(8.5)
    for line in row.lines:
        values = [str(line.line_no), line.product_code, line.product_name,
                  f"{qty(line.quantity)} {line.unit}",
                  f"{qty(line.approved_quantity)} {line.unit}",
                  str(st.REASONS.get(line.reason, line.reason))]
        for (_label, share, align), value in zip(columns, values, strict=True):
            text = t(value)
            while pdf.get_string_width(text) > width * share - 2 and len(text) > 3:
                text = text[:-2] + "…" if pdf.unicode else text[:-2]
            pdf.cell(width * share, 6, text, border="B", align=align, **RIGHT)
        pdf.ln(6)
    if row.instructions:
        pdf.ln(4)
        pdf.use(9, bold=True)
        pdf.cell(0, 5, t(_("Return instructions")), **NEXT)
        pdf.use(9)
        pdf.multi_cell(0, 4.8, t(row.instructions), **NEXT)
    if row.description:
        pdf.ln(3)
        pdf.use(9, bold=True)
        pdf.cell(0, 5, t(_("Problem described by the customer")), **NEXT)
        pdf.use(9)
        pdf.multi_cell(0, 4.8, t(row.description), **NEXT)
    return bytes(pdf.output())
