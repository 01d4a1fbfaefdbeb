"""The receiver against the real broker: 2xx only once the item is in Kafka."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from schemas import INBOX_DEADLETTER, INBOX_ITEMS, DeadLetter, InboxItem, validate
from schemas.registry import ChannelRegistry
from services.common.kafka_publisher import KafkaPublisher
from services.common.settings import KafkaSettings
from services.demo import payloads
from services.ingest.settings import IngestSettings, MetaSettings, XSettings
from services.ingest.signatures import meta_signature, x_signature
from services.ingest.webhook import WebhookSettings, create_app
from tests.integration.ingest.conftest import end_offsets, read_topic

SECRET = "integration-meta-secret"
X_SECRET = "integration-x-secret"
NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


@pytest.fixture
def publisher(kafka_settings: KafkaSettings) -> Iterator[KafkaPublisher]:
    pub = KafkaPublisher(kafka=kafka_settings, timeout_s=15)
    yield pub
    pub.close()


def make_client(registry: ChannelRegistry, publisher: KafkaPublisher) -> TestClient:
    settings = WebhookSettings(
        ingest=IngestSettings(),
        meta=MetaSettings(app_secret=SecretStr(SECRET), verify_token=SecretStr("v")),
        x=XSettings(consumer_secret=SecretStr(X_SECRET)),
    )
    return TestClient(
        create_app(settings=settings, publisher=publisher, registry=registry, clock=lambda: NOW)
    )


def test_signed_webhook_ends_up_on_inbox_items(
    kafka_settings: KafkaSettings, registry: ChannelRegistry, publisher: KafkaPublisher
) -> None:
    raw = payloads.facebook_comment_webhook(
        page_id="nhshee",
        post_id="107_4466",
        comment_id="4466_1137",
        text="Où est le formulaire ? 🙏",
        created_at=NOW,
        author_id="45",
        author_name="Jane",
    )
    body = json.dumps(raw).encode()
    r = make_client(registry, publisher).post(
        "/webhooks/facebook",
        content=body,
        headers={"X-Hub-Signature-256": meta_signature(SECRET, body)},
    )
    assert r.status_code == 200 and r.json()["produced"] == 1
    ((key, value),) = read_topic(kafka_settings, INBOX_ITEMS, expect=1)
    item = validate(value, InboxItem)
    assert key == b"facebook:nhshee"
    assert str(item.event_id) == r.json()["event_ids"][0]
    assert item.text == "Où est le formulaire ? 🙏" and item.created_at == NOW


def test_signed_twitter_webhook_ends_up_on_inbox_items(
    kafka_settings: KafkaSettings, registry: ChannelRegistry, publisher: KafkaPublisher
) -> None:
    raw = payloads.twitter_mention_webhook(
        for_user_id="1",
        addressed_handle="HEE_WMidlands",
        tweet_id="1860000000000000009",
        text="help please",
        created_at=NOW,
        author_id="2",
        author_handle="someone",
    )
    body = json.dumps(raw).encode()
    r = make_client(registry, publisher).post(
        "/webhooks/twitter",
        content=body,
        headers={"x-twitter-webhooks-signature": x_signature(X_SECRET, body)},
    )
    assert r.status_code == 200
    ((key, _),) = read_topic(kafka_settings, INBOX_ITEMS, expect=1)
    assert key == b"twitter:hee_wmidlands"


def test_badly_signed_is_refused_and_produces_nothing(
    kafka_settings: KafkaSettings, registry: ChannelRegistry, publisher: KafkaPublisher
) -> None:
    body = json.dumps(
        payloads.facebook_comment_webhook(
            page_id="nhshee",
            post_id="1_2",
            comment_id="2_3",
            text="x",
            created_at=NOW,
            author_id="4",
            author_name="Jo",
        )
    ).encode()
    client = make_client(registry, publisher)
    forged = client.post(
        "/webhooks/facebook",
        content=body,
        headers={"X-Hub-Signature-256": meta_signature("wrong", body)},
    )
    unsigned = client.post("/webhooks/instagram", content=body)
    assert (forged.status_code, unsigned.status_code) == (403, 401)
    assert end_offsets(kafka_settings, INBOX_ITEMS) == 0
    assert end_offsets(kafka_settings, INBOX_DEADLETTER) == 0


def test_malformed_lands_on_dead_letter_topic_with_its_error(
    kafka_settings: KafkaSettings, registry: ChannelRegistry, publisher: KafkaPublisher
) -> None:
    body = b'{"object": "instagram", "entry": [{"id": "nhshee", "time": 1, "changes": [{}]}]}'
    r = make_client(registry, publisher).post(
        "/webhooks/instagram",
        content=body,
        headers={"X-Hub-Signature-256": meta_signature(SECRET, body)},
    )
    assert r.status_code == 202 and r.json()["status"] == "dead-lettered"
    ((key, value),) = read_topic(kafka_settings, INBOX_DEADLETTER, expect=1)
    letter = validate(value, DeadLetter)
    assert key == b"ingest.webhook.instagram"
    assert letter.error == "instagram: entry[0].changes[0].field: missing"
    assert letter.payload.encode() == body
    assert letter.event_id == DeadLetter.event_id_for("ingest.webhook.instagram", body)
    assert end_offsets(kafka_settings, INBOX_ITEMS) == 0


def test_unreachable_kafka_is_503(kafka_settings: KafkaSettings, registry: ChannelRegistry) -> None:
    # model_copy, not KafkaSettings(bootstrap_servers=...): the field is read by its env alias,
    # so a keyword would be ignored and the default (real) broker used.
    nowhere = kafka_settings.model_copy(update={"bootstrap_servers": "127.0.0.1:1"})
    down = KafkaPublisher(kafka=nowhere, timeout_s=2)
    body = json.dumps(
        payloads.facebook_mention_webhook(
            page_id="nhshee", post_id="1_2", sender_id="1", sender_name="x", created_at=NOW
        )
    ).encode()
    r = make_client(registry, down).post(
        "/webhooks/facebook",
        content=body,
        headers={"X-Hub-Signature-256": meta_signature(SECRET, body)},
    )
    assert r.status_code == 503
    assert end_offsets(kafka_settings, INBOX_ITEMS) == 0
