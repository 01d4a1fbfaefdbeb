"""The demo stream is deterministic and every payload is one the real ingest path accepts."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from schemas import Platform
from schemas.registry import ChannelRegistry, load_registry
from services.ingest.pipeline import normalise_bytes
from services.supervisor.demo import CAMPAIGN_HASHTAG, Delivery, demo_stream
from services.supervisor.demo_run import write_demo_registry

START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_registry(tmp_path_factory: pytest.TempPathFactory) -> ChannelRegistry:
    from schemas.registry import DEFAULT_REGISTRY_PATH

    path = write_demo_registry(base=DEFAULT_REGISTRY_PATH, run_dir=tmp_path_factory.mktemp("run"))
    return load_registry(path)


def _normalise(d: Delivery, registry: ChannelRegistry):  # type: ignore[no-untyped-def]
    raw = d.payload.encode() if isinstance(d.payload, str) else json.dumps(d.payload).encode()
    return normalise_bytes(
        platform=Platform(d.platform),
        raw=raw,
        registry=registry,
        source="test",
        now=START,
        channel=d.channel,
        received_at=d.received_at,
    )


def test_same_seed_and_start_give_the_same_stream() -> None:
    assert demo_stream(seed=7, start=START) == demo_stream(seed=7, start=START)
    assert demo_stream(seed=7, start=START) != demo_stream(seed=8, start=START)


def test_stream_reaches_every_platform_and_kind_of_channel(demo_registry: ChannelRegistry) -> None:
    stream = demo_stream(seed=7, start=START)
    assert {d.platform for d in stream} == {p.value for p in Platform}
    queues: Counter[str] = Counter()
    dead = 0
    hashtags = 0
    for d in stream:
        outcome = _normalise(d, demo_registry)
        if outcome.dead_letter is not None:
            dead += 1
            continue
        for item in outcome.items:
            channel = demo_registry.get(item.channel_id)
            queues[channel.queue if channel else "triage"] += 1
            hashtags += CAMPAIGN_HASHTAG in item.hashtags
            assert item.created_at <= START
    assert dead == 2  # the two malformed payloads, and nothing else
    assert queues["press"] and queues["digital"] and queues["triage"] == 1
    assert any(q.startswith("local:") for q in queues)
    assert any(q.startswith("programme:") for q in queues)
    assert hashtags > 0


def test_demo_registry_only_adds_placeholder_ids(tmp_path: Path) -> None:
    from schemas.registry import DEFAULT_REGISTRY_PATH

    base = load_registry()
    demo = load_registry(write_demo_registry(base=DEFAULT_REGISTRY_PATH, run_dir=tmp_path))
    assert [c.id for c in demo] == [c.id for c in base]
    assert [c.queue for c in demo] == [c.queue for c in base]
    fb = demo.resolve("104000000000001", Platform.FACEBOOK)
    assert fb is not None
    assert fb.id == "facebook:nhshee"
