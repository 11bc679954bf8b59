"""The ``portal`` command: Flask's CLI group bound to :func:`portal.create_app`.

``portal run`` serves the app; ``portal db upgrade``, ``portal demo``, ``portal users …``,
``portal plugins …`` and ``portal new-plugin`` are defined in :mod:`portal.core.cli`.

A plugin that stops start-up (a first-party or required one that fails to load) is reported as
one line on standard error, with exit status 1, not as a traceback.
"""

import sys

import click
from flask.cli import FlaskGroup

from portal.app import create_app
from portal.core.plugins import PluginError

HELP = "Customer portal: serve, upgrade the database, load demo data, manage users and plugins."


def load_app():
    try:
        return create_app()
    except PluginError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)


def main() -> None:
    FlaskGroup(create_app=load_app, help=HELP)()


if __name__ == "__main__":
    main()
