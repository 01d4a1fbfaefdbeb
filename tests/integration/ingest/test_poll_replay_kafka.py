"""Pollers and replay against the real broker."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from pydantic import SecretStr
from typer.testing import CliRunner

from schemas import INBOX_DEADLETTER, INBOX_ITEMS, InboxItem, Platform, validate
from schemas.registry import ChannelRegistry
from services.common.kafka_publisher import KafkaPublisher
from services.common.settings import KafkaSettings
from services.demo import payloads
from services.ingest.cli import app
from services.ingest.pollers.adapters import adapters
from services.ingest.pollers.cursor import CursorStore
from services.ingest.pollers.http import Retry
from services.ingest.pollers.runner import Poller
from services.ingest.settings import IngestSettings, PollTarget
from tests.integration.ingest.conftest import read_topic

T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)
TARGET = PollTarget(
    platform=Platform.LINKEDIN,
    channel="linkedin:health-education-england",
    target="urn:li:activity:42",
)


def linkedin_page(count: int) -> dict[str, object]:
    """The recorded comments list, as LinkedIn returns it (oldest first)."""
    elements = []
    for n in range(1, count + 1):
        page = payloads.linkedin_comments(
            post_urn="urn:li:activity:42",
            comment_id=str(n),
            text=f"comment {n}",
            actor=f"urn:li:person:p{n}",
            created_at=T0 + timedelta(minutes=n),
        )
        elements += page["elements"]
    return {"paging": {"start": 0, "count": 50, "total": count}, "elements": elements}


def run_poller(tmp_path: Path, kafka: KafkaSettings, registry: ChannelRegistry, count: int) -> int:
    """One round by a freshly started poller process (new objects, same cursor file)."""
    publisher = KafkaPublisher(kafka=kafka, timeout_s=15)
    transport = httpx.MockTransport(lambda _r: httpx.Response(200, json=linkedin_page(count)))
    poller = Poller(
        adapters=adapters(IngestSettings(linkedin_token=SecretStr("t"))),
        client=httpx.Client(transport=transport),
        store=CursorStore(tmp_path / "ingest" / "cursors.sqlite3"),
        registry=registry,
        publisher=publisher,
        retry=Retry(attempts=1),
        clock=lambda: T0 + timedelta(hours=1),
    )
    try:
        (result,) = poller.poll_all([TARGET])
    finally:
        publisher.close()
    return result.produced


def test_poller_resumes_from_its_cursor_after_a_restart(
    tmp_path: Path, kafka_settings: KafkaSettings, registry: ChannelRegistry
) -> None:
    assert run_poller(tmp_path, kafka_settings, registry, count=2) == 2
    # Restart while offline-then-online: three new comments arrived; only they are produced.
    assert run_poller(tmp_path, kafka_settings, registry, count=5) == 3
    records = read_topic(kafka_settings, INBOX_ITEMS, expect=5)
    items = [validate(v, InboxItem) for _, v in records]
    assert sorted(i.text for i in items) == [f"comment {n}" for n in range(1, 6)]
    assert {k for k, _ in records} == {b"linkedin:health-education-england"}
    assert len({i.event_id for i in items}) == 5


def test_replay_summary_counts_duplicates(tmp_path: Path, kafka_settings: KafkaSettings) -> None:
    tweet = payloads.twitter_mention_webhook(
        for_user_id="1",
        addressed_handle="HEE_Wessex",
        tweet_id="1860000000000000077",
        text="question",
        created_at=T0,
        author_id="2",
        author_handle="a",
    )
    ig = payloads.instagram_comment_webhook(
        account_id="nhshee",
        comment_id="1",
        media_id="2",
        text="hi",
        author_id="3",
        author_handle="b",
        sent_at=T0,
    )
    lines = [
        {"platform": "twitter", "payload": tweet},
        {"platform": "twitter", "payload": tweet},
        {"platform": "instagram", "payload": ig, "received_at": "2026-11-23T09:00:00+00:00"},
        {"platform": "youtube", "payload": {"kind": "nonsense"}},
    ]
    file = tmp_path / "replay.jsonl"
    file.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    env = {
        "SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS": kafka_settings.bootstrap_servers,
        "SWITCHBOARD_KAFKA_TOPIC_PREFIX": kafka_settings.topic_prefix,
    }
    r = CliRunner().invoke(app, ["replay", str(file)], env=env)
    assert r.exit_code == 0, r.output
    assert r.stdout.strip().splitlines()[-1] == (
        "replayed 4 lines: produced 2, dead-lettered 1, duplicates 1"
    )
    assert len(read_topic(kafka_settings, INBOX_ITEMS, expect=2)) == 2
    ((key, _),) = read_topic(kafka_settings, INBOX_DEADLETTER, expect=1)
    assert key == b"ingest.replay.youtube"


def test_replay_exits_1_when_kafka_fails(tmp_path: Path, kafka_settings: KafkaSettings) -> None:
    file = tmp_path / "one.jsonl"
    fb = payloads.facebook_mention_webhook(
        page_id="nhshee", post_id="1_2", sender_id="1", sender_name="x", created_at=T0
    )
    file.write_text(json.dumps({"platform": "facebook", "payload": fb}) + "\n", encoding="utf-8")
    env = {
        "SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",
        "SWITCHBOARD_KAFKA_TOPIC_PREFIX": kafka_settings.topic_prefix,
        "SWITCHBOARD_INGEST_PUBLISH_TIMEOUT_S": "2",
    }
    r = CliRunner().invoke(app, ["replay", str(file)], env=env)
    assert r.exit_code == 1 and "Kafka unreachable" in r.stderr
