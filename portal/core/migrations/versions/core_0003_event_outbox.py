"""event: the outbox every plugin records its events in, in the transaction of the change

Revision ID: core_0003
Revises: core_0002
Create Date: 2026-12-01 22:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0003"
down_revision = "core_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("subject_type", sa.String(length=50), nullable=False),
        sa.Column("subject_id", sa.String(length=100), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["portal_user.id"], name=op.f("fk_event_actor_id_portal_user"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["company_id"], ["customer_company.id"], name=op.f("fk_event_company_id_customer_company"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    op.create_index(op.f("ix_event_kind"), "event", ["kind"])
    op.create_index(op.f("ix_event_company_id"), "event", ["company_id"])
    op.create_index("ix_event_subject", "event", ["subject_type", "subject_id"])


def downgrade() -> None:
    op.drop_table("event")
