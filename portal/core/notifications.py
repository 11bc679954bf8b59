"""Who hears about an event, and the mail they get, in their own language.

Recipients of an event (by its kind's ``audience``):

* ``"customer"`` (and ``"both"``): the active, activated users of the event's company who have
  an e-mail address and have not switched the kind off on their account page (on by default).
  Kinds are not filtered by access group: a user who does not want a kind switches it off.
* ``"staff"`` (and ``"both"``): active staff users with an e-mail address who switched the kind
  on (off by default), e.g. "new order".

A kind's mail is the template ``<plugin>/mail/<what>.txt`` (``orders.placed`` →
``orders/mail/placed.txt``) with an optional ``.html`` beside it; staff get
``<what>_staff.txt`` when it exists. The first line of the text template is the subject, the rest
the body. Kinds without a template use ``mail/generic.txt``. Context: ``event``, ``kind``,
``payload``, ``recipient``, ``link`` (absolute, or None), ``supplier_name``, ``supplier_contact``
(the business's address, phone, e-mail and tax number as lines, from Admin › Branding; the
footer ``mail/_footer.txt`` and ``mail/_base.html`` print them), ``settings_link``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from jinja2 import TemplateNotFound
from markupsafe import Markup, escape
from sqlalchemy import select

from portal.core.branding import current_brand
from portal.core.i18n import LANGUAGES
from portal.core.models import CUSTOMER, STAFF, Event, NotificationPreference, User
from portal.core.site import external_url, supplier_name
from portal.core.types import EventKind

CUSTOMER_AUDIENCES = ("customer", "both")
STAFF_AUDIENCES = ("staff", "both")


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str = ""


def kinds_for(user: User, kinds: dict[str, EventKind]) -> list[EventKind]:
    """The kinds ``user`` may choose on the account page."""
    audiences = STAFF_AUDIENCES if user.is_staff else CUSTOMER_AUDIENCES
    return sorted((k for k in kinds.values() if k.audience in audiences), key=lambda k: k.name)


def default_enabled(user: User) -> bool:
    return not user.is_staff


def choices(session, user: User, kinds: dict[str, EventKind]) -> dict[str, bool]:
    """``{kind: on}`` for every kind the user may choose."""
    saved = dict(session.execute(
        select(NotificationPreference.kind, NotificationPreference.enabled)
        .where(NotificationPreference.user_id == user.id)).all())
    return {k.name: saved.get(k.name, default_enabled(user)) for k in kinds_for(user, kinds)}


def save_choices(session, user: User, kinds: dict[str, EventKind], wanted: set[str]) -> list:
    """Store the user's choices (a row per kind); returns the kinds whose choice changed."""
    current = choices(session, user, kinds)
    changed = []
    for name, on in current.items():
        if (name in wanted) != on:
            changed.append(name)
            row = session.get(NotificationPreference, (user.id, name))
            if row is None:
                session.add(NotificationPreference(user_id=user.id, kind=name,
                                                   enabled=name in wanted))
            else:
                row.enabled = name in wanted
    return changed


def recipients(session, event: Event, kind: EventKind, enabled: frozenset[str]) -> list[User]:
    """The users to mail about ``event`` (see the module docstring); ``enabled``: plugin names."""
    if event.kind.partition(".")[0] not in enabled:
        return []  # a disabled plugin's events are kept (the feed) but mail nobody
    found = []
    prefs = select(NotificationPreference.user_id).where(NotificationPreference.kind == event.kind)
    mailable = (User.is_active.is_(True), User.email != "", User.password_hash.is_not(None))
    if kind.audience in CUSTOMER_AUDIENCES and event.company_id is not None:
        found += session.scalars(select(User).where(
            User.kind == CUSTOMER, User.company_id == event.company_id, *mailable,
            User.id.not_in(prefs.where(NotificationPreference.enabled.is_(False))))
            .order_by(User.id)).all()
    if kind.audience in STAFF_AUDIENCES:
        found += session.scalars(select(User).where(
            User.kind == STAFF, *mailable,
            User.id.in_(prefs.where(NotificationPreference.enabled.is_(True))))
            .order_by(User.id)).all()
    return found


def locale_of(user: User | None) -> str:
    if user is not None and user.locale in LANGUAGES:
        return user.locale
    return current_app.config.get("DEFAULT_LOCALE", "en")


URL = re.compile(r"https?://[^\s<>\"]+")


def text_as_html(body: str) -> list[Markup]:
    """The paragraphs of a plain-text mail body (its ``--`` footer left out) as escaped HTML with
    links made clickable: the HTML part of a mail that has no ``.html`` template."""
    content = body.split("\n--\n", 1)[0]
    paragraphs = []
    for block in re.split(r"\n\s*\n", content.strip()):
        escaped = str(escape(block.strip()))
        linked = URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
        paragraphs.append(Markup(linked.replace("\n", "<br>\n")))
    return [p for p in paragraphs if p]


def _logo_link(brand) -> str | None:
    """The logo's absolute URL (mails are read far from the portal), or None without a logo."""
    if not brand.logo:
        return None
    return external_url("branding.logo", name=brand.logo.partition("/")[2])


def render_mail(template_base: str, locale: str, **context) -> Mail:
    """Render ``<template_base>.txt`` (+ ``.html`` when present) in ``locale``.

    The first line of the text is the subject. Raises ``TemplateNotFound`` without a ``.txt``.
    Without an ``.html`` template the HTML part is the text's paragraphs in ``mail/_base.html``.
    """
    env = current_app.jinja_env
    context.setdefault("supplier_name", supplier_name())
    brand = current_brand()
    context.setdefault("supplier_logo", _logo_link(brand))
    context.setdefault("accent", brand.accent)
    with force_locale(locale):
        context.setdefault("supplier_contact", brand.contact_lines)
        text = env.get_template(f"{template_base}.txt").render(context)
        subject, _, body = text.strip().partition("\n")
        try:
            html = env.get_template(f"{template_base}.html").render(context)
        except TemplateNotFound:
            html = env.get_template("mail/_from_text.html").render(
                context, subject_line=subject.strip(), paragraphs=text_as_html(body))
    return Mail(subject=subject.strip(), text=body.strip() + "\n", html=html)


def event_mail(event: Event, kind: EventKind, recipient: User) -> Mail:
    """The mail about ``event`` for ``recipient``, in the recipient's language."""
    plugin, _, what = event.kind.partition(".")
    endpoint = kind.staff_endpoint if recipient.is_staff else kind.endpoint
    link = None
    if endpoint and event.subject_id:
        try:
            link = external_url(endpoint, **{kind.url_arg: _url_value(event.subject_id)})
        except Exception:  # noqa: BLE001 - a bad endpoint must not stop the mail
            current_app.logger.exception("No link for event %s (%s)", event.id, endpoint)
    context = dict(event=event, kind=kind, payload=event.payload or {}, recipient=recipient,
                   link=link, settings_link=external_url("account.index"))
    locale = locale_of(recipient)
    candidates = ([f"{plugin}/mail/{what}_staff"] if recipient.is_staff else []) + [
        f"{plugin}/mail/{what}", "mail/generic"]
    for base in candidates:
        try:
            return render_mail(base, locale, **context)
        except TemplateNotFound as exc:
            if exc.name != f"{base}.txt":
                raise
    raise TemplateNotFound("mail/generic.txt")


def _url_value(value: str):
    return int(value) if value.isdigit() else value
