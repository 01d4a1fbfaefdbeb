"""Webhook deliveries count as ingestion successes; /metrics reads every process's file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from schemas import Platform
from schemas.registry import ChannelRegistry
from services.common.kafka_publisher import PublishError
from services.ingest.domain import normalise
from services.ingest.health import HealthBook, Signals
from services.ingest.health_web import HealthRecordingPublisher, add_metrics_route
from tests.unit.ingest.conftest import RecordingPublisher, load

AT = datetime(2026, 11, 23, 9, tzinfo=UTC)


def test_webhook_successes_and_poll_failures_meet_in_metrics(
    tmp_path: Path, registry: ChannelRegistry
) -> None:
    folder = tmp_path / "health"
    inner = RecordingPublisher()
    publisher = HealthRecordingPublisher(
        inner=inner, health=HealthBook(path=folder / "webhook.json"), clock=lambda: AT
    )
    known = normalise(Platform.TWITTER, load("twitter_aaa_tweet_create.json"), registry=registry)
    unknown = normalise(Platform.TWITTER, load("twitter_aaa_tweet_delete.json"), registry=registry)
    publisher.publish_items([*known, *unknown])
    assert len(inner.items) == 3
    HealthBook(path=folder / "poll.json").failure(
        "youtube:healtheducationengland", error="HTTP 401", signals=Signals(token_expired=True),
        now=AT,
    )  # fmt: skip
    app = FastAPI()
    add_metrics_route(app, health_dir=folder)
    text = TestClient(app).get("/metrics").text
    stamp = AT.timestamp()
    assert (
        f'switchboard_ingest_last_success_timestamp_seconds{{account="twitter:hee_kss"}} {stamp}'
        in text
    )
    # Unknown channels share one label, however many accounts they name.
    assert 'account="unknown"' in text and "930524282358325248" not in text
    assert 'switchboard_ingest_token_expired{account="youtube:healtheducationengland"} 1' in text


def test_a_failed_publish_is_not_a_success(registry: ChannelRegistry) -> None:
    health = HealthBook()
    publisher = HealthRecordingPublisher(
        inner=RecordingPublisher(fail=True), health=health, clock=lambda: AT
    )
    items = normalise(Platform.TWITTER, load("twitter_aaa_tweet_create.json"), registry=registry)
    with pytest.raises(PublishError):
        publisher.publish_items(items)
    assert health.snapshot() == {}
