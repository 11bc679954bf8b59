"""Admin › Webhooks: URLs that receive signed event calls, each with its delivery log.

Each call is a POST of the event as JSON with ``X-Portal-Timestamp`` and ``X-Portal-Signature``
(``sha256=`` HMAC of ``<timestamp>.<body>`` with the hook's secret); see docs/events.md.
"""

from __future__ import annotations

import secrets

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from portal.core import audit
from portal.core.access import require_admin
from portal.core.admin_forms import WebhookForm
from portal.core.db import get_session
from portal.core.events import event_kinds
from portal.core.forms import choices
from portal.core.models import Delivery, Webhook
from portal.core.paging import Key
from portal.core.rendering import render_page
from portal.core.views.admin import bp
from portal.core.views.admin_common import get_or_404, paginate
from portal.core.views.admin_deliveries import CHANNEL_LABELS, STATUS_BADGES, STATUS_LABELS


def _form(**kwargs) -> WebhookForm:
    form = WebhookForm(**kwargs)
    form.kinds.choices = choices((k.name, f"{k.label} ({k.name})")
                                 for k in sorted(event_kinds().values(), key=lambda k: k.name))
    return form


@bp.route("/webhooks", methods=["GET", "POST"])
@require_admin
def webhooks():
    form = _form()
    if form.validate_on_submit():
        db = get_session()
        hook = Webhook(url=form.url.data, description=form.description.data or "",
                       kinds=sorted(form.kinds.data), secret=secrets.token_hex(32),
                       is_active=True)
        db.add(hook)
        db.flush()
        audit.record("webhook.create", "webhook", hook.id, url=hook.url, kinds=hook.kinds)
        db.commit()
        flash(_("Webhook added. Give its secret to the receiving system."), "success")
        return redirect(url_for("admin.webhook", webhook_id=hook.id), code=303)
    hooks = get_session().scalars(select(Webhook).order_by(Webhook.id)).all()
    return render_page("admin/webhooks.html", hooks=hooks, form=form), \
        (422 if form.errors else 200)


@bp.route("/webhooks/<int:webhook_id>")
@require_admin
def webhook(webhook_id: int):
    hook = get_or_404(Webhook, webhook_id)
    log = paginate(select(Delivery).where(Delivery.webhook_id == hook.id)
                   .order_by(Delivery.id.desc()), [Key(Delivery.id, desc=True)], per_page=50)
    return render_page("admin/webhook.html", hook=hook, page=log, status_labels=STATUS_LABELS,
                       status_badges=STATUS_BADGES, channel_labels=CHANNEL_LABELS)


@bp.route("/webhooks/<int:webhook_id>/active", methods=["POST"])
@require_admin
def webhook_toggle(webhook_id: int):
    hook = get_or_404(Webhook, webhook_id)
    hook.is_active = not hook.is_active
    audit.record("webhook.enable" if hook.is_active else "webhook.disable", "webhook", hook.id)
    get_session().commit()
    flash(_("The webhook is on.") if hook.is_active else _("The webhook is off."), "success")
    return redirect(url_for("admin.webhook", webhook_id=hook.id), code=303)


@bp.route("/webhooks/<int:webhook_id>/delete", methods=["POST"])
@require_admin
def webhook_delete(webhook_id: int):
    hook = get_or_404(Webhook, webhook_id)
    db = get_session()
    audit.record("webhook.delete", "webhook", hook.id, url=hook.url)
    db.delete(hook)
    db.commit()
    flash(_("Webhook removed."), "success")
    return redirect(url_for("admin.webhooks"), code=303)
