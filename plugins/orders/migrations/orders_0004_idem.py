"""orders: an idempotency key is unique per company, not across companies

Revision ID: orders_0004_idem
Revises: orders_0003_catalogue
Create Date: 2026-12-02 20:30:00

A key another company happened to use (or chose on purpose) made the second company's order
fail on the unique constraint; now each company's keys are its own.
"""

from alembic import op

revision = "orders_0004_idem"
down_revision = "orders_0003_catalogue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders_order") as batch:
        batch.drop_constraint("uq_orders_order_idempotency_key", type_="unique")
        batch.create_unique_constraint("uq_orders_order_company_id_idempotency_key",
                                       ["company_id", "idempotency_key"])


def downgrade() -> None:
    with op.batch_alter_table("orders_order") as batch:
        batch.drop_constraint("uq_orders_order_company_id_idempotency_key", type_="unique")
        batch.create_unique_constraint("uq_orders_order_idempotency_key", ["idempotency_key"])
