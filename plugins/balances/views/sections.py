"""The block the balances plugin adds to a reconciliation statement's page."""

from __future__ import annotations

from portal.core.access import has_permission
from portal.core.db import get_session

from ..services.account import ledger


def reconciliation_sections(document, user) -> list:
    from plugins.documents.types import DocumentSection

    if document.doc_type != "reconciliation":
        return []
    book = ledger()
    answer = book.reconciliation_answer(get_session(), document.id)
    can_answer = (not user.is_staff and has_permission("balances.reconcile")
                  and (answer is None or answer.answer != book.CONFIRMED))
    form = None
    if can_answer:
        from .reconciliation import answer_form

        form = answer_form(document)
    return [DocumentSection("balances/_answer.html",
                            context=(("answer", answer), ("form", form),
                                     ("can_answer", can_answer)))]
