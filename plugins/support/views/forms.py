"""WTForms of the support pages."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.core.forms import CompanyField, Form, choices

from ..models import STATUSES
from ..services.requests import BODY_MAX, SUBJECT_MAX
from .blueprint import topic_name


class FilterForm(Form):
    """GET filters: no CSRF token (nothing changes)."""

    class Meta:
        csrf = False


def status_choices(customer: bool = False) -> list[SelectChoice]:
    from .blueprint import status_label

    return choices([("", _l("Any status"))]
                   + [(s, status_label(s, customer)) for s in STATUSES])


def topic_choices(topics, empty=None) -> list[SelectChoice]:
    first = [("", empty)] if empty else []
    return choices(first + [(str(t.id), topic_name(t)) for t in topics])


class RequestFilter(FilterForm):
    q = StringField(_l("Number or subject"), validators=[Optional(), Length(max=100)],
                    render_kw={"type": "search", "autocomplete": "off"})
    status = SelectField(_l("Status"), validators=[Optional()], validate_choice=False)
    topic = SelectField(_l("Topic"), validators=[Optional()], validate_choice=False)
    unread = BooleanField(_l("Unread only"))

    def setup(self, topics, customer: bool = True) -> RequestFilter:
        self.status.choices = status_choices(customer)
        self.topic.choices = topic_choices(topics, _l("Any topic"))
        return self


class InboxFilter(RequestFilter):
    company = CompanyField(_l("Customer (code or name)"), validators=[Optional()])
    assignee = SelectField(_l("Assignee"), validators=[Optional()], validate_choice=False)


class KeyedForm(Form):
    """A form posted once: a second submit with the same key changes nothing."""

    idempotency_key = HiddenField(validators=[DataRequired(), Length(min=16, max=64)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.idempotency_key.data:
            self.idempotency_key.data = secrets.token_hex(16)


class NewRequestForm(KeyedForm):
    topic = SelectField(_l("Topic"), validators=[DataRequired(_l("Choose a topic."))],
                        validate_choice=False)
    subject = StringField(_l("Subject"), validators=[
        DataRequired(_l("Write a subject.")), Length(max=SUBJECT_MAX)])
    body = TextAreaField(_l("Message"), validators=[
        DataRequired(_l("Write a message.")), Length(max=BODY_MAX)], render_kw={"rows": 8})
    files = MultipleFileField(_l("Attachments"))
    link = HiddenField()


class ReplyForm(KeyedForm):
    body = TextAreaField(_l("Your reply"), validators=[
        DataRequired(_l("Write a message.")), Length(max=BODY_MAX)], render_kw={"rows": 5})
    files = MultipleFileField(_l("Attachments"))


class StaffReplyForm(ReplyForm):
    body = TextAreaField(_l("Message"), validators=[
        DataRequired(_l("Write a message.")), Length(max=BODY_MAX)], render_kw={"rows": 6})
    internal = BooleanField(_l("Internal note (the customer never sees it)"))


class TopicForm(Form):
    key = StringField(_l("Key"), validators=[DataRequired(), Length(max=50)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=100)])
    name_tr = StringField(_l("Name in Turkish"), validators=[DataRequired(), Length(max=100)])
    active = BooleanField(_l("Offered to customers"), default=True)


class CannedReplyForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=100)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=BODY_MAX)],
                         render_kw={"rows": 6})
