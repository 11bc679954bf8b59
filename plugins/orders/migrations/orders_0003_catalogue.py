"""orders catalogue managed by staff: categories can be deactivated

Revision ID: orders_0003_catalogue
Revises: orders_0002_scale
Create Date: 2026-12-02 20:00:00

- ``orders_category.active`` (true for every existing category): staff withdraw a category
  without deleting it; the catalogue's category filter leaves it out.
"""

import sqlalchemy as sa
from alembic import op

revision = "orders_0003_catalogue"
down_revision = "orders_0002_scale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders_category") as batch:
        batch.add_column(sa.Column("active", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("orders_category") as batch:
        batch.drop_column("active")
