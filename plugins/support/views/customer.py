"""Customer pages: the company's requests, a new request, the thread (reply, close, reopen),
attachments and the conversation as CSV.

Who sees what: ``support.view`` shows the user's own requests; with ``support.view_company``
every request of the company. Another company's request (or a colleague's, without
``support.view_company``) answers 404 on every route.
"""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portal.core.access import current_company_id, has_permission, require_permission
from portal.core.db import get_session
from portal.core.rendering import render_page
from portal.core.storage import UploadRefused, send_stored

from ..models import CLOSED
from ..services import links, queries
from ..services.requests import (
    SupportError,
    can_reopen,
    close_by_customer,
    find_by_key,
    mark_read,
    open_request,
    reopen_by_customer,
    reply,
)
from ..services.topics import all_topics
from .blueprint import bp, page_number
from .forms import NewRequestForm, ReplyForm, RequestFilter, topic_choices
from .uploads import discard, limits_hint, save_files


def own_only() -> bool:
    return not has_permission("support.view_company")


def reopen_days() -> int:
    return current_app.config["SUPPORT_REOPEN_DAYS"]


def poll_seconds() -> int:
    return current_app.config["SUPPORT_POLL_SECONDS"]


def _own_request(request_id: int):
    """``(request, topic)`` of the user's company (and the user's own without
    ``support.view_company``); 404 for anyone else's."""
    found = queries.get_request(get_session(), request_id, current_company_id())
    if found is None or (own_only() and found[0].author_id != current_user.id):
        abort(404)
    return found


@bp.route("/")
@require_permission("support.view")
def index():
    session = get_session()
    topics = all_topics(session)
    form = RequestFilter(request.args).setup(topics)
    form.validate()
    topic_id = request.args.get("topic", type=int)
    page = queries.customer_page(
        session, company_id=current_company_id(), user_id=current_user.id, own_only=own_only(),
        status=form.status.data or "", topic_id=topic_id, q=form.q.data or "",
        unread_only=bool(form.unread.data), page=page_number())
    return render_page("support/index.html", {"support-results": "support/_results.html"},
                       form=form, result=page, own_only=own_only())


@bp.route("/panel")
@require_permission("support.view")
def panel():
    summary = queries.customer_panel(get_session(), company_id=current_company_id(),
                                     user_id=current_user.id, own_only=own_only())
    return render_page("support/panel.html", {"panel-support": "support/_panel.html"},
                       summary=summary)


def _link_from(value: str | None):
    """The linked record if it is the company's; 404 for a link to anyone else's record."""
    parsed = links.parse(value)
    if value and parsed is None:
        abort(404)
    resolved = links.resolve(get_session(), current_company_id(), parsed)
    if parsed is not None and resolved is None:
        abort(404)
    return resolved


def link_subject(link) -> str:
    kind, _ident, label = link
    if kind == "document":
        return _("Question about document %(label)s", label=label)
    if kind == "order":
        return _("Question about order %(label)s", label=label)
    return _("Question about return %(label)s", label=label)


@bp.route("/new", methods=["GET", "POST"])
@require_permission("support.create")
def new():
    session = get_session()
    topics = all_topics(session, active_only=True)
    form = NewRequestForm()
    form.topic.choices = topic_choices(topics, _("Choose a topic"))
    link = _link_from(form.link.data if request.method == "POST" else request.args.get("link"))
    if request.method == "GET" and link is not None:
        form.link.data = f"{link[0]}:{link[1]}"
        form.subject.data = link_subject(link)
        preferred = {"document": "invoice", "order": "order", "rma": "return"}[link[0]]
        form.topic.data = next((str(t.id) for t in topics if t.key == preferred), "")
    status = 200
    if form.validate_on_submit():
        topic = next((t for t in topics if str(t.id) == form.topic.data), None)
        if topic is None:
            form.topic.errors.append(_("Choose a topic."))
            return render_page("support/new.html", form=form, link=link,
                               files_hint=limits_hint()), 422
        company_id = current_company_id()
        key = form.idempotency_key.data
        existing = find_by_key(session, company_id, key)
        if existing is not None:
            return _opened(existing, created=False)
        try:
            files = save_files(request.files.getlist(form.files.name))
        except UploadRefused as exc:
            form.files.errors.append(str(exc))
            return render_page("support/new.html", form=form, link=link,
                               files_hint=limits_hint()), 422
        try:
            created = open_request(session, company_id=company_id, author=current_user,
                                   topic=topic, subject=form.subject.data, body=form.body.data,
                                   link=link, attachments=files, idempotency_key=key)
            session.commit()
        except (IntegrityError, SupportError) as exc:
            session.rollback()
            discard(files)
            existing = find_by_key(session, company_id, key)
            if existing is not None:
                return _opened(existing, created=False)
            if isinstance(exc, IntegrityError):
                raise
            form.form_errors.append(str(exc))
            status = 422
        else:
            return _opened(created, created=True)
    elif request.method == "POST":
        status = 422
    return render_page("support/new.html", form=form, link=link, files_hint=limits_hint()), \
        status


def _opened(opened, *, created: bool):
    if created:
        flash(_("Request %(number)s was sent. We will answer here.", number=opened.number),
              "success")
    else:
        flash(_("Request %(number)s had already been sent; it was not sent twice.",
                number=opened.number), "info")
    return redirect(url_for("support.show", request_id=opened.id), code=303)


