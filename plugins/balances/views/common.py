"""Small helpers the balances views share."""

from __future__ import annotations

import datetime as dt

from flask import current_app

from portal.core.db import get_session, utcnow

from ..services.account import ledger


def today() -> dt.date:
    """Today, or the ``BALANCES_TODAY`` setting (ISO date) for demos and tests."""
    fixed = current_app.config["BALANCES_TODAY"]
    if fixed:
        return fixed if isinstance(fixed, dt.date) else dt.date.fromisoformat(str(fixed))
    return utcnow().date()


def session():
    return get_session()


def signs() -> dict[str, int]:
    return ledger().money_signs()


def doc_label(doc_type: str):
    from plugins.documents.registry import get_type

    found = get_type(doc_type)
    return found.label if found else doc_type
