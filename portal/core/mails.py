"""The core's own mails (invitation, password reset), queued in the transaction of the change.

They carry a one-time link whose token exists nowhere else (only its hash is on the user), so
they are rendered and queued at once rather than recorded as events: the mail is a delivery row
committed with the token's hash, sent by the worker, shown on Admin › Deliveries like any other.
"""

from __future__ import annotations

from portal.core.delivery import queue_mail
from portal.core.notifications import locale_of, render_mail

INVITATION = "core.invitation"
PASSWORD_RESET = "core.password_reset"


def queue_invitation(session, user, link: str):
    """Mail ``user`` their activation link (nothing when the user has no e-mail address)."""
    if not user.email:
        return None
    message = render_mail("core/mail/invitation", locale_of(user), recipient=user, link=link,
                          settings_link=None)
    return queue_mail(session, to=user.email, message=message, kind=INVITATION, user=user)


def queue_password_reset(session, user, link: str, minutes: int):
    message = render_mail("core/mail/password_reset", locale_of(user), recipient=user,
                          link=link, minutes=minutes, settings_link=None)
    return queue_mail(session, to=user.email, message=message, kind=PASSWORD_RESET, user=user)
