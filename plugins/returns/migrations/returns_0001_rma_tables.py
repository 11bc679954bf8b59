"""returns tables: RMA requests, lines, status history, attachments, documents, counters, locks

Revision ID: returns_0001
Revises:
Create Date: 2026-12-01 22:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "returns_0001"
down_revision = None
branch_labels = ("returns",)
depends_on = "documents_0001"

QTY = sa.Numeric(18, 4)
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "returns_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_returns_counter")),
    )
    op.create_table(
        "returns_line_lock",
        sa.Column("invoice_line_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["customer_company.id"],
                                name=op.f("fk_returns_line_lock_company_id_customer_company"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("invoice_line_id", name=op.f("pk_returns_line_lock")),
    )
    op.create_index(op.f("ix_returns_line_lock_company_id"), "returns_line_lock",
                    ["company_id"])
    op.create_table(
        "returns_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("invoice_number", sa.String(length=50), nullable=False),
        sa.Column("invoice_date", sa.Date(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("resolution", sa.String(length=20), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("contact_phone", sa.String(length=50), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("submitted_at", TS, nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=True),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("reject_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["customer_company.id"],
                                name=op.f("fk_returns_request_company_id_customer_company"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["portal_user.id"],
                                name=op.f("fk_returns_request_created_by_id_portal_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returns_request")),
        sa.UniqueConstraint("external_id", name=op.f("uq_returns_request_external_id")),
        sa.UniqueConstraint("number", name=op.f("uq_returns_request_number")),
    )
    op.create_index(op.f("ix_returns_request_company_id"), "returns_request", ["company_id"])
    op.create_index(op.f("ix_returns_request_invoice_id"), "returns_request", ["invoice_id"])
    op.create_index(op.f("ix_returns_request_created_by_id"), "returns_request",
                    ["created_by_id"])
    op.create_index("ix_returns_request_company_status_created", "returns_request",
                    ["company_id", "status", "created_at"])
    op.create_index("ix_returns_request_company_created", "returns_request",
                    ["company_id", "created_at"])
    op.create_index("ix_returns_request_status_created", "returns_request",
                    ["status", "created_at"])
    op.create_table(
        "returns_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("invoice_line_id", sa.Integer(), nullable=False),
        sa.Column("product_code", sa.String(length=100), nullable=False),
        sa.Column("product_name", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("unit_price", sa.Numeric(18, 4), nullable=False),
        sa.Column("discount_rate", sa.Numeric(7, 4), nullable=False),
        sa.Column("tax_rate", sa.Numeric(7, 4), nullable=False),
        sa.Column("invoiced_quantity", QTY, nullable=False),
        sa.Column("quantity", QTY, nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("condition", sa.String(length=30), nullable=False),
        sa.Column("approved_quantity", QTY, nullable=True),
        sa.Column("received_quantity", QTY, nullable=True),
        sa.Column("received_condition", sa.String(length=30), nullable=False),
        sa.Column("credited_quantity", QTY, nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["returns_request.id"],
                                name=op.f("fk_returns_line_request_id_returns_request"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returns_line")),
    )
    op.create_index(op.f("ix_returns_line_request_id"), "returns_line", ["request_id"])
    op.create_index(op.f("ix_returns_line_invoice_line_id"), "returns_line",
                    ["invoice_line_id"])
    op.create_table(
        "returns_status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(length=200), nullable=False),
        sa.Column("by_supplier", sa.Boolean(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["by_id"], ["portal_user.id"],
                                name=op.f("fk_returns_status_change_by_id_portal_user"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["request_id"], ["returns_request.id"],
                                name=op.f("fk_returns_status_change_request_id_returns_request"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returns_status_change")),
    )
    op.create_index(op.f("ix_returns_status_change_request_id"), "returns_status_change",
                    ["request_id"])
    op.create_table(
        "returns_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("stored_key", sa.String(length=100), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", TS, nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["returns_request.id"],
                                name=op.f("fk_returns_attachment_request_id_returns_request"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["portal_user.id"],
                                name=op.f("fk_returns_attachment_uploaded_by_id_portal_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returns_attachment")),
        sa.UniqueConstraint("stored_key", name=op.f("uq_returns_attachment_stored_key")),
    )
    op.create_index(op.f("ix_returns_attachment_request_id"), "returns_attachment",
                    ["request_id"])
    op.create_table(
        "returns_document",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(length=50), nullable=False),
        sa.Column("number", sa.String(length=50), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["returns_request.id"],
                                name=op.f("fk_returns_document_request_id_returns_request"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("request_id", "document_id", name=op.f("pk_returns_document")),
    )
    op.create_index(op.f("ix_returns_document_document_id"), "returns_document",
                    ["document_id"])


def downgrade() -> None:
    for table in ("returns_document", "returns_attachment", "returns_status_change",
                  "returns_line", "returns_request", "returns_line_lock", "returns_counter"):
        op.drop_table(table)
