"""Attachments and the request's PDF: served only to the request's company and to staff."""

from __future__ import annotations

from flask import Response, abort

from portal.core.access import current_company_id, require_permission
from portal.core.db import get_session
from portal.core.models import CustomerCompany
from portal.core.storage import send_stored

from ..services import requests as rma
from ..services import statuses as st
from .blueprints import bp, staff_bp

NOT_PRINTABLE = (st.DRAFT, st.SUBMITTED, st.REJECTED, st.WITHDRAWN)


def _attachment(row, file_id: int):
    for attachment in row.attachments:
        if attachment.id == file_id:
            return send_stored(attachment.stored_key, download_name=attachment.original_name,
                               content_type=attachment.content_type,
                               as_attachment=not attachment.is_image)
    abort(404)


def _pdf(row) -> Response:
    from ..pdf import render_request_pdf

    if row.status in NOT_PRINTABLE:
        abort(404)
    company = get_session().get(CustomerCompany, row.company_id)
    response = Response(render_request_pdf(row, company), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{row.number}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _own(rma_id: int):
    row = rma.get_request(get_session(), rma_id, current_company_id())
    if row is None:
        abort(404)
    return row


def _any(rma_id: int):
    row = rma.get_request(get_session(), rma_id, None)
    if row is None:
        abort(404)
    return row


@bp.route("/<int:rma_id>/files/<int:file_id>")
@require_permission("returns.view")
def attachment(rma_id: int, file_id: int):
    return _attachment(_own(rma_id), file_id)


@bp.route("/<int:rma_id>/pdf")
@require_permission("returns.view")
def pdf(rma_id: int):
    return _pdf(_own(rma_id))


@staff_bp.route("/<int:rma_id>/files/<int:file_id>")
def staff_attachment(rma_id: int, file_id: int):
    return _attachment(_any(rma_id), file_id)


@staff_bp.route("/<int:rma_id>/pdf")
def staff_pdf(rma_id: int):
    return _pdf(_any(rma_id))


