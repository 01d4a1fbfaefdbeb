"""Ingest's consumers of platform data on the real broker: poison in, dead letter out, go on.

The poller and replay read what platforms (or files) hand them; a payload that breaks the
normaliser becomes a dead letter naming the field, and the next target or line still goes
through. A dead letter of a 1 MiB body fits in one Kafka message.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

from schemas import INBOX_DEADLETTER, INBOX_ITEMS, DeadLetter, InboxItem, Platform, validate
from schemas.registry import ChannelRegistry
from services.common.kafka_publisher import KafkaPublisher
from services.common.settings import KafkaSettings
from services.ingest.pipeline import ingest_payload
from services.ingest.pollers.adapters import adapters
from services.ingest.pollers.cursor import CursorStore
from services.ingest.pollers.http import Retry
from services.ingest.pollers.runner import Poller
from services.ingest.replay import Replayer
from services.ingest.settings import IngestSettings, PollTarget
from tests.integration.ingest.conftest import read_topic
from tests.unit.ingest.conftest import load

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
LINKEDIN = "linkedin:health-education-england"


def poisoned_linkedin() -> dict[str, Any]:
    page: dict[str, Any] = load("linkedin_comments.json")
    page["elements"][0]["lastModified"] = "yesterday"  # an object everywhere else
    return page


def test_poller_dead_letters_a_poison_page_and_polls_the_next_target(
    tmp_path: Path, kafka_settings: KafkaSettings, registry: ChannelRegistry
) -> None:
    poison = PollTarget(platform=Platform.LINKEDIN, channel=LINKEDIN, target="urn:li:activity:1")
    good = PollTarget(platform=Platform.LINKEDIN, channel=LINKEDIN, target="urn:li:activity:2")

    def answer(request: httpx.Request) -> httpx.Response:
        if "activity%3A1" in str(request.url) or "activity:1" in str(request.url):
            return httpx.Response(200, json=poisoned_linkedin())
        return httpx.Response(200, json=load("linkedin_comments.json"))

    publisher = KafkaPublisher(kafka=kafka_settings, timeout_s=15)
    poller = Poller(
        adapters=adapters(IngestSettings(linkedin_token=SecretStr("t"))),
        client=httpx.Client(transport=httpx.MockTransport(answer)),
        store=CursorStore(tmp_path / "cursors.sqlite3"),
        registry=registry,
        publisher=publisher,
        retry=Retry(attempts=1),
        clock=lambda: NOW,
    )
    try:
        first, second = poller.poll_all([poison, good])
    finally:
        publisher.close()
    assert (first.dead_lettered, first.produced) == (1, 0)
    assert second.produced > 0 and second.dead_lettered == 0
    ((key, value),) = read_topic(kafka_settings, INBOX_DEADLETTER, expect=1)
    letter = validate(value, DeadLetter)
    assert key == b"ingest.poll.linkedin" and "elements[0]" in letter.error
    items = [validate(v, InboxItem) for _, v in read_topic(kafka_settings, INBOX_ITEMS, expect=1)]
    assert items and all(i.channel_id == LINKEDIN for i in items)


def test_replay_dead_letters_a_poison_line_and_replays_the_next(
    kafka_settings: KafkaSettings, registry: ChannelRegistry
) -> None:
    lines = [
        json.dumps({"platform": "linkedin", "payload": poisoned_linkedin(), "channel": LINKEDIN}),
        '{"platform": "twitter", "payload": ' + "[" * 100_000,
        json.dumps({"platform": "twitter", "payload": load("twitter_aaa_tweet_create.json")}),
    ]
    publisher = KafkaPublisher(kafka=kafka_settings, timeout_s=15)
    try:
        summary = Replayer(registry=registry, publisher=publisher, clock=lambda: NOW).run(lines)
    finally:
        publisher.close()
    assert (summary.lines, summary.dead_lettered) == (3, 2) and summary.produced > 0
    letters = [
        validate(v, DeadLetter) for _, v in read_topic(kafka_settings, INBOX_DEADLETTER, expect=2)
    ]
    assert any("elements[0]" in d.error for d in letters)
    assert any("nested too deeply" in d.error for d in letters)
    assert read_topic(kafka_settings, INBOX_ITEMS, expect=1)


def test_the_dead_letter_of_a_one_mib_body_reaches_the_broker(
    kafka_settings: KafkaSettings, registry: ChannelRegistry
) -> None:
    raw = b"\x01" * (1024 * 1024)  # not JSON; escaped, six bytes per byte
    publisher = KafkaPublisher(kafka=kafka_settings, timeout_s=15)
    try:
        outcome = ingest_payload(
            platform=Platform.FACEBOOK,
            raw=raw,
            registry=registry,
            publisher=publisher,
            source="ingest.webhook.facebook",
            now=NOW,
        )
    finally:
        publisher.close()
    assert outcome.dead_letter is not None
    ((_, value),) = read_topic(kafka_settings, INBOX_DEADLETTER, expect=1)
    letter = validate(value, DeadLetter)
    assert letter.payload_truncated and letter.payload_size == len(raw)
    assert raw.startswith(letter.payload.encode())
