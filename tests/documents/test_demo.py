"""Demo documents: a consistent year per demo customer, written in bulk and idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from plugins.documents.models import Document, DocumentLink
from portal.core.db import get_session


def test_demo_documents_are_consistent_and_idempotent(app, db, count_queries):
    from plugins.documents.demo import load_demo_documents
    from portal.core.demo import core_demo_data

    with app.app_context():
        session = get_session()
        core_demo_data(session)
        with count_queries() as counter:
            load_demo_documents(session)
            session.commit()
        # A few statements per document (its row, its lines and links in bulk), never one per
        # line: that keeps `portal demo` at about a second; the time itself is not asserted.
        documents = session.scalar(select(func.count()).select_from(Document))
        assert counter.count <= 5 * documents
        counts = dict(session.execute(select(Document.doc_type, func.count())
                                      .group_by(Document.doc_type)).all())
        assert set(counts) == {"quotation", "goods_issue", "invoice", "tax_invoice",
                               "reconciliation", "goods_return", "credit_note", "payment"}
        assert counts["reconciliation"] >= 9  # quarterly, three customers

        links = session.execute(
            select(DocumentLink.document_id, Document.doc_type, Document.company_id)
            .join(Document, Document.id == DocumentLink.based_on_id)).all()
        base_types: dict[int, set[str]] = {}
        base_company: dict[int, set[int]] = {}
        for doc_id, base_type, company_id in links:
            base_types.setdefault(doc_id, set()).add(base_type)
            base_company.setdefault(doc_id, set()).add(company_id)
        docs = session.scalars(select(Document)).all()
        for doc in docs:
            assert base_company.get(doc.id, {doc.company_id}) == {doc.company_id}
            if doc.doc_type == "invoice":
                assert base_types[doc.id] == {"goods_issue"}
            if doc.doc_type == "payment":
                assert base_types[doc.id] == {"invoice"}
            if doc.doc_type == "credit_note":
                assert "goods_return" in base_types[doc.id]
        before = len(docs)
        load_demo_documents(session)
        session.commit()
        assert session.scalar(select(func.count()).select_from(Document)) == before
