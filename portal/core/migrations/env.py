"""Alembic environment: uses the app's engine handed over in ``config.attributes``."""

from functools import partial

from alembic import context

from portal.core.db import Base
from portal.core.migrate import include_object

config = context.config
engine = config.attributes["engine"]


def run() -> None:
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=partial(include_object, dialect=connection.dialect.name),
        )
        with context.begin_transaction():
            context.run_migrations()


run()
