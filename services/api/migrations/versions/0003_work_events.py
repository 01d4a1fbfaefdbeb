"""Work events: the outbox, the audit log, replies, and the item's new work-state columns.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Existing items keep their state; `routed_queue` starts equal to `queue` (a reassignment
made before this migration is then taken as the router's answer, the best the old schema knows).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    # Plain ADD COLUMN (no batch table copy): SQLite keeps item_event's append-only triggers.
    op.add_column(
        "item", sa.Column("routed_queue", sa.String(200), nullable=False, server_default="")
    )
    op.execute("UPDATE item SET routed_queue = queue")
    op.add_column("item", sa.Column("assignee", sa.String(200), nullable=True))
    op.add_column("item", sa.Column("tags", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column("item", sa.Column("moderation", sa.JSON(), nullable=False, server_default="{}"))
    op.add_column("item", sa.Column("sla", sa.JSON(), nullable=False, server_default="{}"))
    op.add_column("item", sa.Column("work_key", sa.String(100), nullable=True))
    op.add_column("item_event", sa.Column("actor_kind", sa.String(10), nullable=True))
    op.add_column(
        "api_token", sa.Column("approver_queues", sa.JSON(), nullable=False, server_default="[]")
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS, nullable=True),
    )
    op.create_index("ix_outbox_sent_id", "outbox", ["sent_at", "id"])
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.Uuid(), nullable=False, unique=True),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("actor_kind", sa.String(10), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("item_event_id", sa.Uuid(), nullable=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
    )
    op.create_index("ix_audit_at_id", "audit_event", ["at", "id"])
    op.create_index("ix_audit_actor_at", "audit_event", ["actor", "at"])
    op.create_index("ix_audit_item_at", "audit_event", ["item_event_id", "at"])
    op.create_table(
        "reply",
        sa.Column("reply_id", sa.Uuid(), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("item.id"), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("author_kind", sa.String(10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("verdict", sa.String(10), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("acknowledged", sa.JSON(), nullable=False),
        sa.Column("submitted_at", TS, nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("decision_note", sa.String(2000), nullable=True),
        sa.Column("platform_reply_id", sa.String(200), nullable=True),
        sa.Column("permalink", sa.String(2000), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("failure", sa.String(20), nullable=True),
        sa.Column("error", sa.String(2000), nullable=True),
        sa.Column("retryable", sa.Boolean(), nullable=True),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_reply_item_id", "reply", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_reply_item_id", "reply")
    op.drop_table("reply")
    op.drop_table("audit_event")
    op.drop_table("outbox")
    for table, column in (
        ("api_token", "approver_queues"),
        ("item_event", "actor_kind"),
        ("item", "work_key"),
        ("item", "sla"),
        ("item", "moderation"),
        ("item", "tags"),
        ("item", "assignee"),
        ("item", "routed_queue"),
    ):
        op.drop_column(table, column)
