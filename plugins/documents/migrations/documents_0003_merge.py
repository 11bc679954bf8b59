"""merge the balances and scale revisions of the documents branch into one head

Revision ID: documents_0003
Revises: documents_0002_balances, documents_0002_scale
Create Date: 2026-12-02 00:05:00
"""

revision = "documents_0003"
down_revision = ("documents_0002_balances", "documents_0002_scale")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
