"""The two blueprints (customer pages under /support, staff pages under /admin/support) and the
template helpers they share."""

from __future__ import annotations

from flask import Blueprint, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from portal.core.access import staff_only

from ..models import CLOSED, NEW, OPEN, WAITING
from ..text import plain_text

bp = Blueprint("support", __name__, template_folder="../templates",
               static_folder="../static", static_url_path="/static")
staff_bp = staff_only(Blueprint("support_staff", __name__, template_folder="../templates",
                                url_prefix="/admin/support"))

STATUS_LABELS = {
    NEW: _l("New"),
    OPEN: _l("Open"),
    WAITING: _l("Waiting for customer"),
    CLOSED: _l("Closed"),
}
#: What the customer reads for "waiting for customer".
CUSTOMER_STATUS_LABELS = {**STATUS_LABELS, WAITING: _l("Waiting for your reply")}


def status_label(status: str, customer: bool = False) -> str:
    labels = CUSTOMER_STATUS_LABELS if customer else STATUS_LABELS
    return str(labels.get(status, status))


def topic_name(topic) -> str:
    return topic.name(str(get_locale() or "en"))


def page_url(page: int) -> str:
    """The current URL with another ``page`` (filters kept)."""
    args = request.args.to_dict()
    args["page"] = page
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def duration(start, end) -> str:
    """A short human duration (``2 h 5 min``, ``3 d 4 h``) between two moments, or ``—``."""
    from flask_babel import format_timedelta

    if start is None or end is None:
        return "—"
    return format_timedelta(end - start, threshold=1.1, granularity="minute")


#: Pages of linked records: (customer endpoint, staff endpoint, URL argument).
LINK_PAGES = {
    "document": ("documents.show", "documents_staff.show", "document_id"),
    "order": ("orders.show", "orders_staff.show", "order_id"),
    "rma": ("returns.show", "returns_staff.show", "rma_id"),
}


def link_url(support_request, staff: bool = False) -> str | None:
    """The page of the record a request is about, or None when that page does not exist."""
    from werkzeug.routing import BuildError

    pages = LINK_PAGES.get(support_request.link_type)
    if pages is None or support_request.link_id is None:
        return None
    try:
        return url_for(pages[1 if staff else 0], **{pages[2]: support_request.link_id})
    except BuildError:
        return None


def mine(message) -> bool:
    from flask_login import current_user

    return message.author_id == current_user.id


@bp.record_once
def _register_globals(state) -> None:
    from portal.core.storage import human_size

    state.app.jinja_env.globals.update(
        support_status_label=status_label, support_topic_name=topic_name,
        support_page_url=page_url, support_duration=duration, support_link_url=link_url,
        mine=mine, human_size=human_size)
    state.app.jinja_env.filters["support_text"] = plain_text


def page_number() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)
