"""orders at scale: a status filter reads an index; catalogue search uses trigrams on PostgreSQL

Revision ID: orders_0002_scale
Revises: orders_0001
Create Date: 2026-12-01 23:00:00

- ``(company_id, status, created_at)``: a company's orders in one status, newest first, and
  their count, without reading the company's other orders.
- The index on ``orders_product.active`` goes: nearly every product is active, and SQLite's
  planner (without statistics) chose it over the search-key order and sorted the catalogue.
- PostgreSQL only: ``pg_trgm`` and a GIN trigram index on the folded search text, so
  ``search_key LIKE '%word%'`` is an index look-up instead of a sequential scan. SQLite keeps
  the plain ``search_key`` index.
"""

from alembic import op

revision = "orders_0002_scale"
down_revision = "orders_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_orders_order_company_status_created", "orders_order",
                    ["company_id", "status", "created_at"], unique=False)
    op.drop_index("ix_orders_product_active", table_name="orders_product")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index("ix_orders_product_search_trgm", "orders_product", ["search_key"],
                        postgresql_using="gin", postgresql_ops={"search_key": "gin_trgm_ops"})


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_orders_product_search_trgm", table_name="orders_product")
    op.create_index("ix_orders_product_active", "orders_product", ["active"], unique=False)
    op.drop_index("ix_orders_order_company_status_created", table_name="orders_order")
