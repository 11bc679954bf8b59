"""The core's CLI commands, attached to the app's ``flask``/``portal`` command group.

Every command but ``portal db …`` is guarded: on a database that was never upgraded it says
"the database is not set up; run `portal db upgrade`" instead of printing a traceback.
"""

from __future__ import annotations

import functools

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from portal.core import audit, migrate
from portal.core.db import get_session
from portal.core.models import STAFF, User
from portal.core.passwords import MIN_LENGTH, hash_password
from portal.core.plugins import PluginError, get_registry

db_cli = AppGroup("db", help="Database schema.")
users_cli = AppGroup("users", help="Staff and customer accounts.")
plugins_cli = AppGroup("plugins", help="Installed plugins and their states.")


@db_cli.command("upgrade")
@click.argument("target", default="heads")
def db_upgrade(target):
    """Create or upgrade the database schema to the newest version (every branch), and say
    which: "created the schema", "upgraded from … to …" or "already up to date"."""
    before = migrate.current_heads(current_app)
    failures = migrate.upgrade(current_app, target)
    after = migrate.current_heads(current_app)
    for name, reason in failures:
        click.echo(f"Plugin {name!r} failed to load: {reason}; it is set aside and disabled.",
                   err=True)
    click.echo(upgrade_summary(before, after)
               + (" (except for the plugins above)." if failures else "."))


def upgrade_summary(before: set[str], after: set[str]) -> str:
    """What ``portal db upgrade`` did, from the revision heads before and after it."""
    if before == after:
        return "Database already up to date (" + ", ".join(sorted(after)) + ")"
    if not before:
        return "Created the schema at " + ", ".join(sorted(after))
    return ("Upgraded the database from " + ", ".join(sorted(before - after)) + " to "
            + ", ".join(sorted(after - before)))


@click.command("demo")
@with_appcontext
def demo():
    """Load demo data from the core and every enabled plugin (running it twice changes nothing)."""
    from portal.core.demo import load_demo

    load_demo(current_app)
    click.echo("Demo data loaded.")


@users_cli.command("create-staff")
@click.argument("username")
@click.option("--password", help="Asked for when not given.")
@click.option("--admin", is_flag=True, help="Make the user an administrator.")
def create_staff(username, password, admin):
    """Create a staff user (a representative of the business)."""
    db = get_session()
    username = username.strip().lower()
    if db.scalar(select(User).where(func.lower(User.username) == username)):
        raise click.ClickException(f"User name {username!r} is taken.")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_LENGTH:
        raise click.ClickException(f"The password must have at least {MIN_LENGTH} characters.")
    user = User(username=username, kind=STAFF, is_admin=admin,
                password_hash=hash_password(password))
    db.add(user)
    db.flush()
    audit.record("user.create", "user", user.id, session=db, kind=STAFF, admin=admin)
    db.commit()
    click.echo(f"Staff user {username} created{' (administrator)' if admin else ''}.")


@plugins_cli.command("list")
def plugins_list():
    """List installed plugins with their states."""
    registry = get_registry()
    enabled = registry.enabled_names()
    for name, plugin in sorted(registry.plugins.items()):
        if name == "core":
            continue
        state = ("blocked" if plugin.blocked else "failed" if plugin.failed
                 else "enabled" if name in enabled else "disabled")
        origin = "first-party" if plugin.first_party else (plugin.distribution or "third-party")
        requires = f"  requires: {', '.join(plugin.requires)}" if plugin.requires else ""
        click.echo(f"{name:<16} {state:<9} {origin}{requires}")
        if plugin.failed:
            click.echo(f"{'':<16} failed to load: {plugin.failure}")


def _switch(name: str, enabled: bool, demo: bool = False) -> None:
    from portal.core.demo import load_plugin_demo

    db = get_session()
    try:
        get_registry().set_enabled(db, name, enabled)
    except PluginError as exc:
        raise click.ClickException(str(exc)) from exc
    audit.record("plugin.enable" if enabled else "plugin.disable", "plugin", name, session=db)
    loaded = demo and load_plugin_demo(current_app, name)
    db.commit()
    click.echo(f"Plugin {name} {'enabled' if enabled else 'disabled'}.")
    if demo:
        click.echo(f"Demo data of {name} loaded." if loaded else f"Plugin {name} has no demo data.")


@click.command("new-plugin")
@click.argument("name")
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=".",
              help="Where to write the package folder (default: here).")
def new_plugin(name, directory):
    """Write a working plugin package portal-NAME (pip install -e it, then run its tests)."""
    from portal.core.scaffold import ScaffoldError, write_plugin

    try:
        target = write_plugin(name, directory)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Plugin package written to {target}.")
    click.echo(f"Next: pip install -e {target} && pytest {target}")


@plugins_cli.command("enable")
@click.argument("name")
@click.option("--demo", is_flag=True,
              help="Also load the plugin's demo data (running it twice changes nothing).")
def plugins_enable(name, demo):
    """Enable a plugin (its requirements must be enabled first)."""
    _switch(name, True, demo=demo)


@plugins_cli.command("disable")
@click.argument("name")
def plugins_disable(name):
    """Disable a plugin (refused while an enabled plugin requires it)."""
    _switch(name, False)


NOT_SET_UP = "the database is not set up; run `portal db upgrade`"
NOT_UP_TO_DATE = "the database is not up to date; run `portal db upgrade`"


def _schema_problem(app) -> str | None:
    """Why the database cannot serve the commands, or None when its schema is current."""
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    from portal.core.db import get_engine

    if not inspect(get_engine(app)).has_table("alembic_version"):
        return NOT_SET_UP
    wanted = set(ScriptDirectory.from_config(migrate.alembic_config(app)).get_heads())
    current = migrate.current_heads(app)
    if not current:
        return NOT_SET_UP
    return NOT_UP_TO_DATE if wanted - current else None


def _guarded(command: click.Command) -> click.Command:
    """Turn a database error of ``command`` on a missing or old schema into one clear line."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _guarded(sub)
        return command
    if command.callback is None or getattr(command.callback, "_portal_guarded", False):
        return command
    callback = command.callback

    @functools.wraps(callback)
    def guarded(*args, **kwargs):
        from flask.cli import ScriptInfo
        from sqlalchemy.exc import OperationalError, ProgrammingError

        try:
            return callback(*args, **kwargs)
        except (OperationalError, ProgrammingError) as exc:
            info = click.get_current_context().find_object(ScriptInfo)
            problem = _schema_problem(info.load_app()) if info is not None else None
            if problem is None:
                raise
            raise click.ClickException(problem) from exc

    guarded._portal_guarded = True
    command.callback = guarded
    return command


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Threads sending at once.")
@click.option("--once", is_flag=True, help="Deliver what is due now and exit (no queue).")
@with_appcontext
def worker_command(workers, once):
    """Deliver e-mails and webhooks (Huey consumer; several copies may run)."""
    from portal.core import delivery, worker

    if once:
        click.echo(f"{delivery.run_once()} deliveries tried.")
        return
    worker.run(current_app._get_current_object(), workers=workers)


def init_app(app) -> None:
    for command in (db_cli, demo, users_cli, plugins_cli, new_plugin, worker_command):
        app.cli.add_command(command)
    registry = get_registry(app)
    for name, commands in registry.call_startup("portal_cli_commands"):
        taken = [c.name for c in commands or () if c.name in app.cli.commands]
        if taken:
            registry.fail(name, f"command {taken[0]!r} is already taken")
            continue
        for command in commands or ():
            app.cli.add_command(command)
    for name, command in app.cli.commands.items():
        if name != "db":
            _guarded(command)
