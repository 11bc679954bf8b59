"""announcements: the announcement table

Revision ID: announcements_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "announcements_0001"
down_revision = None
branch_labels = ("announcements",)
depends_on = "core_0001"


def upgrade() -> None:
    op.create_table(
        "announcements_announcement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["customer_company.id"], ondelete="CASCADE",
            name=op.f("fk_announcements_announcement_company_id_customer_company")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["portal_user.id"], ondelete="SET NULL",
            name=op.f("fk_announcements_announcement_author_id_portal_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcements_announcement")),
    )
    op.create_index("ix_announcements_announcement_company_published",
                    "announcements_announcement", ["company_id", "published_at"])


def downgrade() -> None:
    op.drop_index("ix_announcements_announcement_company_published",
                  table_name="announcements_announcement")
    op.drop_table("announcements_announcement")
