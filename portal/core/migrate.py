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


def alembic_config(app) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(CORE_MIGRATIONS))
    locations = [CORE_MIGRATIONS / "versions"]
    for _name, folder in get_registry(app).call_startup("portal_migrations"):
        if folder:
            locations.append(Path(folder))
    cfg.set_main_option("version_locations", " ".join(str(p) for p in locations))
    cfg.set_main_option("path_separator", "space")
    cfg.attributes["engine"] = get_engine(app)
    return cfg


def upgrade(app, target: str = "heads") -> None:
    command.upgrade(alembic_config(app), target)


def current_heads(app) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with get_engine(app).connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())
