"""`ingest poll --once` against a loopback fake platform, producing to the real broker:
a backlog past the page limit, a restart mid-backlog, and recovery after a webhook outage."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from schemas import INBOX_ITEMS, InboxItem, Platform, validate
from schemas.registry import ChannelRegistry
from services.common.kafka_publisher import KafkaPublisher
from services.common.settings import KafkaSettings
from services.demo import payloads
from services.ingest.cli import app
from services.ingest.health import read_health
from services.ingest.pipeline import ingest_payload
from tests.fakes.platform import FakePlatform
from tests.integration.ingest.conftest import read_topic

T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)


def poll_once(
    tmp_path: Path, kafka: KafkaSettings, base: str, targets: list[dict[str, str]]
) -> str:
    env = {
        "SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
        "SWITCHBOARD_KAFKA_TOPIC_PREFIX": kafka.topic_prefix,
        "SWITCHBOARD_DATA_DIR": str(tmp_path),
        "SWITCHBOARD_INGEST_SANDBOX_URL": base,
        "SWITCHBOARD_INGEST_POLL_TARGETS": json.dumps(targets),
        "SWITCHBOARD_INGEST_POLL_MAX_PAGES": "2",
        "SWITCHBOARD_INGEST_POLL_MAX_ATTEMPTS": "1",
        "SWITCHBOARD_INGEST_X_BEARER_TOKEN": "x-token",
        "SWITCHBOARD_INGEST_FACEBOOK_PAGE_TOKEN": "fb-token",
    }
    result = CliRunner().invoke(app, ["poll", "--once"], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


X = {"platform": "twitter", "channel": "twitter:hee_kss", "target": "2244994945"}
FB = {"platform": "facebook", "channel": "facebook:nhshee", "target": "107654321"}


def test_backlog_past_the_page_limit_is_finished_next_round_not_skipped(
    tmp_path: Path, kafka_settings: KafkaSettings
) -> None:
    fake = FakePlatform(page_size=2)
    fake.tweets += [(n, f"q{n}", T0 + timedelta(seconds=n)) for n in range(1, 8)]
    with fake.serve() as base:
        first = poll_once(tmp_path, kafka_settings, base, [X])
        assert "produced 4" in first and "backlog resumes next round" in first
        # A new process (the cursor file is all that carries over) finishes the backlog.
        second = poll_once(tmp_path, kafka_settings, base, [X])
        assert "produced 3" in second and "cursor 7 (ok)" in second
        fake.tweets.append((8, "q8", T0 + timedelta(seconds=8)))
        assert "produced 1" in poll_once(tmp_path, kafka_settings, base, [X])
    records = read_topic(kafka_settings, INBOX_ITEMS, expect=8)
    items = [validate(v, InboxItem) for _, v in records]
    assert sorted(int(i.platform_item_id) for i in items) == list(range(1, 9))
    assert {k for k, _ in records} == {b"twitter:hee_kss"}
    # The bearer token travelled in a header, and since_id followed the finished backlog.
    assert fake.requests[-1][1].get("since_id") == "7"


def test_facebook_backfill_recovers_a_webhook_outage(
    tmp_path: Path, kafka_settings: KafkaSettings, registry: ChannelRegistry
) -> None:
    # Before the outage a comment came by webhook.
    hooked = payloads.facebook_comment_webhook(
        page_id="nhshee",
        post_id="107654321_1",
        comment_id="1_1",
        text="c1",
        author_id="u1",
        author_name="A",
        created_at=T0 + timedelta(minutes=1),
    )
    publisher = KafkaPublisher(kafka=kafka_settings, timeout_s=15)
    try:
        ingest_payload(
            platform=Platform.FACEBOOK,
            raw=json.dumps(hooked).encode(),
            registry=registry,
            publisher=publisher,
            source="test.webhook",
            now=T0 + timedelta(minutes=1),
        )
    finally:
        publisher.close()
    # During the outage three more comments were written; no webhook arrived for them.
    fake = FakePlatform()
    fake.facebook += [(str(n), f"c{n}", T0 + timedelta(minutes=n)) for n in range(1, 5)]
    with fake.serve() as base:
        fake.down = True
        out = poll_once(tmp_path, kafka_settings, base, [FB])
        assert "error: GET /facebook/v21.0/107654321/feed: HTTP 503" in out
        health = read_health(tmp_path / "ingest" / "health")["facebook:nhshee"]
        assert health["consecutive_failures"] == 1
        fake.down = False
        assert "produced 4" in poll_once(tmp_path, kafka_settings, base, [FB])
    records = read_topic(kafka_settings, INBOX_ITEMS, expect=5)
    items = [validate(v, InboxItem) for _, v in records]
    # Five records, four comments: the webhook's comment and its backfill share an event id.
    assert len(items) == 5 and len({i.event_id for i in items}) == 4
    assert sorted({i.text for i in items}) == ["c1", "c2", "c3", "c4"]
    assert (
        read_health(tmp_path / "ingest" / "health")["facebook:nhshee"]["consecutive_failures"] == 0
    )


LI = {
    "platform": "linkedin",
    "channel": "linkedin:health-education-england",
    "target": "urn:li:activity:42",
}


def test_linkedin_resumes_from_its_offset_across_processes(
    tmp_path: Path, kafka_settings: KafkaSettings
) -> None:
    fake = FakePlatform()
    fake.linkedin += [(str(n), f"c{n}", T0 + timedelta(minutes=n)) for n in range(1, 61)]
    with fake.serve() as base:
        assert "produced 60" in poll_once(tmp_path, kafka_settings, base, [LI])
        fake.linkedin.append(("61", "c61", T0 + timedelta(minutes=61)))
        before = len(fake.requests)
        assert "produced 1," in poll_once(tmp_path, kafka_settings, base, [LI])
    # The second process started one page before the end it had seen, not at 0.
    assert [params["start"] for _, params in fake.requests[before:]] == ["10", "60"]
    records = read_topic(kafka_settings, INBOX_ITEMS, expect=61)
    assert len({validate(v, InboxItem).event_id for _, v in records}) == 61
