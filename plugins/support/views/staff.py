"""Staff pages: the inbox, a request's thread (reply, internal note, take/assign, status, merge,
canned replies), attachments, and the topic and canned-reply lists. Every change is audited."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.core import audit
from portal.core.db import get_session
from portal.core.forms import choices
from portal.core.models import CustomerCompany, User
from portal.core.paging import Page
from portal.core.rendering import render_page
from portal.core.storage import UploadRefused, send_stored

from ..models import STATUSES, CannedReply, Topic
from ..services import queries
from ..services.requests import SupportError, assign, change_status, merge, reply
from ..services.topics import all_topics, canned_replies, save_canned_reply, save_topic
from .blueprint import page_number, staff_bp
from .forms import CannedReplyForm, InboxFilter, StaffReplyForm, TopicForm, status_choices
from .uploads import discard, limits_hint, save_files


@staff_bp.route("/")
def inbox():
    session = get_session()
    topics = all_topics(session)
    form = InboxFilter(request.args).setup(topics, customer=False)
    form.status.choices = status_choices()
    staff_people = queries.staff_users(session)
    form.assignee.choices = choices(
        [("", _("Anyone")), (queries.UNASSIGNED, _("Unassigned"))]
        + [(str(u.id), u.display_name) for u in staff_people])
    form.validate()
    assignee = form.assignee.data or None
    if assignee not in (None, queries.UNASSIGNED) and not str(assignee).isdigit():
        assignee = None
    if form.company.errors:  # no such customer, or several: say so instead of guessing
        page = Page(items=[], number=1, per_page=queries.PAGE_SIZE, total=0)
    else:
        page = queries.staff_page(session, status=form.status.data or "",
                                  topic_id=request.args.get("topic", type=int),
                                  company_id=form.company.data, assignee=assignee,
                                  q=form.q.data or "", page=page_number())
    counts = queries.status_counts(session)
    return render_page("support/staff_inbox.html", {"support-results": "support/_inbox.html"},
                       form=form, result=page, counts=counts, statuses=STATUSES,
                       current_status=form.status.data or "")


def _request_or_404(request_id: int):
    found = queries.get_request(get_session(), request_id)
    if found is None:
        abort(404)
    return found


def _context(found, form=None):
    req, topic = found
    session = get_session()
    thread = queries.thread(session, req, topic, include_internal=True)
    company = session.get(CustomerCompany, req.company_id)
    assignee = session.get(User, req.assignee_id) if req.assignee_id else None
    canned = canned_replies(session)
    form = form or StaffReplyForm()
    chosen = request.args.get("canned", type=int)
    if chosen and not form.body.data:
        picked = next((c for c in canned if c.id == chosen), None)
        if picked is not None:
            form.body.data = picked.body
    merged_into = queries.number_of(session, req.merged_into_id) if req.merged_into_id else None
    return {"req": req, "topic": topic, "thread": thread, "company": company,
            "assignee": assignee, "staff_people": queries.staff_users(session),
            "canned": canned, "form": form, "files_hint": limits_hint(),
            "candidates": queries.merge_candidates(session, req), "statuses": STATUSES,
            "merged_into": merged_into, "poll_seconds": current_app.config["SUPPORT_POLL_SECONDS"],
            "staff": True, "poll_endpoint": "support_staff.messages",
            "download": "support_staff.attachment"}


@staff_bp.route("/<int:request_id>")
def show(request_id: int):
    return render_page("support/staff_show.html", **_context(_request_or_404(request_id)))


@staff_bp.route("/<int:request_id>/messages")
def messages(request_id: int):
    from flask import Response

    found = _request_or_404(request_id)
    if not request.headers.get("HX-Request"):
        return redirect(url_for("support_staff.show", request_id=request_id), code=303)
    after = request.args.get("after", 0, type=int)
    newer = queries.thread(get_session(), found[0], found[1], include_internal=True,
                           after_id=after)
    if not newer.messages:
        return Response(status=204)
    return render_page("support/_messages.html", **_context(found))


def _back(req):
    return redirect(url_for("support_staff.show", request_id=req.id), code=303)


@staff_bp.route("/<int:request_id>/reply", methods=["POST"])
def post_reply(request_id: int):
    found = _request_or_404(request_id)
    req = found[0]
    session = get_session()
    form = StaffReplyForm()
    if not form.validate_on_submit():
        return render_page("support/staff_show.html", **_context(found, form)), 422
    try:
        files = save_files(request.files.getlist(form.files.name))
    except UploadRefused as exc:
        form.files.errors.append(str(exc))
        return render_page("support/staff_show.html", **_context(found, form)), 422
    try:
        reply(session, req, author=current_user, body=form.body.data,
              internal=bool(form.internal.data), attachments=files,
              idempotency_key=form.idempotency_key.data)
        session.commit()
    except SupportError as exc:
        session.rollback()
        discard(files)
        form.body.errors.append(str(exc))
        return render_page("support/staff_show.html", **_context(found, form)), 422
    except IntegrityError:
        session.rollback()
        discard(files)
    flash(_("The internal note was saved.") if form.internal.data
          else _("Your reply was sent to the customer."), "success")
    return _back(req)


@staff_bp.route("/<int:request_id>/take", methods=["POST"])
def take(request_id: int):
    req, _topic = _request_or_404(request_id)
    session = get_session()
    assign(session, req, current_user, actor=current_user)
    session.commit()
    flash(_("You took request %(number)s.", number=req.number), "success")
    return _back(req)


@staff_bp.route("/<int:request_id>/assign", methods=["POST"])
def assign_to(request_id: int):
    req, _topic = _request_or_404(request_id)
    session = get_session()
    value = request.form.get("assignee", "")
    person = None
    if value:
        person = session.get(User, int(value)) if value.isdigit() else None
        if person is None or not person.is_staff:
            flash(_("Choose a staff member."), "error")
            return _back(req)
    assign(session, req, person, actor=current_user)
    session.commit()
    flash(_("The assignee was changed."), "success")
    return _back(req)


@staff_bp.route("/<int:request_id>/status", methods=["POST"])
def set_status(request_id: int):
    req, _topic = _request_or_404(request_id)
    session = get_session()
    status = request.form.get("status", "")
    if status not in STATUSES:
        flash(_("Choose a status."), "error")
        return _back(req)
    if change_status(session, req, status, actor=current_user):
        session.commit()
        flash(_("The status was changed."), "success")
    return _back(req)


@staff_bp.route("/<int:request_id>/merge", methods=["POST"])
def merge_into(request_id: int):
    duplicate, _topic = _request_or_404(request_id)
    session = get_session()
    target_id = request.form.get("target", type=int)
    found = queries.get_request(session, target_id, duplicate.company_id) if target_id else None
    if found is None:
        flash(_("Choose a request of the same customer to merge into."), "error")
        return _back(duplicate)
    try:
        merge(session, duplicate, found[0], actor=current_user)
    except SupportError as exc:
        session.rollback()
        flash(str(exc), "error")
        return _back(duplicate)
    session.commit()
    flash(_("%(number)s was merged into %(target)s.", number=duplicate.number,
            target=found[0].number), "success")
    return _back(found[0])


@staff_bp.route("/attachments/<int:attachment_id>")
def attachment(attachment_id: int):
    found = queries.attachment_for(get_session(), attachment_id, company_id=None,
                                   include_internal=True)
    if found is None:
        abort(404)
    return send_stored(found.stored_key, download_name=found.original_name,
                       content_type=found.content_type)


# -- topics and canned replies -----------------------------------------------------------------


@staff_bp.route("/topics", methods=["GET", "POST"])
def topics():
    session = get_session()
    form = TopicForm()
    status = 200
    if form.validate_on_submit():
        key = form.key.data.strip().lower()
        if session.scalar(select(Topic.id).where(Topic.key == key)) is not None:
            form.key.errors.append(_("A topic with this key exists already."))
            status = 422
        else:
            topic = save_topic(session, None, key=key, name_en=form.name_en.data,
                               name_tr=form.name_tr.data, active=bool(form.active.data))
            audit.record("support.topic", "support_topic", topic.id, session=session, key=key)
            session.commit()
            flash(_("The topic was added."), "success")
            return redirect(url_for("support_staff.topics"), code=303)
    elif request.method == "POST":
        status = 422
    return render_page("support/staff_topics.html", form=form,
                       topics=all_topics(session)), status


@staff_bp.route("/topics/<int:topic_id>", methods=["GET", "POST"])
def edit_topic(topic_id: int):
    session = get_session()
    topic = session.get(Topic, topic_id) or abort(404)
    form = TopicForm(obj=topic)
    form.key.render_kw = {"readonly": True}
    status = 200
    if form.validate_on_submit():
        save_topic(session, topic, key=topic.key, name_en=form.name_en.data,
                   name_tr=form.name_tr.data, active=bool(form.active.data))
        audit.record("support.topic", "support_topic", topic.id, session=session, key=topic.key)
        session.commit()
        flash(_("The topic was saved."), "success")
        return redirect(url_for("support_staff.topics"), code=303)
    if request.method == "POST":
        status = 422
    return render_page("support/staff_topic.html", form=form, topic=topic), status


@staff_bp.route("/canned", methods=["GET", "POST"])
def canned():
    session = get_session()
    form = CannedReplyForm()
    status = 200
    if form.validate_on_submit():
        reply_ = save_canned_reply(session, None, title=form.title.data, body=form.body.data)
        audit.record("support.canned", "support_canned_reply", reply_.id, session=session,
                     title=reply_.title)
        session.commit()
        flash(_("The canned reply was added."), "success")
        return redirect(url_for("support_staff.canned"), code=303)
    if request.method == "POST":
        status = 422
    return render_page("support/staff_canned.html", form=form,
                       replies=canned_replies(session)), status


@staff_bp.route("/canned/<int:reply_id>", methods=["GET", "POST"])
def edit_canned(reply_id: int):
    session = get_session()
    found = session.get(CannedReply, reply_id) or abort(404)
    form = CannedReplyForm(obj=found)
    status = 200
    if form.validate_on_submit():
        save_canned_reply(session, found, title=form.title.data, body=form.body.data)
        audit.record("support.canned", "support_canned_reply", found.id, session=session,
                     title=found.title)
        session.commit()
        flash(_("The canned reply was saved."), "success")
        return redirect(url_for("support_staff.canned"), code=303)
    if request.method == "POST":
        status = 422
    return render_page("support/staff_canned_edit.html", form=form, reply=found), status


@staff_bp.route("/canned/<int:reply_id>/delete", methods=["POST"])
def delete_canned(reply_id: int):
    session = get_session()
    found = session.get(CannedReply, reply_id) or abort(404)
    audit.record("support.canned_delete", "support_canned_reply", found.id, session=session,
                 title=found.title)
    session.delete(found)
    session.commit()
    flash(_("The canned reply was deleted."), "success")
    return redirect(url_for("support_staff.canned"), code=303)
