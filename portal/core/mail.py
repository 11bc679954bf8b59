"""Sending e-mail: SMTP settings, the message, and the development fallback (the log).

Settings (``PORTAL_`` variables, see README):

* ``SMTP_URL`` — ``smtp://user:password@host:587?tls=starttls`` (``tls`` is ``starttls``,
  ``ssl`` or ``none``; ``smtps://`` means ``ssl``); or the parts ``SMTP_HOST``, ``SMTP_PORT``,
  ``SMTP_USER``, ``SMTP_PASSWORD``, ``SMTP_TLS``;
* ``MAIL_FROM`` — the sender address (default ``portal@localhost``);
* ``SMTP_TIMEOUT`` — seconds before a silent server counts as a failure (default 20).

Without an SMTP host every mail is written to the log instead (and stays readable on the admin
deliveries page); that is for development, so production sets ``SMTP_URL``.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

log = logging.getLogger("portal.mail")

TLS_MODES = ("starttls", "ssl", "none")


class MailError(Exception):
    """The message could not be handed to the mail server (it is tried again later)."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str = ""
    password: str = ""
    tls: str = "starttls"
    timeout: float = 20.0


def smtp_settings(config) -> SmtpSettings | None:
    """Read the SMTP settings from the app config; None when no server is configured."""
    timeout = float(config.get("SMTP_TIMEOUT") or 20)
    url = config.get("SMTP_URL")
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise ValueError("SMTP_URL must start with smtp:// or smtps://")
        query = parse_qs(parts.query)
        tls = query.get("tls", ["ssl" if parts.scheme == "smtps" else "starttls"])[0]
        if tls not in TLS_MODES:
            raise ValueError(f"SMTP_URL: tls must be one of {', '.join(TLS_MODES)}")
        return SmtpSettings(host=parts.hostname or "localhost",
                            port=parts.port or (465 if tls == "ssl" else 587),
                            user=unquote(parts.username or ""),
                            password=unquote(parts.password or ""), tls=tls, timeout=timeout)
    host = config.get("SMTP_HOST")
    if not host:
        return None
    tls = (config.get("SMTP_TLS") or "starttls").lower()
    if tls not in TLS_MODES:
        raise ValueError(f"SMTP_TLS must be one of {', '.join(TLS_MODES)}")
    return SmtpSettings(host=host, port=int(config.get("SMTP_PORT") or
                                            (465 if tls == "ssl" else 587)),
                        user=config.get("SMTP_USER") or "",
                        password=config.get("SMTP_PASSWORD") or "", tls=tls, timeout=timeout)


def build_message(*, sender: str, sender_name: str, to: str, subject: str, text: str,
                  html: str = "", message_id_domain: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((sender_name, sender)) if sender_name else sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=message_id_domain)
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def send(settings: SmtpSettings | None, message: EmailMessage) -> str:
    """Hand ``message`` to the server (or the log); returns how it went out. Raises MailError."""
    if settings is None:
        log.info("Mail (no SMTP server configured) to %s: %s\n%s", message["To"],
                 message["Subject"], message.get_body(("plain",)).get_content())
        return "log"
    try:
        if settings.tls == "ssl":
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            if settings.tls == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.user:
                client.login(settings.user, settings.password)
            refused = client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:  # refused, timed out, down, bad login
        raise MailError(f"{type(exc).__name__}: {exc}") from exc
    if refused:
        raise MailError(f"Recipients refused: {refused}")
    return "smtp"
