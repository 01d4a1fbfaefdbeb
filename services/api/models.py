"""Tables of the API database. The Alembic migrations in migrations/ create exactly these."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Text, UniqueConstraint, Uuid
from sqlmodel import Field, SQLModel

from services.api.db import UtcDateTime


class Item(SQLModel, table=True):
    """One inbox item as the queues see it: routing facts plus work state."""

    __tablename__ = "item"
    __table_args__ = (
        Index("ix_item_queue_status_sort", "queue", "status", "sort_at", "id"),
        Index("ix_item_channel_change", "channel_id", "change_seq"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: uuid.UUID = Field(sa_type=Uuid, unique=True, description="Inbox item event id.")
    channel_id: str = Field(max_length=200)
    platform: str = Field(max_length=20)
    queue: str = Field(max_length=200, description="The routed queue, or the last reassignment.")
    routed_queue: str = Field(max_length=200, description="The router's queue (routing fold).")
    status: str = Field(max_length=20, description="held, open, claimed, resolved or withdrawn.")
    routing_status: str = Field(max_length=20, description="queued, held or released.")
    rule: str = Field(max_length=200)
    reason: str = Field(max_length=2000)
    hold_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    campaigns: list[str] = Field(default_factory=list, sa_type=JSON)
    payload: dict[str, Any] = Field(sa_type=JSON, description="The InboxItem as on the wire.")
    received_at: datetime = Field(sa_type=UtcDateTime)
    available_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    sort_at: datetime = Field(sa_type=UtcDateTime, description="available_at, or hold_until.")
    claimed_by: str | None = Field(default=None, max_length=200)
    claimed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    escalated: bool = Field(default=False)
    escalation_note: str | None = Field(default=None, max_length=2000)
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    resolved_by: str | None = Field(default=None, max_length=200)
    assignee: str | None = Field(default=None, max_length=200)
    tags: list[str] = Field(default_factory=list, sa_type=JSON)
    moderation: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSON, description="Moderation requests and their outcome."
    )
    sla: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSON, description="SLA flags per target: warning/breached."
    )
    work_key: str | None = Field(
        default=None,
        max_length=100,
        description="Sort key (occurred_at|event_id) of the last work event folded in; an "
        "older event arriving later makes the projector refold the item from its events.",
    )
    change_seq: int = Field(sa_type=BigInteger)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class ItemEvent(SQLModel, table=True):
    """Append-only history and audit log: routing events and every action, with who and when."""

    __tablename__ = "item_event"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    kind: str = Field(max_length=20)
    actor: str = Field(max_length=200)
    actor_kind: str | None = Field(default=None, max_length=10, description="user/token/service.")
    at: datetime = Field(sa_type=UtcDateTime)
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    source_event_id: uuid.UUID | None = Field(
        default=None, sa_type=Uuid, unique=True, description="Routed event id, for idempotency."
    )
    recorded_at: datetime = Field(sa_type=UtcDateTime)


class ApiToken(SQLModel, table=True):
    """A bearer token, stored as the SHA-256 of the secret (the secret itself is never kept)."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    role: str = Field(max_length=10)
    queues: list[str] = Field(default_factory=list, sa_type=JSON)
    channels: list[str] = Field(default_factory=list, sa_type=JSON)
    approver_queues: list[str] = Field(default_factory=list, sa_type=JSON)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class CampaignRow(SQLModel, table=True):
    """A tracked campaign hashtag, as published to inbox.campaigns.v1."""

    __tablename__ = "campaign"

    campaign_id: str = Field(primary_key=True, max_length=100)
    name: str = Field(max_length=200)
    hashtag: str = Field(max_length=140)
    owner_queue: str = Field(max_length=200)
    start_date: date
    end_date: date | None = None
    active: bool = True
    created_by: str = Field(max_length=200)
    created_at: datetime = Field(sa_type=UtcDateTime)


