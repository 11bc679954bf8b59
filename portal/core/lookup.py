"""Typed look-ups instead of a ``<select>`` that lists a whole table: customer companies.

Staff type a company's ERP code or the start of its name. Without JavaScript the server
resolves the text when the form comes back (:func:`resolve_company`); with htmx the input asks
:func:`suggest_companies` (through ``/admin/companies/lookup``) for at most :data:`LIMIT`
suggestions as the person types. Both read indexes only: the folded code (``code_key``) and the
folded name (``search_key``), by equality or by prefix, a few rows at a time.

Resolving ``text`` (folded with :func:`portal.core.text.search_key`, so case and I/ı/İ do not
matter), the first rule that finds something wins:

1. the text in the suggestions' form ``"CODE — Name"``: the code before the dash;
2. an exact code;
3. ``#42``: the company with id 42 (for a company without a code);
4. an exact name, then a name that starts with the text — when exactly one company matches.

No company, or several, raise :class:`LookupProblem` with the message to show next to the field.
The form field is :class:`portal.core.forms.CompanyField`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from portal.core.models import CustomerCompany
from portal.core.text import escape_like, search_key

LIMIT = 10
"""At most this many suggestions (and the most matches a message counts)."""
MIN_LENGTH = 2
"""Shorter (folded) text gets no suggestions."""
MAX_LENGTH = 200
SEPARATOR = " — "


class LookupProblem(ValueError):
    """The text names no company, or several; ``message`` says which, for the field."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CompanyOption:
    id: int
    code: str | None
    name: str

    @property
    def label(self) -> str:
        return company_label(self)


def company_label(company) -> str:
    """How a chosen company shows in the input: ``"CODE — Name"`` (``"#id — Name"`` without a
    code). Typing the label back resolves to the same company."""
    code = company.external_id if isinstance(company, CustomerCompany) else company.code
    return f"{code or f'#{company.id}'}{SEPARATOR}{company.name}"


def company_token(company_id: int, code: str | None) -> str:
    """The shortest text that resolves to the company: its code, else ``#id`` (for links)."""
    return code or f"#{company_id}"


def _starts_with(column, key: str, dialect: str):
    """``column LIKE 'key%'`` that reads the column's index on both databases.

    PostgreSQL uses the ``varchar_pattern_ops`` index for the LIKE; SQLite's LIKE is
    case-blind and never reads a plain index, so the range (byte order, SQLite's default
    collation) narrows it first.
    """
    condition = column.like(escape_like(key) + "%", escape="\\")
    if dialect == "sqlite":
        condition = and_(column >= key, column < key + "\U0010ffff", condition)
    return condition


def _dialect(session) -> str:
    return session.get_bind().dialect.name


def _columns():
    return select(CustomerCompany.id, CustomerCompany.external_id, CustomerCompany.name)


def _options(session, stmt) -> list[CompanyOption]:
    return [CompanyOption(*row) for row in session.execute(stmt)]


def _code_part(text: str) -> str:
    """``"CODE — Name"`` → ``"CODE"``; other text unchanged."""
    head, sep, _tail = text.partition(SEPARATOR)
    return head.strip() if sep and head.strip() else text


def _tidy(text: str | None) -> str:
    return " ".join((text or "")[:MAX_LENGTH].split())


def suggest_companies(session, text: str, limit: int = LIMIT) -> list[CompanyOption]:
    """Companies whose code or name starts with ``text``, by name; ``[]`` for short text.
    One query of at most ``limit`` rows."""
    key = search_key(_code_part(_tidy(text)))
    if len(key) < MIN_LENGTH:
        return []
    dialect = _dialect(session)
    stmt = (_columns()
            .where(or_(_starts_with(CustomerCompany.search_key, key, dialect),
                       _starts_with(CustomerCompany.code_key, key, dialect)))
            .order_by(CustomerCompany.search_key, CustomerCompany.id).limit(limit))
    return _options(session, stmt)


def _one(found: list[CompanyOption], text: str) -> CompanyOption | None:
    if len(found) == 1:
        return found[0]
    if len(found) > LIMIT:
        raise LookupProblem(_l("More than %(count)s customers match “%(text)s”: type more of "
                               "the name, or the code.", count=LIMIT, text=text))
    if found:
        raise LookupProblem(_l("%(count)s customers match “%(text)s”: type the code.",
                               count=len(found), text=text))
    return None


def resolve_company(session, text: str) -> CompanyOption:
    """The one company ``text`` names (see the module's rules); :class:`LookupProblem` when
    none or several do. One to four small indexed queries."""
    text = _tidy(text)
    typed_code = _code_part(text)
    code = search_key(typed_code)
    if code:
        codes = _options(session, _columns().where(CustomerCompany.code_key == code[:100])
                         .order_by(CustomerCompany.id).limit(LIMIT + 1))
        if len(codes) > 1:  # codes that differ only in case: the exact spelling decides
            codes = [c for c in codes if c.code == typed_code] or codes
        if (match := _one(codes, text)) is not None:
            return match
    digits = typed_code[1:]
    if typed_code.startswith("#") and digits.isascii() and digits.isdigit() and len(digits) < 19:
        by_id = _options(session, _columns().where(CustomerCompany.id == int(digits)))
        if by_id:
            return by_id[0]
    key = search_key(text)
    if key:
        exact = _options(session, _columns().where(CustomerCompany.search_key == key[:200])
                         .order_by(CustomerCompany.id).limit(LIMIT + 1))
        if (match := _one(exact, text)) is not None:
            return match
        starting = _options(session, _columns()
                            .where(_starts_with(CustomerCompany.search_key, key,
                                                _dialect(session)))
                            .order_by(CustomerCompany.search_key, CustomerCompany.id)
                            .limit(LIMIT + 1))
        if (match := _one(starting, text)) is not None:
            return match
    raise LookupProblem(_l("No customer matches “%(text)s”.", text=text))
