"""The schema comes from Alembic: one branch per part, upgrading new and old databases."""

from functools import partial

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from portal import create_app
from portal.core.db import Base
from portal.core.migrate import alembic_config, current_heads, include_object, upgrade


def test_migrations_build_exactly_the_models(app):
    """Autogenerate finds nothing to do: the migrations and the models agree."""
    engine = app.extensions["portal.engine"]
    with engine.connect() as conn:
        only_here = partial(include_object, dialect=conn.dialect.name)
        diff = compare_metadata(MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": only_here}), Base.metadata)
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


def test_db_upgrade_says_what_it_did(tmp_path):
    url = f"sqlite:///{tmp_path / 'told.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x"})
    runner = app.test_cli_runner()
    created = runner.invoke(args=["db", "upgrade", "core@core_0001"])
    assert created.exit_code == 0 and "Created the schema at core_0001." in created.output
    upgraded = runner.invoke(args=["db", "upgrade"])
    assert "Upgraded the database from core_0001 to " in upgraded.output
    script = ScriptDirectory.from_config(alembic_config(app))
    core_head = next(rev for rev in script.get_revisions("core@head"))
    assert core_head.revision != "core_0001" and core_head.revision in upgraded.output
    again = runner.invoke(args=["db", "upgrade"])
    assert "Database already up to date (" in again.output
    assert "Upgraded" not in again.output and "Created" not in again.output
