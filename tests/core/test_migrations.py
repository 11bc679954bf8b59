"""The schema comes from Alembic: one branch per part, upgrading new and old databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from portal import create_app
from portal.core.db import Base
from portal.core.migrate import alembic_config, current_heads, upgrade


def test_migrations_build_exactly_the_models(app):
    """Autogenerate finds nothing to do: the migrations and the models agree."""
    engine = app.extensions["portal.engine"]
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata)
    assert diff == []


def test_each_part_has_its_own_branch(app):
    script = ScriptDirectory.from_config(alembic_config(app))
    labels = {label for rev in script.walk_revisions() for label in rev.branch_labels}
    assert "core" in labels
    for name, plugin in app.extensions["portal.plugins"].plugins.items():
        if plugin.module is not None and hasattr(plugin.module, "portal_migrations"):
            assert name in labels


def _at_every_head(app) -> bool:
    """Every head revision (of every branch) is applied: it is the current head or an ancestor
    of one (a branch that another depends on is recorded through its dependant)."""
    script = ScriptDirectory.from_config(alembic_config(app))
    heads = tuple(current_heads(app))
    applied = {rev.revision for rev in script.iterate_revisions(heads, "base")}
    return set(script.get_heads()) <= applied


def test_upgrade_takes_a_new_database_to_every_head(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x"})
    upgrade(app)
    assert _at_every_head(app)
    assert {"portal_user", "customer_company", "plugin_state"} <= set(
        inspect(create_engine(url)).get_table_names())
    before = current_heads(app)
    upgrade(app)  # a second run is a no-op
    assert current_heads(app) == before


def test_upgrade_takes_an_old_database_forward(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x"})
    upgrade(app, "core@core_0001")
    assert current_heads(app) == {"core_0001"}
    assert not _at_every_head(app)
    upgrade(app)
    assert _at_every_head(app)
