"""The platform's item id on items, and platform changes (edits, deletions, hides).

Changes find their item by the platform id; copies of one post addressed to several of our
accounts are linked by it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "item", sa.Column("platform_item_id", sa.String(200), nullable=False, server_default="")
    )
    # Existing rows: the id is in the stored InboxItem.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE item SET platform_item_id = payload->>'platform_item_id'")
    else:
        op.execute("UPDATE item SET platform_item_id = json_extract(payload, '$.platform_item_id')")
    op.create_index("ix_item_platform_item", "item", ["platform", "platform_item_id"])
    op.create_table(
        "platform_change",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("change_event_id", sa.Uuid(), nullable=False, unique=True),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("platform_item_id", sa.String(200), nullable=False),
        sa.Column("channel_id", sa.String(200), nullable=False),
        sa.Column("channel_known", sa.Boolean(), nullable=False),
        sa.Column("routed", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_platform_change_post", "platform_change", ["platform", "platform_item_id"])


def downgrade() -> None:
    op.drop_table("platform_change")
    op.drop_index("ix_item_platform_item", "item")
    op.drop_column("item", "platform_item_id")
