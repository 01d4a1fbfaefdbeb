"""A fake of the API's Publisher port, for tests whose behaviour does not cross the broker.

API routes never publish directly (every event goes through the outbox and the relay), so
route tests get this instead of a KafkaPublisher; it records what it is asked to send, and a
test can assert that nothing was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.envelope import Event
from schemas.topics import TopicSpec


@dataclass
class RecordingPublisher:
    """Keeps (topic name, key, event) of every publish; `closed` once closed."""

    sent: list[tuple[str, str, Event]] = field(default_factory=list)
    closed: bool = False

    def publish(self, spec: TopicSpec, *, key: str, event: Event) -> None:
        self.sent.append((spec.name, key, event))

    def close(self) -> None:
        self.closed = True
