"""customer_company.code_key and prefix indexes: staff type a company's code or name instead of
picking it from a list of every company (``portal.core.lookup``)

Revision ID: core_0007_company_lookup
Revises: core_0006_device_generation
Create Date: 2026-12-06 21:00:00

- ``code_key``: the ERP account code folded like ``search_key`` (``portal.core.text``), so a
  typed code matches whatever its case or its I/ı/İ; backfilled here, kept by a mapper event.
- PostgreSQL only: ``varchar_pattern_ops`` indexes on ``search_key`` and ``code_key``, so the
  look-up's ``LIKE 'prefix%'`` reads an index under any database collation. SQLite reads the
  plain indexes through the look-up's range condition.
"""

import sqlalchemy as sa
from alembic import op

from portal.core.text import search_key

revision = "core_0007_company_lookup"
down_revision = "core_0006_device_generation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customer_company", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code_key", sa.String(length=100), nullable=True))
    companies = sa.table("customer_company", sa.column("id", sa.Integer),
                         sa.column("external_id"), sa.column("code_key"))
    conn = op.get_bind()
    for row in conn.execute(sa.select(companies.c.id, companies.c.external_id)
                            .where(companies.c.external_id.is_not(None))).all():
        conn.execute(companies.update().where(companies.c.id == row.id)
                     .values(code_key=search_key(row.external_id)[:100] or None))
    op.create_index("ix_customer_company_code_key", "customer_company", ["code_key"])
    if conn.dialect.name == "postgresql":
        op.create_index("ix_customer_company_search_prefix", "customer_company", ["search_key"],
                        postgresql_ops={"search_key": "varchar_pattern_ops"})
        op.create_index("ix_customer_company_code_prefix", "customer_company", ["code_key"],
                        postgresql_ops={"code_key": "varchar_pattern_ops"})


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_customer_company_code_prefix", table_name="customer_company")
        op.drop_index("ix_customer_company_search_prefix", table_name="customer_company")
    op.drop_index("ix_customer_company_code_key", table_name="customer_company")
    with op.batch_alter_table("customer_company", schema=None) as batch_op:
        batch_op.drop_column("code_key")
