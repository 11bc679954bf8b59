"""The account statement as a PDF a customer can file (fpdf2, the documents plugin's fonts)."""

from __future__ import annotations

from flask_babel import gettext as _

from plugins.documents.pdf import NEXT, RIGHT, DocumentPDF, letterhead
from portal.core.branding import current_brand


def render_statement_pdf(head, movements, company, labels, doc_label, amount,
                         format_date) -> bytes:
    supplier = current_brand().display_name
    period = f"{format_date(head.date_from)} – {format_date(head.date_to)}"
    pdf = DocumentPDF(f"{supplier} · {labels.title} · {head.currency} · {period}")
    t = pdf.clean
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    letterhead(pdf, labels.title)
    pdf.use(10, bold=True)
    pdf.multi_cell(width, 5, t(company.name if company else ""), align="L", **NEXT)
    pdf.use(9)
    if company and company.tax_number:
        pdf.cell(width, 5, t(_("Tax number: %(number)s", number=company.tax_number)), **NEXT)
    pdf.cell(width, 5, t(f"{labels.period}: {period} · {labels.currency}: {head.currency}"),
             **NEXT)
    pdf.ln(3)
    columns = [(labels.date, 0.12, "L"), (labels.document, 0.18, "L"),
               (labels.number, 0.2, "L"), (labels.due, 0.12, "L"),
               (labels.debit, 0.13, "R"), (labels.credit, 0.12, "R"),
               (labels.balance, 0.13, "R")]
    columns = [(label, width * share, align) for label, share, align in columns]

    def table_header():
        pdf.use(8, bold=True)
        pdf.set_fill_color(235, 240, 247)
        for label, w, align in columns:
            pdf.cell(w, 7, t(label), border="B", align=align, fill=True, **RIGHT)
        pdf.ln(7)
        pdf.use(8.5)

    def row(values, bold=False):
        if pdf.get_y() + 6 > pdf.page_break_trigger:
            pdf.add_page()
            table_header()
        pdf.use(8.5, bold=bold)
        for (_label, w, align), value in zip(columns, values, strict=True):
            text = t(value)
            while text and pdf.get_string_width(text) > w - 1.5:
                text = text[:-1]
            pdf.cell(w, 6, text, border="B", align=align, **RIGHT)
        pdf.ln(6)

    def split(balance):
        return (amount(balance), "") if balance >= 0 else ("", amount(-balance))

    table_header()
    debit, credit = split(head.opening)
    row([format_date(head.date_from), labels.opening, "", "", debit, credit,
         amount(head.opening)], bold=True)
    for m in movements:
        row([format_date(m.issued_on), str(doc_label(m.doc_type)), m.number,
             format_date(m.due_on) if m.due_on else "",
             amount(m.debit) if m.debit else "", amount(m.credit) if m.credit else "",
             amount(m.balance)])
    row(["", labels.totals, "", "", amount(head.debits), amount(head.credits), ""], bold=True)
    debit, credit = split(head.closing)
    row([format_date(head.date_to), labels.closing, "", "", debit, credit,
         amount(head.closing)], bold=True)
    pdf.ln(6)
    pdf.use(8)
    pdf.multi_cell(width, 4.5, t(_("A positive balance is owed to %(supplier)s; a negative "
                                   "balance is an advance in your favour.",
                                   supplier=supplier)), align="L", **NEXT)
    return bytes(pdf.output())
