"""Every mail template of every plugin renders with a subject of its own: the first line of the
text is the subject (``render_mail``), so a template that starts with its greeting would send
"Hello Ayşe," as the subject and lose the greeting from the body."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext

from portal.core.notifications import render_mail

SAMPLE = {"number": "X-1001", "status": "approved", "subject": "Eksik teslimat",
          "by": "Selin Kaya", "excerpt": "Kargoya verildi.", "message": "", "answer": "confirmed",
          "type": "invoice", "issued_on": "2026-11-30", "period_start": "2026-10-01",
          "period_end": "2026-10-31", "closing_balance": "1250.00", "currency": "TRY",
          "goods_issue": "IRS-1001", "gross_total": "1481.40", "po_number": "PO-7",
          "note": "", "reason": ""}


class _Recipient:
    display_name = "Ayşe Demir"
    username = "ayse"
    is_staff = False


def _mail_templates(app) -> list[str]:
    return sorted(name[:-4] for name in app.jinja_env.list_templates()
                  if "/mail/" in name and name.endswith(".txt")
                  and not name.rpartition("/")[2].startswith("_"))


def test_the_sweep_finds_the_mails_of_every_plugin(app):
    plugins = {name.partition("/")[0] for name in _mail_templates(app)}
    assert {"core", "orders", "returns", "support", "balances", "documents"} <= plugins


@pytest.mark.parametrize("locale", ["en", "tr"])
def test_no_mail_takes_its_greeting_for_its_subject(app, locale):
    with app.test_request_context():
        with force_locale(locale):
            greeting = gettext("Hello %(name)s,", name=_Recipient.display_name)
        for base in _mail_templates(app):
            mail = render_mail(base, locale, recipient=_Recipient(), payload=SAMPLE,
                               link="https://portal.example.test/x", minutes=60,
                               settings_link=None, event=None, kind=None)
            assert mail.subject, base
            assert greeting not in mail.subject, (base, mail.subject)
            assert not mail.subject.endswith(","), (base, mail.subject)
