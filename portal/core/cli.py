"""The core's CLI commands, attached to the app's ``flask``/``portal`` command group."""

from __future__ import annotations

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
    """Create or upgrade the database schema to the newest version (every branch)."""
    migrate.upgrade(current_app, target)
    click.echo("Database is up to date.")


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
        state = ("blocked" if plugin.blocked else "enabled" if name in enabled else "disabled")
        origin = "first-party" if plugin.first_party else (plugin.distribution or "third-party")
        requires = f"  requires: {', '.join(plugin.requires)}" if plugin.requires else ""
        click.echo(f"{name:<16} {state:<9} {origin}{requires}")


def _switch(name: str, enabled: bool) -> None:
    db = get_session()
    try:
        get_registry().set_enabled(db, name, enabled)
    except PluginError as exc:
        raise click.ClickException(str(exc)) from exc
    audit.record("plugin.enable" if enabled else "plugin.disable", "plugin", name, session=db)
    db.commit()
    click.echo(f"Plugin {name} {'enabled' if enabled else 'disabled'}.")


@plugins_cli.command("enable")
@click.argument("name")
def plugins_enable(name):
    """Enable a plugin (its requirements must be enabled first)."""
    _switch(name, True)


@plugins_cli.command("disable")
@click.argument("name")
def plugins_disable(name):
    """Disable a plugin (refused while an enabled plugin requires it)."""
    _switch(name, False)


def init_app(app) -> None:
    for command in (db_cli, demo, users_cli, plugins_cli):
        app.cli.add_command(command)
    for name, commands in get_registry(app).call_startup("portal_cli_commands"):
        for command in commands or ():
            if command.name in app.cli.commands:
                raise PluginError(f"Plugin {name!r}: command {command.name!r} is already taken.")
            app.cli.add_command(command)
