"""feed: the change feeds read events of one subject type in seq order

Revision ID: core_0005_feed
Revises: core_0004_events
Create Date: 2026-12-02 20:10:00
"""

from alembic import op

revision = "core_0005_feed"
down_revision = "core_0004_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_event_feed", "event", ["subject_type", "seq"])


def downgrade() -> None:
    op.drop_index("ix_event_feed", table_name="event")
