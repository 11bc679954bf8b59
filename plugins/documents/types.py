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
    it may have (the first is the default). With ``announce``, a document of this type that
    the ERP sends as new records a ``documents.issued`` event, so the customer is told
    (the reconciliation statement: the customer is asked to answer it).
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
    announce: bool = False

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
class DocumentSection:
    """A block another plugin adds to a document's page (``portal_document_sections``).

    ``template`` is included below the document with the page's variables, plus
    ``section_context``: ``context`` (a tuple of ``(name, value)`` pairs) as a dict; lower
    ``order`` comes first.
    """

    template: str
    context: tuple[tuple[str, Any], ...] = ()
    order: int = 100


@dataclass(frozen=True)
class ApiFeed:
    """How a resource offers a change feed (``GET /api/v1/<name>?since=<cursor>``).

    Events whose ``subject_type`` is ``subject_type`` announce a change of the record whose id is
    the event's ``subject_id``. ``read_many(session, ids)`` returns ``{id: record}`` (JSON-ready
    dicts, as ``read`` gives) for the ids that still exist, in a fixed number of queries however
    many ids it gets: the feed calls it once per page.
    """

    subject_type: str
    read_many: Callable[[Any, list[str]], dict[str, dict]] = field(compare=False)


@dataclass(frozen=True)
class ApiFile:
    """A file a resource's record may carry (in :attr:`ApiResource.files`).

    Mounted at ``/api/v1/<resource>/{external_id}/<name>``: ``PUT`` with the file itself as the
    body (``Content-Type`` one of ``content_types``, at most ``max_bytes``) calls
    ``put(session, external_id, data)``, ``DELETE`` calls ``delete(session, external_id)``. Both
    return ``(record_id, after_commit)``: ``record_id`` is ``None`` when no record has that
    external id (404); ``after_commit`` is ``None`` or a callable run once the change is
    committed (to delete replaced files, say). ``put`` raises :class:`PayloadError` for a file it
    refuses (422, the field named after the file). They flush and never commit.
    """

    name: str
    content_types: tuple[str, ...]
    max_bytes: int
    put: Callable[[Any, str, bytes], Any] = field(compare=False)
    delete: Callable[[Any, str], Any] = field(compare=False)
    description: str = ""


@dataclass(frozen=True)
class ApiResource:
    """A resource of the integration API (returned by ``portal_api_resources``).

    Mounted at ``/api/v1/<name>/{external_id}`` with ``GET`` (read) and ``PUT`` (idempotent
    create-or-update by the ERP's id). ``upsert(session, external_id, data)`` receives a payload
    already checked against ``fields`` and returns ``(created, changed, record_id)``; it may
    raise :class:`PayloadError` for errors only it can see (an unknown customer, say), flushes
    and never commits. ``read(session, external_id)`` returns a JSON-ready dict or ``None``.
    With ``feed`` (an :class:`ApiFeed`), ``GET /api/v1/<name>`` is its change feed.
    ``files`` are the files a record may carry (:class:`ApiFile`).
    """

    name: str
    title: str
    fields: tuple[ApiField, ...]
    upsert: Callable[[Any, str, dict], tuple[bool, bool, Any]] = field(compare=False)
    read: Callable[[Any, str], dict | None] = field(compare=False)
    description: str = ""
    order: int = 100
    feed: ApiFeed | None = None
    files: tuple[ApiFile, ...] = ()


class PayloadError(Exception):
    """A payload the API refuses; ``errors`` is a list of ``{"field": …, "message": …}``."""

    def __init__(self, errors: list[dict]):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors
