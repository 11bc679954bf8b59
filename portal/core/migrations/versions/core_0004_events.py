"""events: delivery of the outbox (deliveries, webhooks, notification choices, feed sequence)

Revision ID: core_0004_events
Revises: core_0003
Create Date: 2026-12-01 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0004_events"
down_revision = "core_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch.create_unique_constraint(op.f("uq_event_seq"), ["seq"])
    with op.batch_alter_table("portal_user") as batch:
        batch.add_column(sa.Column("reset_token_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("reset_expires_at", sa.DateTime(timezone=True),
                                   nullable=True))
        batch.create_unique_constraint(op.f("uq_portal_user_reset_token_hash"),
                                       ["reset_token_hash"])
    op.create_table(
        "outbox_lock",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_outbox_lock")),
    )
    op.create_table(
        "webhook",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook")),
    )
    op.create_table(
        "delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("recipient", sa.String(length=300), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("webhook_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"],
                                name=op.f("fk_delivery_event_id_event"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["portal_user.id"],
                                name=op.f("fk_delivery_user_id_portal_user"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["webhook_id"], ["webhook.id"],
                                name=op.f("fk_delivery_webhook_id_webhook"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery")),
        sa.UniqueConstraint("event_id", "channel", "recipient",
                            name=op.f("uq_delivery_event_id_channel_recipient")),
    )
    op.create_index("ix_delivery_due", "delivery", ["status", "next_attempt_at"])
    op.create_index(op.f("ix_delivery_created_at"), "delivery", ["created_at"])
    op.create_index(op.f("ix_delivery_user_id"), "delivery", ["user_id"])
    op.create_index(op.f("ix_delivery_webhook_id"), "delivery", ["webhook_id"])
    op.create_table(
        "notification_preference",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["portal_user.id"],
                                name=op.f("fk_notification_preference_user_id_portal_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_notification_preference")),
    )


def downgrade() -> None:
    op.drop_table("notification_preference")
    op.drop_table("delivery")
    op.drop_table("webhook")
    op.drop_table("outbox_lock")
    with op.batch_alter_table("portal_user") as batch:
        batch.drop_constraint(op.f("uq_portal_user_reset_token_hash"), type_="unique")
        batch.drop_column("reset_expires_at")
        batch.drop_column("reset_token_hash")
    with op.batch_alter_table("event") as batch:
        batch.drop_constraint(op.f("uq_event_seq"), type_="unique")
        batch.drop_column("seq")
