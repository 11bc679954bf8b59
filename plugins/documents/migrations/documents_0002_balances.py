"""documents for balances: order of a document, settlement allocations, credit terms,
reconciliation answers

Revision ID: documents_0002_balances
Revises: documents_0001
Create Date: 2026-12-01 22:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "documents_0002_balances"
down_revision = "documents_0001"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(18, 2)


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("order_number", sa.String(50), nullable=True))
    op.create_index("ix_document_company_issued", "document", ["company_id", "issued_on", "id"])
    op.create_index("ix_document_company_order", "document", ["company_id", "order_number"])

    op.create_table(
        "document_allocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("order_number", sa.String(50), nullable=True),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name=op.f("fk_document_allocation_document_id_document"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["company_id"], ["customer_company.id"],
                                name=op.f("fk_document_allocation_company_id_customer_company"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["invoice_id"], ["document.id"],
                                name=op.f("fk_document_allocation_invoice_id_document"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_allocation")),
    )
    op.create_index("ix_document_allocation_document_id", "document_allocation", ["document_id"])
    op.create_index("ix_document_allocation_company_id", "document_allocation", ["company_id"])
    op.create_index("ix_document_allocation_invoice_id", "document_allocation", ["invoice_id"])

    op.create_table(
        "document_company_terms",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("credit_limit", MONEY, nullable=True),
        sa.Column("credit_currency", sa.String(3), nullable=False),
        sa.Column("payment_terms_days", sa.Integer(), nullable=True),
        sa.Column("payment_terms", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["customer_company.id"],
                                name=op.f("fk_document_company_terms_company_id_customer_company"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_document_company_terms")),
    )

    op.create_table(
        "document_reconciliation_answer",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("disputed_lines", sa.Text(), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_by_name", sa.String(200), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"],
            name=op.f("fk_document_reconciliation_answer_document_id_document"),
            ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["company_id"], ["customer_company.id"],
            name=op.f("fk_document_reconciliation_answer_company_id_customer_company"),
            ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["answered_by_id"], ["portal_user.id"],
            name=op.f("fk_document_reconciliation_answer_answered_by_id_portal_user"),
            ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_reconciliation_answer")),
    )
    op.create_index("ix_document_reconciliation_answer_company_id",
                    "document_reconciliation_answer", ["company_id"])


def downgrade() -> None:
    for table in ("document_reconciliation_answer", "document_company_terms",
                  "document_allocation"):
        op.drop_table(table)
    op.drop_index("ix_document_company_order", "document")
    op.drop_index("ix_document_company_issued", "document")
    with op.batch_alter_table("document") as batch:
        batch.drop_column("order_number")
