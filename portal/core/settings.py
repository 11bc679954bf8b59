"""Site settings stored in the database (read at most once per request)."""

from __future__ import annotations

from sqlalchemy import select

from portal.core.db import get_session, request_scope
from portal.core.models import Setting

EXTERNAL_ACCESS = "external_access"

DEFAULTS = {EXTERNAL_ACCESS: "0"}


def all_settings() -> dict[str, str]:
    scope = request_scope()
    if "settings" not in scope:
        scope["settings"] = dict(DEFAULTS)
        scope["settings"].update(get_session().execute(select(Setting.key, Setting.value)).all())
    return scope["settings"]


def get_setting(key: str) -> str:
    return all_settings().get(key, DEFAULTS.get(key, ""))


def set_setting(session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    request_scope().pop("settings", None)


def external_access_enabled() -> bool:
    return get_setting(EXTERNAL_ACCESS) == "1"
