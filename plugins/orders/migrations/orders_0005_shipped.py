"""orders: each order line keeps its shipped quantity

Revision ID: orders_0005_shipped
Revises: orders_0004_idem
Create Date: 2026-12-04 14:45:00

The statement and the dashboard's open-orders panel summed, for every line of every order in
progress, the goods-issue lines linked to it; now the orders plugin keeps that sum on the order
line (``shipped_quantity``, refreshed in the flush that writes the goods-issue lines) and the
totals read only the order lines. Backfilled here from the goods issues that are not cancelled.
"""

import sqlalchemy as sa
from alembic import op

revision = "orders_0005_shipped"
down_revision = "orders_0004_idem"
branch_labels = None
depends_on = "documents_0001"

BACKFILL = """
UPDATE orders_order_line SET shipped_quantity = (
    SELECT COALESCE(SUM(dl.quantity), 0)
    FROM document_line dl JOIN document d ON d.id = dl.document_id
    WHERE d.doc_type = 'goods_issue' AND d.status != 'cancelled'
      AND dl.origin_kind = 'orders.order_line'
      AND dl.origin_ref = CAST(orders_order_line.id AS VARCHAR(100)))
WHERE EXISTS (
    SELECT 1 FROM document_line dl
    WHERE dl.origin_kind = 'orders.order_line'
      AND dl.origin_ref = CAST(orders_order_line.id AS VARCHAR(100)))
"""


def upgrade() -> None:
    with op.batch_alter_table("orders_order_line") as batch:
        batch.add_column(sa.Column("shipped_quantity", sa.Numeric(18, 4), nullable=False,
                                   server_default="0"))
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("orders_order_line") as batch:
        batch.drop_column("shipped_quantity")
