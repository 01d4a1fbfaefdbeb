"""Helpers for ingest unit tests: fixture payloads and a publisher that records."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from schemas import DeadLetter, InboxItem

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ingest"


def load(name: str) -> Any:
    """A checked-in sample payload."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class RecordingPublisher:
    """Stands in for Kafka where the HTTP/CLI layer is under test; the integration tests
    cover the real broker. `fail` makes every publish raise PublishError."""

    def __init__(self, *, fail: bool = False) -> None:
        self.items: list[InboxItem] = []
        self.dead_letters: list[DeadLetter] = []
        self.fail = fail

    def _check(self) -> None:
        if self.fail:
            from services.ingest.publisher import PublishError

            raise PublishError("Kafka unreachable (test)")

    def publish_items(self, items: Sequence[InboxItem]) -> None:
        self._check()
        self.items.extend(items)

    def publish_dead_letter(self, letter: DeadLetter) -> None:
        self._check()
        self.dead_letters.append(letter)

    def close(self) -> None:
        pass


@pytest.fixture
def publisher() -> RecordingPublisher:
    return RecordingPublisher()
