"""The envelope every event carries, and the datetime rules that all events share."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

# A fixed namespace so that event ids are reproducible across processes, hosts and replays.
EVENT_NAMESPACE = uuid.UUID("4f5c0c2e-8b1d-5a57-9a3e-5b0f8e3c7d21")


def _require_aware_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware (naive datetimes are ambiguous)")
    return value.astimezone(UTC)


UtcDatetime = Annotated[
    datetime,
    AfterValidator(_require_aware_utc),
    Field(description="Timezone-aware instant, normalised to UTC."),
]


def make_event_id(*parts: str) -> uuid.UUID:
    """Derive a deterministic event id from the parts that identify an event.

    The same platform item seen twice (webhook retry, overlapping poll, replay) yields the
    same id, which is what lets every consumer skip duplicates.
    """
    if not parts or any(not p for p in parts):
        raise ValueError("event id parts must be non-empty strings")
    return uuid.uuid5(EVENT_NAMESPACE, "\x1f".join(parts))


class Event(BaseModel):
    """Base for every event on the wire: immutable, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)

    # Each concrete event names itself; the version lives on the wire as `schema_version`.
    SCHEMA_NAME: ClassVar[str] = "event"

    event_id: uuid.UUID = Field(
        description="Deterministic id (uuid5) of this event; equal ids mean the same event."
    )
    schema_version: int = Field(
        default=1, description="Version of this event type's schema; a new version is a new type."
    )
    occurred_at: UtcDatetime = Field(description="When the event happened, in UTC.")

    @classmethod
    def schema_label(cls) -> str:
        """Name and version, as used in validation errors and JSON Schema titles."""
        version = cls.model_fields["schema_version"].default
        return f"{cls.SCHEMA_NAME} v{version}"

    def to_bytes(self) -> bytes:
        """Serialise to the JSON bytes that go on the wire."""
        return self.model_dump_json().encode("utf-8")
