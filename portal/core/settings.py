"""Site settings stored in the database (read at most once per request)."""

from __future__ import annotations

from flask import g
from sqlalchemy import select

from portal.core.db import get_session
from portal.core.models import Setting

EXTERNAL_ACCESS = "external_access"

DEFAULTS = {EXTERNAL_ACCESS: "0"}


def all_settings() -> dict[str, str]:
    cached = g.get("_portal_settings")
    if cached is None:
        cached = dict(DEFAULTS)
        cached.update(get_session().execute(select(Setting.key, Setting.value)).all())
        g._portal_settings = cached
    return cached


def get_setting(key: str) -> str:
    return all_settings().get(key, DEFAULTS.get(key, ""))


def set_setting(session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    g.pop("_portal_settings", None)


def external_access_enabled() -> bool:
    return get_setting(EXTERNAL_ACCESS) == "1"
