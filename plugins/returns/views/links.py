"""Links between the documents plugin's pages and the requests (``portal_document_actions``)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from plugins.documents.types import DocumentAction
from portal.core.db import get_session

from ..services import requests as rma


def document_actions(document, user) -> list[DocumentAction]:
    """"Request a return" on an invoice that is not cancelled (the form explains a return
    window that has passed); on a goods return or credit note of a request, the request."""
    if document.doc_type == "invoice":
        if document.status == "cancelled":
            return []
        return [DocumentAction(_l("Request a return"), "returns.new",
                               url_values=(("invoice_id", document.id),),
                               permission="returns.create", order=20)]
    if document.doc_type in ("goods_return", "credit_note") \
            and document.origin_kind == "returns.rma":
        found = rma.requests_for_documents(get_session(), document.company_id, [document.id])
        return [DocumentAction(_("Return request %(number)s", number=row.number),
                               "returns.show", url_values=(("rma_id", row.id),),
                               permission="returns.view", order=20) for row in found]
    return []
