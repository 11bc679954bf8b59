"""Probes for a load balancer or an orchestrator; public, plain text, never cached.

- ``/healthz``: the process is up and answers (no database, no session).
- ``/readyz``: ready for traffic: the database answers and every migration branch is at its
  head (a host started on new code before ``portal db upgrade`` ran reports 503).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app
from sqlalchemy import text

from portal.core.auth import public
from portal.core.db import get_engine

bp = Blueprint("health", __name__)


def _plain(body: str, status: int = 200) -> Response:
    response = Response(body + "\n", status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/healthz")
@public
def healthz():
    return _plain("ok")


def _expected_heads(app) -> tuple:
    """The migration script's heads and directory, read once per process."""
    found = app.extensions.get("portal.migration_heads")
    if found is None:
        from alembic.script import ScriptDirectory

        from portal.core.migrate import alembic_config

        script = ScriptDirectory.from_config(alembic_config(app))
        found = app.extensions["portal.migration_heads"] = (script, set(script.get_heads()))
    return found


@bp.route("/readyz")
@public
def readyz():
    from alembic.runtime.migration import MigrationContext

    app = current_app._get_current_object()
    try:
        with get_engine(app).connect() as conn:
            conn.execute(text("SELECT 1"))
            current = tuple(MigrationContext.configure(conn).get_current_heads())
    except Exception as exc:  # any driver error means "not ready"
        app.logger.warning("readyz: database unavailable: %s", exc)
        return _plain("database unavailable", 503)
    script, heads = _expected_heads(app)
    applied = {rev.revision for rev in script.iterate_revisions(current, "base")} \
        if current else set()
    missing = heads - applied
    if missing:
        return _plain("migrations pending: " + ", ".join(sorted(missing)), 503)
    return _plain("ready")