def _thread_context(found, reply_form=None):
    req, topic = found
    session = get_session()
    thread = queries.thread(session, req, topic, include_internal=False)
    read = queries.last_read(session, req.id, current_user.id)
    if thread.last_message_id:
        mark_read(session, req.id, current_user.id, thread.last_message_id)
        session.commit()
    merged_into = queries.number_of(session, req.merged_into_id) if req.merged_into_id else None
    return {"req": req, "topic": topic, "thread": thread, "last_read": read,
            "form": reply_form or ReplyForm(), "files_hint": limits_hint(),
            # a refused reply is shown again with its message, so its text is never lost
            "may_reply": bool(reply_form and reply_form.errors) or (
                has_permission("support.create") and req.merged_into_id is None
                and (req.status != CLOSED or can_reopen(req, reopen_days()))),
            "may_reopen": has_permission("support.create") and can_reopen(req, reopen_days()),
            "reopen_days": reopen_days(), "poll_seconds": poll_seconds(),
            "merged_into": merged_into, "staff": False, "poll_endpoint": "support.messages",
            "download": "support.attachment"}


@bp.route("/<int:request_id>")
@require_permission("support.view")
def show(request_id: int):
    found = _own_request(request_id)
    return render_page("support/show.html", **_thread_context(found))


@bp.route("/<int:request_id>/messages")
@require_permission("support.view")
def messages(request_id: int):
    """The message list for polling: 204 while nothing is newer than ``after``."""
    found = _own_request(request_id)
    after = request.args.get("after", 0, type=int)
    if not request.headers.get("HX-Request"):
        return redirect(url_for("support.show", request_id=request_id), code=303)
    session = get_session()
    newer = queries.thread(session, found[0], found[1], include_internal=False, after_id=after)
    if not newer.messages:
        return Response(status=204)
    context = _thread_context(found)
    return render_page("support/_messages.html", **context)


@bp.route("/<int:request_id>/reply", methods=["POST"])
@require_permission("support.create")
def post_reply(request_id: int):
    found = _own_request(request_id)
    req = found[0]
    session = get_session()
    form = ReplyForm()
    if not form.validate_on_submit():
        return render_page("support/show.html", **_thread_context(found, form)), 422
    try:
        files = save_files(request.files.getlist(form.files.name))
    except UploadRefused as exc:
        form.files.errors.append(str(exc))
        return render_page("support/show.html", **_thread_context(found, form)), 422
    try:
        reply(session, req, author=current_user, body=form.body.data, attachments=files,
              reopen_days=reopen_days(), idempotency_key=form.idempotency_key.data)
        session.commit()
    except SupportError as exc:
        session.rollback()
        discard(files)
        form.body.errors.append(str(exc))
        return render_page("support/show.html", **_thread_context(found, form)), 422
    except IntegrityError:
        session.rollback()
        discard(files)   # the same reply submitted twice at once: the first one is kept
    flash(_("Your reply was sent."), "success")
    return redirect(url_for("support.show", request_id=req.id, _anchor="latest"), code=303)


@bp.route("/<int:request_id>/close", methods=["POST"])
@require_permission("support.create")
def close(request_id: int):
    req, _topic = _own_request(request_id)
    session = get_session()
    if req.merged_into_id is None and close_by_customer(session, req, actor=current_user):
        session.commit()
        flash(_("The request is closed. Thank you! You can reopen it within %(days)d days.",
                days=reopen_days()), "success")
    return redirect(url_for("support.show", request_id=req.id), code=303)


@bp.route("/<int:request_id>/reopen", methods=["POST"])
@require_permission("support.create")
def reopen(request_id: int):
    req, _topic = _own_request(request_id)
    session = get_session()
    try:
        reopen_by_customer(session, req, actor=current_user, reopen_days=reopen_days())
    except SupportError as exc:
        session.rollback()
        flash(str(exc), "error")
    else:
        session.commit()
        flash(_("The request is open again."), "success")
    return redirect(url_for("support.show", request_id=req.id), code=303)


@bp.route("/attachments/<int:attachment_id>")
@require_permission("support.view")
def attachment(attachment_id: int):
    session = get_session()
    found = queries.attachment_for(session, attachment_id, company_id=current_company_id(),
                                   include_internal=False)
    if found is None:
        abort(404)
    _own_request(found.request_id)
    return send_stored(found.stored_key, download_name=found.original_name,
                       content_type=found.content_type)


def _local(moment):
    """The user's wall-clock time, to the second, as a spreadsheet's date-time."""
    from flask_babel import to_user_timezone

    return to_user_timezone(moment).replace(tzinfo=None, microsecond=0)


@bp.route("/<int:request_id>/export.csv", defaults={"fmt": "csv"})
@bp.route("/<int:request_id>/export.<any(xlsx):fmt>")
@require_permission("support.view")
def export(request_id: int, fmt: str):
    """The conversation as CSV or XLSX (never with internal notes), the core's convention."""
    from portal.core.exports import export_response

    found = _own_request(request_id)
    thread = queries.thread(get_session(), found[0], found[1], include_internal=False)
    lines = [(_local(message.created_at), message.author_name, message.body,
              ", ".join(a.original_name for a in thread.attachments.get(message.id, ())))
             for message in thread.messages]

    def rows(_session):  # the thread is already read (one request's messages)
        yield from lines

    return export_response(fmt, found[0].number, [_("Time"), _("From"), _("Message"),
                                                  _("Attachments")], rows,
                           title=found[0].number)



