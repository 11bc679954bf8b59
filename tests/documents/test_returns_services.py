"""The services the returns plugin uses: returned quantities per invoice line, documents
based on an invoice, finding a document by the ERP's id."""

from decimal import Decimal

from plugins.documents.services import (
    INVOICE_LINE_ORIGIN,
    create_from_invoice,
    find_document,
    get_document,
    invoice_with_returns,
    linked_documents,
)

from .conftest import line


def test_returned_quantities_per_invoice_line(db, company, make_document, count_queries, app):
    invoice = make_document(company, lines=[line(), line(code="YP-2210", name="Yapıştırıcı")])
    invoice = get_document(db, company.id, invoice.id)
    first, second = invoice.lines
    make_document(company, doc_type="goods_return", based_on=[invoice.id],
                  lines=[line(quantity="2")])  # no origin: matched by product code
    make_document(company, doc_type="goods_return", based_on=[invoice.id],
                  lines=[line(code="YP-2210", quantity="1", origin_kind=INVOICE_LINE_ORIGIN,
                              origin_ref=str(second.id))])
    make_document(company, doc_type="goods_return", based_on=[invoice.id], status="cancelled",
                  lines=[line(quantity="5")])  # cancelled: does not count
    make_document(company, doc_type="goods_return", lines=[line(quantity="7")])  # not based on it
    with count_queries() as counter:
        found, lines = invoice_with_returns(db, company.id, invoice.id)
    assert counter.count == 3
    assert [(item.line.id, item.returned) for item in lines] == [
        (first.id, Decimal("2")), (second.id, Decimal("1"))]


def test_invoice_with_returns_is_scoped_to_the_company(db, company, other_company,
                                                       make_document):
    invoice = make_document(other_company)
    assert invoice_with_returns(db, company.id, invoice.id) is None
    quotation = make_document(company, doc_type="quotation")
    assert invoice_with_returns(db, company.id, quotation.id) is None


def test_create_from_invoice_copies_prices_and_links_the_lines(db, company, make_document, app):
    invoice = get_document(db, company.id, make_document(company, lines=[line()]).id)
    with app.app_context():
        doc = create_from_invoice(db, invoice, "goods_return",
                                  [(invoice.lines[0], Decimal("3"))],
                                  issued_on=invoice.issued_on, origin_kind="returns.rma",
                                  origin_ref="7", notes="RMA-1")
        db.commit()
    assert doc.number.startswith("GR-")
    assert doc.lines[0].origin_ref == str(invoice.lines[0].id)
    assert doc.gross_total == Decimal("666.00")  # 3 × 185.00 + 20 % VAT
    based_on, _by = linked_documents(db, doc.id)
    assert [d.id for d in based_on] == [invoice.id]
    assert invoice_with_returns(db, company.id, invoice.id)[1][0].returned == Decimal("3")


def test_find_document_by_external_id(db, company, make_document):
    doc = make_document(company, doc_type="credit_note", external_id="ERP-CN-9")
    assert find_document(db, "credit_note", "ERP-CN-9").id == doc.id
    assert find_document(db, "goods_return", "ERP-CN-9") is None
