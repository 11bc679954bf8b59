"""Alembic, driven from the app: one version branch for the core, one per plugin.

``portal db upgrade`` upgrades every branch to its head (``heads``). Plugins contribute their
revision folders through ``portal_migrations``; blocked plugins contribute nothing.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from portal.core.db import get_engine
from portal.core.plugins import get_registry

CORE_MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(app, folders=None) -> Config:
    """Alembic's configuration: the core's revisions plus ``folders`` (default: every loaded
    plugin's ``portal_migrations`` folder)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(CORE_MIGRATIONS))
    locations = [CORE_MIGRATIONS / "versions"]
    if folders is None:
        folders = [f for _name, f in get_registry(app).call_startup("portal_migrations") if f]
    locations.extend(Path(folder) for folder in folders)
    cfg.set_main_option("version_locations", " ".join(str(p) for p in locations))
    cfg.set_main_option("path_separator", "space")
    cfg.attributes["engine"] = get_engine(app)
    return cfg


def include_object(obj, _name, type_, _reflected, _compare_to, *, dialect: str) -> bool:
    """Autogenerate's filter: an index declared for one database only (``info={"only_on":
    "postgresql"}``, with ``.ddl_if(dialect=...)`` for ``create_all``) is compared there only."""
    only_on = obj.info.get("only_on") if type_ == "index" else None
    return only_on is None or only_on == dialect


def upgrade(app, target: str = "heads") -> list[tuple[str, str]]:
    """Upgrade the schema; returns ``(plugin, reason)`` for third-party branches that failed.

    Everything is tried in one transaction first. When that fails and third-party branches are
    involved, the core's and first-party branches are upgraded on their own (a failure there is
    raised), then each third-party branch separately: one that fails is rolled back, its plugin
    set aside and stored as disabled, and the others carry on.
    """
    from alembic.script import ScriptDirectory

    registry = get_registry(app)
    config = alembic_config(app)
    try:
        command.upgrade(config, target)
        analyze(app)
        return []
    except Exception:
        if target != "heads":
            raise
        labels = {label for rev in ScriptDirectory.from_config(config).walk_revisions()
                  for label in rev.branch_labels}
        suspects = [name for name in labels if name in registry.plugins
                    and not registry.plugins[name].first_party and name not in registry.required]
        if not suspects:
            raise
    for label in sorted(labels - set(suspects)):
        command.upgrade(config, f"{label}@head")
    failures = []
    for name in sorted(suspects):
        try:
            command.upgrade(config, f"{name}@head")
        except Exception as exc:
            reason = f"its migration failed: {type(exc).__name__}: {' '.join(str(exc).split())}"
            failures.append((name, reason))
            registry.fail(name, reason)
            _store_disabled(app, name)
    analyze(app)
    return failures


def analyze(app) -> None:
    """Fresh planner statistics after a schema change or a bulk import.

    SQLite gathers none by itself, and without them it picks poor indexes: ``PRAGMA optimize``
    (SQLite ≥ 3.46 analyses only what needs it; ``ANALYZE`` first when it never ran).
    PostgreSQL's autovacuum keeps statistics, but a fresh index or import deserves ``ANALYZE``.
    """
    engine = get_engine(app)
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            analysed = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
            conn.exec_driver_sql("PRAGMA optimize" if analysed else "ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")


def _store_disabled(app, name: str) -> None:
    from sqlalchemy import update

    from portal.core.models import PluginState

    with get_engine(app).begin() as conn:
        changed = conn.execute(update(PluginState).where(PluginState.name == name)
                               .values(enabled=False)).rowcount
        if not changed:
            conn.execute(PluginState.__table__.insert().values(name=name, enabled=False))


def current_heads(app) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with get_engine(app).connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())
