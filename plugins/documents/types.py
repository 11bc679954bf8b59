"""Frozen values the documents plugin's hooks return: document types and API resources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEBIT = 1
"""Balance sign of a document that increases what the customer owes (an invoice)."""
CREDIT = -1
"""Balance sign of a document that decreases it (a payment, a credit note)."""

GOODS = "goods"
"""Line layout: product code, name, quantity, unit, price, discount, tax, amounts."""
AMOUNTS = "amounts"
"""Line layout: reference and description with one signed amount (statements, payments)."""

LIST_COLUMNS = ("status", "due_on", "valid_until", "period", "total", "closing_balance")
"""Optional list columns a type can show besides number and date."""


@dataclass(frozen=True)
class DocumentType:
    """One kind of document (returned by ``portal_document_types``).

    ``key`` is stored in ``document.doc_type``; ``prefix`` starts the numbers that
    :func:`plugins.documents.services.next_number` gives (``"GI"`` → ``GI-2026-000123``);
    ``columns`` are the optional list columns (from :data:`LIST_COLUMNS`); ``money`` says whether
    the document counts towards the customer's balance, with ``sign`` :data:`DEBIT` or
    :data:`CREDIT`; ``api_name`` is its resource under ``/api/v1``; ``statuses`` the status values
    it may have (the first is the default).
    """

    key: str
    label: Any
    plural: Any
    prefix: str
    columns: tuple[str, ...] = ("status", "total")
    money: bool = False
    sign: int = 0
    line_layout: str = GOODS
    statuses: tuple[str, ...] = ("issued", "cancelled")
    api_name: str = ""
    order: int = 100

    @property
    def resource(self) -> str:
        return self.api_name or self.key.replace("_", "-") + "s"


@dataclass(frozen=True)
class ApiField:
    """One field of an API payload: validated by the API and described in the OpenAPI document.

    ``type`` is one of ``string``, ``decimal`` (a JSON string or number, kept exact),
    ``date`` (``YYYY-MM-DD``), ``integer``, ``boolean``, ``array`` (of objects described by
    ``items``, or of strings when ``items`` is empty).
    """

    name: str
    type: str = "string"
    required: bool = False
    description: str = ""
    max_length: int | None = None
    enum: tuple[str, ...] = ()
    items: tuple[ApiField, ...] = ()


@dataclass(frozen=True)
class DocumentAction:
    """A link offered on a document's page (returned by ``portal_document_actions``).

    ``endpoint`` and ``url_values`` build the URL; ``permission`` hides the action from users
    without it; lower ``order`` comes first. The target must be a real page (a GET), so the
    action works with JavaScript off.
    """

    label: Any
    endpoint: str
    url_values: tuple[tuple[str, Any], ...] = ()
    permission: str | None = None
    order: int = 100


@dataclass(frozen=True)
class ApiResource:
    """A resource of the integration API (returned by ``portal_api_resources``).

    Mounted at ``/api/v1/<name>/{external_id}`` with ``GET`` (read) and ``PUT`` (idempotent
    create-or-update by the ERP's id). ``upsert(session, external_id, data)`` receives a payload
    already checked against ``fields`` and returns ``(created, changed, record_id)``; it may
    raise :class:`PayloadError` for errors only it can see (an unknown customer, say), flushes
    and never commits. ``read(session, external_id)`` returns a JSON-ready dict or ``None``.
    """

    name: str
    title: str
    fields: tuple[ApiField, ...]
    upsert: Callable[[Any, str, dict], tuple[bool, bool, Any]] = field(compare=False)
    read: Callable[[Any, str], dict | None] = field(compare=False)
    description: str = ""
    order: int = 100


class PayloadError(Exception):
    """A payload the API refuses; ``errors`` is a list of ``{"field": …, "message": …}``."""

    def __init__(self, errors: list[dict]):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors
