"""The ``portal`` command: Flask's CLI group bound to :func:`portal.create_app`.

``portal run`` serves the app; ``portal db upgrade``, ``portal demo``, ``portal users …`` and
``portal plugins …`` are defined in :mod:`portal.core.cli`.
"""

from flask.cli import FlaskGroup

from portal.app import create_app

HELP = "Customer portal: serve, upgrade the database, load demo data, manage users and plugins."


def main() -> None:
    FlaskGroup(create_app=lambda: create_app(), help=HELP)()


if __name__ == "__main__":
    main()
