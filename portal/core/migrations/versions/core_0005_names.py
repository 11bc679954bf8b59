"""profile.name_key, access_group.name_key: one name per folded spelling (Işık = IŞIK = ışık)

Revision ID: core_0005_names
Revises: core_0005_feed
Create Date: 2026-12-02 19:00:00

Existing rows are backfilled with ``portal.core.text.name_key``. Names that already collide
once folded (made before this check existed) keep the oldest row's name; each later one is
renamed to "<name> (<id>)" so the unique index can be built, and the rename is written to the
audit log.
"""

import sqlalchemy as sa
from alembic import op

from portal.core.text import name_key

revision = "core_0005_names"
down_revision = "core_0005_feed"
branch_labels = None
depends_on = None

TABLES = ("profile", "access_group")


def upgrade() -> None:
    conn = op.get_bind()
    audit = sa.table("audit_log", sa.column("at", sa.DateTime(timezone=True)),
                     sa.column("actor_name"), sa.column("action"), sa.column("target_type"),
                     sa.column("target_id"), sa.column("detail", sa.JSON), sa.column("ip"))
    for name in TABLES:
        with op.batch_alter_table(name) as batch:
            batch.add_column(sa.Column("name_key", sa.String(length=200), nullable=False,
                                       server_default=""))
        table = sa.table(name, sa.column("id", sa.Integer), sa.column("name"),
                         sa.column("name_key"))
        seen: set[str] = set()
        for row in conn.execute(sa.select(table.c.id, table.c.name).order_by(table.c.id)):
            new_name, key = row.name, name_key(row.name)[:200]
            if key in seen:
                new_name = f"{row.name[:90]} ({row.id})"
                key = name_key(new_name)[:200]
                conn.execute(audit.insert().values(
                    at=sa.func.current_timestamp(), actor_name="migration core_0005_names",
                    action=f"{'group' if name == 'access_group' else name}.rename",
                    target_type="group" if name == "access_group" else name,
                    target_id=str(row.id), ip="",
                    detail={"from": row.name, "to": new_name}))
            seen.add(key)
            conn.execute(table.update().where(table.c.id == row.id)
                         .values(name=new_name, name_key=key))
        with op.batch_alter_table(name) as batch:
            batch.alter_column("name_key", server_default=None)
            batch.create_unique_constraint(op.f(f"uq_{name}_name_key"), ["name_key"])


def downgrade() -> None:
    for name in TABLES:
        with op.batch_alter_table(name) as batch:
            batch.drop_constraint(op.f(f"uq_{name}_name_key"), type_="unique")
            batch.drop_column("name_key")
