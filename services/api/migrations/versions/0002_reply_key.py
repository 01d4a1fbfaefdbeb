"""Idempotency keys of replies (POST /v1/items/{id}/reply with an Idempotency-Key header).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reply_key",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("item.id"), nullable=False),
        sa.Column("body_sha256", sa.String(64), nullable=False),
        sa.Column("reply_id", sa.Uuid(), nullable=False),
        sa.Column("reply_event_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("actor", "key", name="uq_reply_key_actor_key"),
    )


def downgrade() -> None:
    op.drop_table("reply_key")
