"""The known-device cookie: a browser that signed in to an account before is let through the
sign-in throttle for that account (:mod:`portal.core.throttle`).

After every successful sign-in the browser gets ``portal_device``, signed with the app's secret
(itsdangerous, its own salt), HttpOnly, SameSite=Lax, Secure over HTTPS, kept for a year. It
holds one random token for the browser and, for each of the last few accounts signed in there,
``sha256(user id : device generation : token)``, so the cookie names no user. The server stores
only the user's ``device_generation``: a password change, a reset (by mail or by staff) and a
deactivation add one to it (:func:`portal.core.sessions.end_all`), so every device cookie made
before no longer counts. The cookie is only ever a way past the slow-down, never past the
password.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "portal_device"
MAX_AGE = 365 * 24 * 3600
MAX_ACCOUNTS = 5


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="portal.known-device")


def _read() -> tuple[str | None, list[str]]:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None, []
    try:
        data = _serializer().loads(raw, max_age=MAX_AGE)
        token, accounts = str(data["t"]), [str(a) for a in data["a"]][:MAX_ACCOUNTS]
    except (BadSignature, KeyError, TypeError, ValueError):
        return None, []
    return token, accounts


def _digest(user, token: str) -> str:
    return hashlib.sha256(f"{user.id}:{user.device_generation}:{token}".encode()).hexdigest()[:32]


def device_id(user) -> str | None:
    """This browser's id for ``user`` when it signed in to that account before, else None."""
    if user is None:
        return None
    token, accounts = _read()
    if token is None:
        return None
    digest = _digest(user, token)
    return digest if digest in accounts else None


def remember(response, user) -> None:
    """Mark this browser as a known device of ``user`` (called on a successful sign-in)."""
    token, accounts = _read()
    token = token or secrets.token_urlsafe(24)
    digest = _digest(user, token)
    accounts = [digest, *(a for a in accounts if a != digest)][:MAX_ACCOUNTS]
    secure = bool(current_app.config.get("SESSION_COOKIE_SECURE") or request.is_secure)
    response.set_cookie(COOKIE, _serializer().dumps({"t": token, "a": accounts}),
                        max_age=MAX_AGE, httponly=True, secure=secure, samesite="Lax")
