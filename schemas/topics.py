"""Kafka topics: names, partitioning and retention live beside the models they carry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from schemas.admin import AdminEvent
from schemas.envelope import Event
from schemas.events import Campaign, DeadLetter, InboxItem, Reply, RoutedItem
from schemas.work import WorkEvent


@dataclass(frozen=True)
class TopicSpec:
    """A topic's definition. `name` is the base name; deployments may add a prefix."""

    name: str
    value_model: type[Event]
    key: str
    partitions: int
    cleanup_policy: Literal["delete", "compact"] = "delete"
    retention_ms: int | None = None
    extra_config: dict[str, str] = field(default_factory=dict)

    def qualified(self, prefix: str = "") -> str:
        """Topic name with a deployment prefix (used to isolate test runs on one broker)."""
        return f"{prefix}{self.name}"

    def config(self) -> dict[str, str]:
        """Topic-level configs for creation."""
        cfg = {"cleanup.policy": self.cleanup_policy, **self.extra_config}
        if self.retention_ms is not None:
            cfg["retention.ms"] = str(self.retention_ms)
        return cfg


_WEEK_MS = 7 * 24 * 3600 * 1000

INBOX_ITEMS = TopicSpec(
    name="inbox.items.v1",
    value_model=InboxItem,
    key="channel_id",
    partitions=6,
    retention_ms=30 * 24 * 3600 * 1000,
)
INBOX_ROUTED = TopicSpec(
    name="inbox.routed.v1",
    value_model=RoutedItem,
    key="channel_id",
    partitions=6,
    # The projector rebuilds the database from this topic: keep it.
    retention_ms=-1,
)
INBOX_DEADLETTER = TopicSpec(
    name="inbox.deadletter.v1",
    value_model=DeadLetter,
    key="source",
    partitions=1,
    retention_ms=-1,
)
INBOX_CAMPAIGNS = TopicSpec(
    name="inbox.campaigns.v1",
    value_model=Campaign,
    key="campaign_id",
    partitions=1,
    cleanup_policy="compact",
)
OUTBOX_REPLIES = TopicSpec(
    name="outbox.replies.v1",
    value_model=Reply,
    key="channel_id",
    partitions=6,
    retention_ms=4 * _WEEK_MS,
)

INBOX_WORK = TopicSpec(
    name="inbox.work.v1",
    value_model=WorkEvent,
    # One item's work events stay in order: they share a partition.
    key="item_event_id",
    partitions=6,
    # With inbox.routed.v1, the log the API database is rebuilt from: keep it.
    retention_ms=-1,
)

INBOX_ADMIN = TopicSpec(
    name="inbox.admin.v1",
    value_model=AdminEvent,
    # Tokens, users and campaigns change rarely; one partition keeps them in one order.
    key="subject",
    partitions=1,
    # Rebuild restores tokens, users and campaigns from it, and the audit log shows it: keep it.
    retention_ms=-1,
)

ALL_TOPICS: tuple[TopicSpec, ...] = (
    INBOX_ITEMS,
    INBOX_ROUTED,
    INBOX_DEADLETTER,
    INBOX_CAMPAIGNS,
    OUTBOX_REPLIES,
    INBOX_WORK,
    INBOX_ADMIN,
)

ALL_EVENTS: tuple[type[Event], ...] = tuple(dict.fromkeys(t.value_model for t in ALL_TOPICS))
"""Every event type on the wire, once each, in topic order."""
