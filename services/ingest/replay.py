"""Replay a JSON-lines file of raw platform payloads through the normal ingest path.

Each line: {"platform": P, "payload": <raw payload>, "channel": optional registry id or
account, "received_at": optional ISO 8601 instant}. Bad lines become dead letters.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from schemas import DeadLetter
from schemas.registry import ChannelRegistry
from services.common.instants import InstantError, parse_instant
from services.ingest.domain import parse_platform
from services.ingest.pipeline import InboxPublisher, ingest_payload

SOURCE = "ingest.replay"


class ReplayLineError(ValueError):
    """A replay line is not a {"platform", "payload"} object; the message says what is wrong."""


@dataclass
class ReplaySummary:
    """Counts of one replay run."""

    lines: int = 0
    produced: int = 0
    dead_lettered: int = 0
    duplicates: int = 0

    def line(self) -> str:
        """The one-line summary operators read (stable wording)."""
        return (
            f"replayed {self.lines} lines: produced {self.produced}, "
            f"dead-lettered {self.dead_lettered}, duplicates {self.duplicates}"
        )


def _envelope(line: str) -> tuple[dict[str, Any], datetime | None]:
    try:
        record = json.loads(line)
    except RecursionError as err:
        raise ReplayLineError("line is nested too deeply to parse") from err
    except ValueError as err:
        raise ReplayLineError(f"line is not JSON: {err}") from err
    if not isinstance(record, dict) or "platform" not in record or "payload" not in record:
        raise ReplayLineError('line must be an object with "platform" and "payload"')
    if not isinstance(record["platform"], str):
        raise ReplayLineError('"platform" must be a string')
    channel = record.get("channel")
    if channel is not None and not isinstance(channel, str):
        raise ReplayLineError('"channel" must be a string when given')
    received = record.get("received_at")
    if received is None:
        return record, None
    if not isinstance(received, str):
        raise ReplayLineError(
            f"received_at must be an ISO 8601 string, got {type(received).__name__}"
        )
    try:
        return record, parse_instant(received)
    except InstantError as err:
        if err.missing_offset:
            raise ReplayLineError(f"received_at has no UTC offset: {received!r}") from err
        raise ReplayLineError(f"received_at is not ISO 8601: {received[:100]!r}") from err


@dataclass
class Replayer:
    """Feeds lines through normalise → produce, counting what happened."""

    registry: ChannelRegistry
    publisher: InboxPublisher
    clock: Callable[[], datetime]

    def run(
        self, lines: Iterable[str], *, advance: Callable[[], None] = lambda: None
    ) -> ReplaySummary:
        """Replay every non-blank line; PublishError propagates (Kafka failed)."""
        summary = ReplaySummary()
        seen: set[str] = set()
        for line in lines:
            advance()
            if not line.strip():
                continue
            summary.lines += 1
            self._one(line, summary, seen)
        return summary

    def _one(self, line: str, summary: ReplaySummary, seen: set[str]) -> None:
        raw_line = line.strip().encode("utf-8")
        now = self.clock()
        try:
            record, received_at = _envelope(line)
            platform = parse_platform(record["platform"])
            # Re-encoding cannot fail on what json.loads produced, except by depth.
            raw = json.dumps(record["payload"], ensure_ascii=False).encode("utf-8")
        except RecursionError:
            self._reject(ReplayLineError("payload is nested too deeply"), raw_line, now, summary)
            return
        except ValueError as err:
            self._reject(err, raw_line, now, summary)
            return
        outcome = ingest_payload(
            platform=platform,
            raw=raw,
            parsed=record["payload"],
            registry=self.registry,
            publisher=self.publisher,
            source=f"{SOURCE}.{platform.value}",
            now=now,
            channel=record.get("channel"),
            received_at=received_at,
            keep=lambda i: str(i.event_id) not in seen,
        )
        if outcome.dead_letter is not None:
            summary.dead_lettered += 1
            return
        summary.duplicates += len(outcome.items) - len(outcome.published)
        seen.update(str(i.event_id) for i in outcome.published)
        summary.produced += len(outcome.published)

    def _reject(
        self, err: Exception, raw_line: bytes, now: datetime, summary: ReplaySummary
    ) -> None:
        self.publisher.publish_dead_letter(
            DeadLetter.from_error(source=SOURCE, platform=None, error=err, raw=raw_line, now=now)
        )
        summary.dead_lettered += 1
