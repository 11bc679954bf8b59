"""portal_user.search_key: Turkish-folded user name, name and e-mail for staff search

Revision ID: core_0002
Revises: core_0001
Create Date: 2026-11-26 22:30:00
"""

import sqlalchemy as sa
from alembic import op

from portal.core.text import search_key

revision = "core_0002"
down_revision = "core_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("portal_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_key", sa.String(length=600), nullable=False,
                                      server_default=""))
    users = sa.table("portal_user", sa.column("id", sa.Integer), sa.column("username"),
                     sa.column("full_name"), sa.column("email"), sa.column("search_key"))
    conn = op.get_bind()
    for row in conn.execute(sa.select(users.c.id, users.c.username, users.c.full_name,
                                      users.c.email)).all():
        key = search_key(" ".join(filter(None, (row.username, row.full_name, row.email))))
        conn.execute(users.update().where(users.c.id == row.id).values(search_key=key[:600]))


def downgrade() -> None:
    with op.batch_alter_table("portal_user", schema=None) as batch_op:
        batch_op.drop_column("search_key")
