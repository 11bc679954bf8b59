"""portal_user.device_generation: signed into every known-device cookie; bumped when a user's
password changes, staff reset it or deactivate the user, so old device cookies stop counting

Revision ID: core_0006_device_generation
Revises: core_0005_names
Create Date: 2026-12-04 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0006_device_generation"
down_revision = "core_0005_names"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("portal_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("device_generation", sa.Integer(), nullable=False,
                                      server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("portal_user", schema=None) as batch_op:
        batch_op.drop_column("device_generation")
