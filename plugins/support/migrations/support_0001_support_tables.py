"""support tables: topics (with the default list), requests, messages, attachments, read state,
canned replies and the yearly number counter

Revision ID: support_0001
Revises:
Create Date: 2026-12-01 22:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "support_0001"
down_revision = None
branch_labels = ("support",)
depends_on = "core_0001"

DEFAULT_TOPICS = [
    # key, English, Turkish
    ("order", "Order", "Sipariş"),
    ("delivery", "Delivery", "Teslimat"),
    ("invoice", "Invoice and payment", "Fatura ve ödeme"),
    ("return", "Return", "İade"),
    ("product", "Product question", "Ürün sorusu"),
    ("account", "Account", "Hesap"),
    ("other", "Other", "Diğer"),
]


def upgrade() -> None:
    op.create_table(
        "support_canned_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_canned_reply")),
    )
    op.create_table(
        "support_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_support_counter")),
    )
    op.create_table(
        "support_topic",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("name_tr", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_topic")),
        sa.UniqueConstraint("key", name=op.f("uq_support_topic_key")),
    )
    op.create_table(
        "support_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("search_key", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("link_type", sa.String(length=30), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("link_label", sa.String(length=200), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("last_public_message_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["portal_user.id"],
            name=op.f("fk_support_request_assignee_id_portal_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["portal_user.id"],
            name=op.f("fk_support_request_author_id_portal_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["customer_company.id"],
            name=op.f("fk_support_request_company_id_customer_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["support_request.id"],
            name=op.f("fk_support_request_merged_into_id_support_request"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["support_topic.id"],
            name=op.f("fk_support_request_topic_id_support_topic"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_request")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_support_request_idempotency_key")),
        sa.UniqueConstraint("number", name=op.f("uq_support_request_number")),
    )
    op.create_index(
        op.f("ix_support_request_assignee_id"), "support_request", ["assignee_id"], unique=False
    )
    op.create_index(
        op.f("ix_support_request_author_id"), "support_request", ["author_id"], unique=False
    )
    op.create_index(
        "ix_support_request_company_activity",
        "support_request",
        ["company_id", "last_activity_at"],
        unique=False,
    )
    op.create_index(
        "ix_support_request_status_created",
        "support_request",
        ["status", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_support_request_topic_id"), "support_request", ["topic_id"], unique=False
    )
    op.create_table(
        "support_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("from_staff", sa.Boolean(), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["portal_user.id"],
            name=op.f("fk_support_message_author_id_portal_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["support_request.id"],
            name=op.f("fk_support_message_request_id_support_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_message")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_support_message_idempotency_key")),
    )
    op.create_index(
        "ix_support_message_request_id_id", "support_message", ["request_id", "id"], unique=False
    )
    op.create_table(
        "support_read_state",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("last_read_message_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["support_request.id"],
            name=op.f("fk_support_read_state_request_id_support_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["portal_user.id"],
            name=op.f("fk_support_read_state_user_id_portal_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", "user_id", name=op.f("pk_support_read_state")),
    )
    op.create_table(
        "support_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("stored_key", sa.String(length=100), nullable=False),
        sa.Column("original_name", sa.String(length=200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["support_message.id"],
            name=op.f("fk_support_attachment_message_id_support_message"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["support_request.id"],
            name=op.f("fk_support_attachment_request_id_support_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_attachment")),
        sa.UniqueConstraint("stored_key", name=op.f("uq_support_attachment_stored_key")),
    )
    op.create_index(
        op.f("ix_support_attachment_message_id"), "support_attachment", ["message_id"], unique=False
    )
    op.create_index(
        op.f("ix_support_attachment_request_id"), "support_attachment", ["request_id"], unique=False
    )

    topic = sa.table(
        "support_topic",
        sa.column("key", sa.String),
        sa.column("name_en", sa.String),
        sa.column("name_tr", sa.String),
        sa.column("position", sa.Integer),
        sa.column("active", sa.Boolean),
    )
    op.bulk_insert(
        topic,
        [
            {"key": key, "name_en": en, "name_tr": tr, "position": index, "active": True}
            for index, (key, en, tr) in enumerate(DEFAULT_TOPICS)
        ],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_support_attachment_request_id"), table_name="support_attachment")
    op.drop_index(op.f("ix_support_attachment_message_id"), table_name="support_attachment")
    op.drop_table("support_attachment")
    op.drop_table("support_read_state")
    op.drop_index("ix_support_message_request_id_id", table_name="support_message")
    op.drop_table("support_message")
    op.drop_index(op.f("ix_support_request_topic_id"), table_name="support_request")
    op.drop_index("ix_support_request_status_created", table_name="support_request")
    op.drop_index("ix_support_request_company_activity", table_name="support_request")
    op.drop_index(op.f("ix_support_request_author_id"), table_name="support_request")
    op.drop_index(op.f("ix_support_request_assignee_id"), table_name="support_request")
    op.drop_table("support_request")
    op.drop_table("support_topic")
    op.drop_table("support_counter")
    op.drop_table("support_canned_reply")
