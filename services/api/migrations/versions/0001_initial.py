"""Initial schema: items, their append-only history, tokens, campaigns, projector offsets.

Revision ID: 0001
Revises:
Create Date: 2026-05-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)

_PG_APPEND_ONLY = """
CREATE FUNCTION item_event_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'item_event is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER item_event_no_update BEFORE UPDATE OR DELETE ON item_event
  FOR EACH ROW EXECUTE FUNCTION item_event_append_only();
"""

_SQLITE_APPEND_ONLY = (
    "CREATE TRIGGER item_event_no_update BEFORE UPDATE ON item_event "
    "BEGIN SELECT RAISE(ABORT, 'item_event is append-only'); END",
    "CREATE TRIGGER item_event_no_delete BEFORE DELETE ON item_event "
    "BEGIN SELECT RAISE(ABORT, 'item_event is append-only'); END",
)


def upgrade() -> None:
    op.create_table(
        "item",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.Uuid(), nullable=False, unique=True),
        sa.Column("channel_id", sa.String(200), nullable=False),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("queue", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("routing_status", sa.String(20), nullable=False),
        sa.Column("rule", sa.String(200), nullable=False),
        sa.Column("reason", sa.String(2000), nullable=False),
        sa.Column("hold_until", TS, nullable=True),
        sa.Column("campaigns", sa.JSON(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("available_at", TS, nullable=True),
        sa.Column("sort_at", TS, nullable=False),
        sa.Column("claimed_by", sa.String(200), nullable=True),
        sa.Column("claimed_at", TS, nullable=True),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("escalation_note", sa.String(2000), nullable=True),
        sa.Column("resolved_at", TS, nullable=True),
        sa.Column("resolved_by", sa.String(200), nullable=True),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_item_queue_status_sort", "item", ["queue", "status", "sort_at", "id"])
    op.create_index("ix_item_channel_change", "item", ["channel_id", "change_seq"])
    op.create_table(
        "item_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("item.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("source_event_id", sa.Uuid(), nullable=True, unique=True),
        sa.Column("recorded_at", TS, nullable=False),
    )
    op.create_index("ix_item_event_item_id", "item_event", ["item_id"])
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("queues", sa.JSON(), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
    )
    op.create_table(
        "campaign",
        sa.Column("campaign_id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("hashtag", sa.String(140), nullable=False),
        sa.Column("owner_queue", sa.String(200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    counter = op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
    )
    op.bulk_insert(counter, [{"id": 1, "value": 0}])
    op.create_table(
        "projector_offset",
        sa.Column("topic", sa.String(300), primary_key=True),
        sa.Column("partition", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("end_offset", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_APPEND_ONLY)
    else:
        for statement in _SQLITE_APPEND_ONLY:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS item_event_no_update ON item_event")
        op.execute("DROP FUNCTION IF EXISTS item_event_append_only()")
    for table in ("projector_offset", "change_counter", "campaign", "api_token", "item_event"):
        op.drop_table(table)
    op.drop_index("ix_item_channel_change", table_name="item")
    op.drop_index("ix_item_queue_status_sort", table_name="item")
    op.drop_table("item")
