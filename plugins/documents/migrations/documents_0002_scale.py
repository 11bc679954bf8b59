"""documents at scale: lists read one index range, newest first, whatever the page

Revision ID: documents_0002_scale
Revises: documents_0001
Create Date: 2026-12-01 23:00:00

A company's list of one type sorted by date (and id, the tie-break) walks
``(company_id, doc_type, issued_on, id)`` backwards: no sort, no heap scan of the other rows.
It replaces ``(company_id, doc_type, issued_on)``, its prefix.
"""

from alembic import op

revision = "documents_0002_scale"
down_revision = "documents_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_document_company_type_issued_id", "document",
                    ["company_id", "doc_type", "issued_on", "id"], unique=False)
    op.drop_index("ix_document_company_type_issued", table_name="document")


def downgrade() -> None:
    op.create_index("ix_document_company_type_issued", "document",
                    ["company_id", "doc_type", "issued_on"], unique=False)
    op.drop_index("ix_document_company_type_issued_id", table_name="document")
