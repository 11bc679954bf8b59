"""Admin › Deliveries: every e-mail and webhook call, its state and error; failed ones retried.

Administrators only: a mail can hold a one-time link. Without an SMTP server (development)
mails are written to the log, and this page is where to read them.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.core import audit, delivery
from portal.core.access import require_admin
from portal.core.db import get_session
from portal.core.mail import smtp_settings
from portal.core.models import EMAIL, FAILED, PENDING, SENDING, SENT, WEBHOOK, Delivery
from portal.core.paging import Key
from portal.core.rendering import render_page
from portal.core.views.admin import bp
from portal.core.views.admin_common import get_or_404, paginate

STATUS_LABELS = {PENDING: _l("Waiting"), SENDING: _l("Sending"), SENT: _l("Sent"),
                 FAILED: _l("Failed")}
STATUS_BADGES = {PENDING: "badge-warn", SENDING: "badge-warn", SENT: "badge-ok",
                 FAILED: "badge-bad"}
CHANNEL_LABELS = {EMAIL: _l("E-mail"), WEBHOOK: _l("Webhook")}


@bp.route("/deliveries")
@require_admin
def deliveries():
    status = request.args.get("status", "")
    channel = request.args.get("channel", "")
    stmt = select(Delivery).order_by(Delivery.id.desc())
    if status in STATUS_LABELS:
        stmt = stmt.where(Delivery.status == status)
    if channel in CHANNEL_LABELS:
        stmt = stmt.where(Delivery.channel == channel)
    return render_page("admin/deliveries.html", {"delivery-table": "admin/_deliveries.html"},
                       page=paginate(stmt, [Key(Delivery.id, desc=True)], per_page=50),
                       status=status, channel=channel,
                       status_labels=STATUS_LABELS, status_badges=STATUS_BADGES,
                       channel_labels=CHANNEL_LABELS,
                       mail_to_log=smtp_settings(current_app.config) is None)


@bp.route("/deliveries/<int:delivery_id>")
@require_admin
def delivery_detail(delivery_id: int):
    return render_page("admin/delivery.html", item=get_or_404(Delivery, delivery_id),
                       status_labels=STATUS_LABELS, status_badges=STATUS_BADGES,
                       channel_labels=CHANNEL_LABELS)


@bp.route("/deliveries/<int:delivery_id>/retry", methods=["POST"])
@require_admin
def retry_delivery(delivery_id: int):
    item = get_or_404(Delivery, delivery_id)
    db = get_session()
    if delivery.retry(db, item):
        audit.record("delivery.retry", "delivery", item.id, channel=item.channel,
                     recipient=item.recipient)
        db.commit()
        flash(_("It will be sent again in a moment."), "success")
    else:
        flash(_("Only a failed delivery can be tried again."), "error")
    return redirect(url_for("admin.delivery_detail", delivery_id=item.id), code=303)
