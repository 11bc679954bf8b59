"""The support plugin's services: plain functions on a SQLAlchemy session, no Flask.

Other plugins open a request with :func:`open_request`::

    from plugins.support.services import open_request

    request = open_request(session, company_id=doc.company_id, author=current_user,
                           topic="invoice", subject="Reconciliation RC-2026-000012",
                           body=text, link=("document", doc.id, doc.number))
    session.commit()
"""

from .events import notify
from .requests import (
    NewAttachment,
    SupportError,
    assign,
    can_reopen,
    change_status,
    merge,
    open_request,
    reply,
)

__all__ = ["NewAttachment", "SupportError", "assign", "can_reopen", "change_status", "merge",
           "notify", "open_request", "reply"]