class ChangeCounter(SQLModel, table=True):
    """The single row whose value numbers every change (see db.next_change)."""

    __tablename__ = "change_counter"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    value: int = Field(sa_type=BigInteger)


class ProjectorOffset(SQLModel, table=True):
    """Where the projector stands on each partition, so readiness and metrics know its lag."""

    __tablename__ = "projector_offset"

    topic: str = Field(primary_key=True, max_length=300)
    partition: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    position: int = Field(sa_type=BigInteger)
    end_offset: int = Field(sa_type=BigInteger)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class ReplyKey(SQLModel, table=True):
    """An Idempotency-Key of a reply: a retry with the same key gets the first reply back."""

    __tablename__ = "reply_key"
    __table_args__ = (UniqueConstraint("actor", "key", name="uq_reply_key_actor_key"),)

    id: int | None = Field(default=None, primary_key=True)
    actor: str = Field(max_length=200, description="Token name: keys are per caller.")
    key: str = Field(max_length=200)
    item_id: int = Field(foreign_key="item.id")
    body_sha256: str = Field(max_length=64, description="SHA-256 of item id + reply text.")
    reply_id: uuid.UUID = Field(sa_type=Uuid)
    reply_event_id: uuid.UUID = Field(sa_type=Uuid)
    created_at: datetime = Field(sa_type=UtcDateTime)


class OutboxRow(SQLModel, table=True):
    """An event written in the same transaction as the change it records; the relay sends it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_sent_id", "sent_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(max_length=200, description="Base topic name (the prefix is added).")
    key: str = Field(max_length=300)
    event_id: uuid.UUID = Field(sa_type=Uuid)
    payload: str = Field(sa_type=Text, description="The event's JSON, as it goes on the wire.")
    created_at: datetime = Field(sa_type=UtcDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class AuditEvent(SQLModel, table=True):
    """Every work and admin event folded into this database, by whoever made it (GET /v1/audit).

    Unique by event id: the projector skips an event the API already applied.
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_at_id", "at", "id"),
        Index("ix_audit_actor_at", "actor", "at"),
        Index("ix_audit_item_at", "item_event_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: uuid.UUID = Field(sa_type=Uuid, unique=True)
    topic: str = Field(max_length=200, description="Base topic name: inbox.work.v1 or admin.")
    action: str = Field(max_length=40)
    actor_kind: str = Field(max_length=10)
    actor: str = Field(max_length=200)
    subject: str = Field(max_length=200, description="Item event id, token, campaign or user.")
    item_event_id: uuid.UUID | None = Field(default=None, sa_type=Uuid)
    at: datetime = Field(sa_type=UtcDateTime)
    payload: dict[str, Any] = Field(sa_type=JSON, description="The event as on the wire.")
    recorded_at: datetime = Field(sa_type=UtcDateTime)


class ReplyRow(SQLModel, table=True):
    """A reply and where it stands: folded from the reply_* work events of its item."""

    __tablename__ = "reply"

    reply_id: uuid.UUID = Field(sa_type=Uuid, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    author: str = Field(max_length=200)
    author_kind: str = Field(max_length=10)
    text: str = Field(sa_type=Text)
    status: str = Field(
        max_length=20,
        description="pending_approval, approved, rejected, queued, sent or failed.",
    )
    verdict: str = Field(max_length=10)
    findings: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    acknowledged: list[str] = Field(default_factory=list, sa_type=JSON)
    submitted_at: datetime = Field(sa_type=UtcDateTime)
    decided_by: str | None = Field(default=None, max_length=200)
    decided_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    decision_note: str | None = Field(default=None, max_length=2000)
    platform_reply_id: str | None = Field(default=None, max_length=200)
    permalink: str | None = Field(default=None, max_length=2000)
    attempts: int = Field(default=0)
    failure: str | None = Field(default=None, max_length=20)
    error: str | None = Field(default=None, max_length=2000)
    retryable: bool | None = Field(default=None)
    updated_at: datetime = Field(sa_type=UtcDateTime)
