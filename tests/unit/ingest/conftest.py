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
            from services.common.kafka_publisher import PublishError

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


@pytest.fixture
def connected_registry() -> Any:
    """The shipped registry with platform account ids filled in, as once accounts connect."""
    import yaml

    from schemas.registry import DEFAULT_REGISTRY_PATH, parse_registry

    data = yaml.safe_load(DEFAULT_REGISTRY_PATH.read_text(encoding="utf-8"))
    ids = {
        "twitter:hee_kss": ["2244994945"],
        "facebook:nhshee": ["107654321"],
        "instagram:nhshee": ["17841405822304914"],
        "linkedin:health-education-england": ["urn:li:organization:2414183"],
    }
    for channel in data["channels"]:
        channel["account_ids"] = ids.get(channel["id"], channel.get("account_ids", []))
    return parse_registry(yaml.safe_dump(data), source="connected")
