"""documents tables: documents, lines, links, number counters, supplier files, API tokens

Revision ID: documents_0001
Revises:
Create Date: 2026-11-26 22:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "documents_0001"
down_revision = None
branch_labels = ("documents",)
depends_on = "core_0001"

MONEY = sa.Numeric(18, 2)


def upgrade() -> None:
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(50), nullable=False),
        sa.Column("number", sa.String(50), nullable=False),
        sa.Column("external_id", sa.String(100), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("opening_balance", MONEY, nullable=True),
        sa.Column("closing_balance", MONEY, nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("net_total", MONEY, nullable=False),
        sa.Column("tax_total", MONEY, nullable=False),
        sa.Column("gross_total", MONEY, nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("origin_kind", sa.String(50), nullable=True),
        sa.Column("origin_ref", sa.String(100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["customer_company.id"],
                                name=op.f("fk_document_company_id_customer_company"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("doc_type", "external_id", name="uq_document_doc_type_external_id"),
    )
    op.create_index("ix_document_company_id", "document", ["company_id"])
    op.create_index("ix_document_number", "document", ["number"])
    op.create_index("ix_document_company_type_issued", "document",
                    ["company_id", "doc_type", "issued_on"])
    op.create_index("ix_document_origin", "document", ["origin_kind", "origin_ref"])

    op.create_table(
        "document_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_code", sa.String(100), nullable=False),
        sa.Column("product_name", sa.String(300), nullable=False),
        sa.Column("quantity", sa.Numeric(18, 4), nullable=False),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("unit_price", sa.Numeric(18, 4), nullable=False),
        sa.Column("discount_rate", sa.Numeric(7, 4), nullable=False),
        sa.Column("tax_rate", sa.Numeric(7, 4), nullable=False),
        sa.Column("net_amount", MONEY, nullable=False),
        sa.Column("tax_amount", MONEY, nullable=False),
        sa.Column("gross_amount", MONEY, nullable=False),
        sa.Column("origin_kind", sa.String(50), nullable=True),
        sa.Column("origin_ref", sa.String(100), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name=op.f("fk_document_line_document_id_document"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_line")),
    )
    op.create_index("ix_document_line_document_id", "document_line", ["document_id"])
    op.create_index("ix_document_line_origin", "document_line", ["origin_kind", "origin_ref"])

    op.create_table(
        "document_link",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("based_on_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name=op.f("fk_document_link_document_id_document"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["based_on_id"], ["document.id"],
                                name=op.f("fk_document_link_based_on_id_document"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "based_on_id", name=op.f("pk_document_link")),
    )
    op.create_index("ix_document_link_based_on_id", "document_link", ["based_on_id"])

    op.create_table(
        "document_number_counter",
        sa.Column("doc_type", sa.String(50), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("doc_type", "year", name=op.f("pk_document_number_counter")),
    )

    op.create_table(
        "supplier_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(50), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("original_name", sa.String(255), nullable=False),
        sa.Column("stored_name", sa.String(64), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["portal_user.id"],
                                name=op.f("fk_supplier_file_uploaded_by_id_portal_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_file")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_supplier_file_stored_name")),
    )
    op.create_index("ix_supplier_file_category", "supplier_file", ["category"])

    op.create_table(
        "supplier_file_group",
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["supplier_file.id"],
                                name=op.f("fk_supplier_file_group_file_id_supplier_file"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["access_group.id"],
                                name=op.f("fk_supplier_file_group_group_id_access_group"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("file_id", "group_id", name=op.f("pk_supplier_file_group")),
    )
    op.create_index("ix_supplier_file_group_group_id", "supplier_file_group", ["group_id"])

    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["portal_user.id"],
                                name=op.f("fk_api_token_created_by_id_portal_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )


def downgrade() -> None:
    for table in ("api_token", "supplier_file_group", "supplier_file", "document_number_counter",
                  "document_link", "document_line", "document"):
        op.drop_table(table)
