"""orders tables: catalogue, price lists, carts, orders, status history, order counters

Revision ID: orders_0001
Revises:
Create Date: 2026-11-26 22:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "orders_0001"
down_revision = None
branch_labels = ("orders",)
depends_on = "documents_0001"


def upgrade() -> None:
    op.create_table(
        "orders_category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders_category")),
        sa.UniqueConstraint("code", name=op.f("uq_orders_category_code")),
        sa.UniqueConstraint("external_id", name=op.f("uq_orders_category_external_id")),
    )
    op.create_table(
        "orders_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_orders_counter")),
    )
    op.create_table(
        "orders_price_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders_price_list")),
        sa.UniqueConstraint("code", name=op.f("uq_orders_price_list_code")),
        sa.UniqueConstraint("external_id", name=op.f("uq_orders_price_list_external_id")),
    )
    op.create_table(
        "orders_company_price_list",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("price_list_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["customer_company.id"],
            name=op.f("fk_orders_company_price_list_company_id_customer_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["price_list_id"],
            ["orders_price_list.id"],
            name=op.f("fk_orders_company_price_list_price_list_id_orders_price_list"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_orders_company_price_list")),
    )
    op.create_index(
        op.f("ix_orders_company_price_list_price_list_id"),
        "orders_company_price_list",
        ["price_list_id"],
        unique=False,
    )
    op.create_table(
        "orders_product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("search_key", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("whole_units", sa.Boolean(), nullable=False),
        sa.Column("tax_rate", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("image_path", sa.String(length=300), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["orders_category.id"],
            name=op.f("fk_orders_product_category_id_orders_category"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders_product")),
        sa.UniqueConstraint("code", name=op.f("uq_orders_product_code")),
        sa.UniqueConstraint("external_id", name=op.f("uq_orders_product_external_id")),
    )
    op.create_index(op.f("ix_orders_product_active"), "orders_product", ["active"], unique=False)
    op.create_index(
        op.f("ix_orders_product_category_id"), "orders_product", ["category_id"], unique=False
    )
    op.create_index(
        op.f("ix_orders_product_search_key"), "orders_product", ["search_key"], unique=False
    )
    op.create_table(
        "orders_cart_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("seen_price", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["customer_company.id"],
            name=op.f("fk_orders_cart_line_company_id_customer_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["orders_product.id"],
            name=op.f("fk_orders_cart_line_product_id_orders_product"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["portal_user.id"],
            name=op.f("fk_orders_cart_line_user_id_portal_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders_cart_line")),
        sa.UniqueConstraint(
            "user_id", "product_id", name=op.f("uq_orders_cart_line_user_id_product_id")
        ),
    )
    op.create_index(
        op.f("ix_orders_cart_line_company_id"), "orders_cart_line", ["company_id"], unique=False
    )
    op.create_index(
        op.f("ix_orders_cart_line_product_id"), "orders_cart_line", ["product_id"], unique=False
    )
    op.create_index(
        op.f("ix_orders_cart_line_user_id"), "orders_cart_line", ["user_id"], unique=False
    )
    op.create_table(
        "orders_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("placed_by_id", sa.Integer(), nullable=True),
        sa.Column("placed_by_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivery_address", sa.Text(), nullable=False),
        sa.Column("requested_delivery_on", sa.Date(), nullable=True),
        sa.Column("po_number", sa.String(length=50), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("net_total", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("tax_total", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("gross_total", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("quotation_id", sa.Integer(), nullable=True),
        sa.Column("quotation_number", sa.String(length=50), nullable=False),
        sa.Column("cancel_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["customer_company.id"],
            name=op.f("fk_orders_order_company_id_customer_company"),
        ),
        sa.ForeignKeyConstraint(
            ["placed_by_id"],
            ["portal_user.id"],
            name=op.f("fk_orders_order_placed_by_id_portal_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders_order")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_orders_order_idempotency_key")),
        sa.UniqueConstraint("number", name=op.f("uq_orders_order_number")),
    )
    op.create_index(
        "ix_orders_order_company_created",
        "orders_order",
        ["company_id", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_orders_order_company_id"), "orders_order", ["company_id"], unique=False
    )
    op.create_index(
        op.f("ix_orders_order_placed_by_id"), "orders_order", ["placed_by_id"], unique=False
    )
    op.create_index(
        op.f("ix_orders_order_quotation_id"), "orders_order", ["quotation_id"], unique=False
    )
    op.create_index(op.f("ix_orders_order_status"), "orders_order", ["status"], unique=False)
    op.create_table(
        "orders_price",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("price_list_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["price_list_id"],
            ["orders_price_list.id"],
            name=op.f("fk_orders_price_price_list_id_orders_price_list"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["orders_product.id"],
            name=op.f("fk_orders_price_product_id_orders_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders_price")),
        sa.UniqueConstraint(
            "price_list_id", "product_id", name=op.f("uq_orders_price_price_list_id_product_id")
        ),
    )
    op.create_index(
        op.f("ix_orders_price_price_list_id"), "orders_price", ["price_list_id"], unique=False
    )
    op.create_index(
        op.f("ix_orders_price_product_id"), "orders_price", ["product_id"], unique=False
    )
    op.create_table(
        "orders_order_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("product_code", sa.String(length=50), nullable=False),
        sa.Column("product_name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("discount_rate", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("tax_rate", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("net_amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("tax_amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("gross_amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders_order.id"],
            name=op.f("fk_orders_order_line_order_id_orders_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["orders_product.id"],
            name=op.f("fk_orders_order_line_product_id_orders_product"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders_order_line")),
    )
    op.create_index(
        op.f("ix_orders_order_line_order_id"), "orders_order_line", ["order_id"], unique=False
    )
    op.create_index(
        op.f("ix_orders_order_line_product_id"), "orders_order_line", ["product_id"], unique=False
    )
    op.create_table(
        "orders_status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"],
            ["portal_user.id"],
            name=op.f("fk_orders_status_change_by_id_portal_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders_order.id"],
            name=op.f("fk_orders_status_change_order_id_orders_order"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders_status_change")),
    )
    op.create_index(
        op.f("ix_orders_status_change_order_id"), "orders_status_change", ["order_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_orders_status_change_order_id"), table_name="orders_status_change")
    op.drop_table("orders_status_change")
    op.drop_index(op.f("ix_orders_order_line_product_id"), table_name="orders_order_line")
    op.drop_index(op.f("ix_orders_order_line_order_id"), table_name="orders_order_line")
    op.drop_table("orders_order_line")
    op.drop_index(op.f("ix_orders_price_product_id"), table_name="orders_price")
    op.drop_index(op.f("ix_orders_price_price_list_id"), table_name="orders_price")
    op.drop_table("orders_price")
    op.drop_index(op.f("ix_orders_order_status"), table_name="orders_order")
    op.drop_index(op.f("ix_orders_order_quotation_id"), table_name="orders_order")
    op.drop_index(op.f("ix_orders_order_placed_by_id"), table_name="orders_order")
    op.drop_index(op.f("ix_orders_order_company_id"), table_name="orders_order")
    op.drop_index("ix_orders_order_company_created", table_name="orders_order")
    op.drop_table("orders_order")
    op.drop_index(op.f("ix_orders_cart_line_user_id"), table_name="orders_cart_line")
    op.drop_index(op.f("ix_orders_cart_line_product_id"), table_name="orders_cart_line")
    op.drop_index(op.f("ix_orders_cart_line_company_id"), table_name="orders_cart_line")
    op.drop_table("orders_cart_line")
    op.drop_index(op.f("ix_orders_product_search_key"), table_name="orders_product")
    op.drop_index(op.f("ix_orders_product_category_id"), table_name="orders_product")
    op.drop_index(op.f("ix_orders_product_active"), table_name="orders_product")
    op.drop_table("orders_product")
    op.drop_index(
        op.f("ix_orders_company_price_list_price_list_id"), table_name="orders_company_price_list"
    )
    op.drop_table("orders_company_price_list")
    op.drop_table("orders_price_list")
    op.drop_table("orders_counter")
    op.drop_table("orders_category")
