"""Shared event package: every event on the wire, topic definitions, and the channel registry.

Producers and consumers import the same models; the JSON Schema files under
`schemas/jsonschema/` are generated from them (`python -m schemas.generate`).
"""

from schemas.enums import ChannelKind, ItemAction, ItemKind, Platform, RoutedStatus, TimeSource
from schemas.envelope import Event, UtcDatetime, make_event_id
from schemas.events import (
    Campaign,
    DeadLetter,
    InboxItem,
    MediaRef,
    Reply,
    RoutedItem,
    inbox_event_id,
)
from schemas.topics import (
    ALL_EVENTS,
    ALL_TOPICS,
    INBOX_CAMPAIGNS,
    INBOX_DEADLETTER,
    INBOX_ITEMS,
    INBOX_ROUTED,
    INBOX_WORK,
    OUTBOX_REPLIES,
    TopicSpec,
)
from schemas.validation import SchemaValidationError, validate
from schemas.work import WorkEvent

__all__ = [
    "ALL_EVENTS",
    "ALL_TOPICS",
    "INBOX_CAMPAIGNS",
    "INBOX_DEADLETTER",
    "INBOX_ITEMS",
    "INBOX_ROUTED",
    "INBOX_WORK",
    "OUTBOX_REPLIES",
    "Campaign",
    "ChannelKind",
    "DeadLetter",
    "Event",
    "InboxItem",
    "ItemAction",
    "ItemKind",
    "MediaRef",
    "Platform",
    "Reply",
    "RoutedItem",
    "RoutedStatus",
    "SchemaValidationError",
    "TimeSource",
    "TopicSpec",
    "UtcDatetime",
    "WorkEvent",
    "inbox_event_id",
    "make_event_id",
    "validate",
]
