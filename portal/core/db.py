"""Database plumbing: the declarative base, one engine per app, one session per request.

Plugins define models on :class:`Base` and use :func:`get_session` inside a request or CLI
command. ``get_session()`` returns the same session for the whole app context; it is closed
(rolled back if not committed) when the context ends, so one action is one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from flask import current_app, g, has_request_context, request
from sqlalchemy import DateTime, MetaData, Numeric, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every portal table, core and plugins alike."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        Decimal: Numeric(18, 4),
        dt.datetime: DateTime(timezone=True),
    }


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def assign_changed(row, values: dict) -> list[str]:
    """Set the attributes of ``row`` whose value differs; return the names that changed.

    Lets an edit or an idempotent import tell "nothing changed" (no audit entry, no write).
    """
    changed = []
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed


def serialise_writers(session, *key) -> None:
    """Make every transaction that calls this with the same ``key`` wait for the others, from
    now until it commits or rolls back, so a create-or-update never races another one.

    PostgreSQL: a transaction-level advisory lock on a 64-bit hash of ``key`` (other keys do
    not wait). SQLite: the database's write lock, taken now (``BEGIN IMMEDIATE``) rather than
    at the first write, so no reader sees the state before the other writer's commit. Either
    way, what the caller reads afterwards includes what the writer before it committed: two
    PUTs of one new record become a create and then an update, never two inserts that the
    unique constraint refuses.
    """
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        digest = hashlib.blake2b("\x1f".join(map(str, key)).encode(), digest_size=8).digest()
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)",
                                   {"key": int.from_bytes(digest, "big", signed=True)})
    elif dialect == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        # pysqlite opens its transaction only at the first write; once it is open, this
        # connection holds the write lock already.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """Create the engine; SQLite gets foreign keys, WAL and a busy timeout."""
    kwargs = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
    else:
        # Fail fast when the database is away (a 503, not a 30 s hang): a short wait for a
        # pooled connection and for a new one; pre-ping replaces connections a restart killed.
        kwargs["pool_pre_ping"] = True
        kwargs["pool_timeout"] = 5
        if url.startswith("postgresql"):
            kwargs["connect_args"] = {"connect_timeout": 5}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    return engine


def init_app(app) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["portal.engine"] = engine
    app.extensions["portal.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)

    @app.teardown_request
    def _close_request_session(_exc):
        _close_quietly(request_scope().pop("session", None))

    @app.teardown_appcontext
    def _close_session(_exc):
        _close_quietly(g.get("_portal_scope", {}).pop("session", None))


def get_engine(app=None) -> Engine:
    return (app or current_app).extensions["portal.engine"]


def request_scope() -> dict:
    """Storage that lives for one request (for one app context outside requests).

    Per-request caches (the session, plugin states, settings, the user's grants) live here, so a
    request never sees another request's state even when they share an app context (tests).
    """
    if has_request_context():
        return request.environ.setdefault("portal.scope", {})
    return g.setdefault("_portal_scope", {})


def get_session() -> Session:
    """The session of the current request or app context (created on first use)."""
    scope = request_scope()
    session = scope.get("session")
    if session is None:
        session = scope["session"] = current_app.extensions["portal.sessionmaker"]()
    return session


def _close_quietly(session) -> None:
    """Close a request's session; when the server already ended its connection (a database
    restart), the ROLLBACK of ``close()`` fails: drop the connection instead of letting the
    error escape teardown, where Flask cannot turn it into the 503 page."""
    if session is None:
        return
    try:
        session.close()
    except DBAPIError:
        session.invalidate()
