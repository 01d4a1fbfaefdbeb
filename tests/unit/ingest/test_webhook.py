"""HTTP behaviour of the receiver: signatures, verification GETs, fail-closed, dead letters.

Kafka is replaced by a recording publisher here; tests/integration/ingest covers the broker.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from schemas.registry import ChannelRegistry
from services.demo import payloads
from services.ingest.settings import IngestSettings, MetaSettings, XSettings
from services.ingest.signatures import meta_signature, signature_matches, x_signature
from services.ingest.webhook import WebhookSettings, create_app, unconfigured
from tests.unit.ingest.conftest import RecordingPublisher, load

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
META_SECRET = "meta-app-secret"
X_SECRET = "x-consumer-secret"


def settings(*, meta: str | None = META_SECRET, x: str | None = X_SECRET) -> WebhookSettings:
    return WebhookSettings(
        ingest=IngestSettings(max_body_bytes=4096),
        meta=MetaSettings(
            app_secret=SecretStr(meta) if meta else None,
            verify_token=SecretStr("verify-me") if meta else None,
        ),
        x=XSettings(consumer_secret=SecretStr(x) if x else None),
    )


def client(
    registry: ChannelRegistry, publisher: RecordingPublisher, **kw: str | None
) -> TestClient:
    app = create_app(
        settings=settings(**kw), publisher=publisher, registry=registry, clock=lambda: NOW
    )
    return TestClient(app)


def test_signatures_match_the_documented_algorithms() -> None:
    body = b'{"object":"page"}'
    expected_hex = hmac.new(b"s", body, hashlib.sha256).hexdigest()
    assert meta_signature("s", body) == f"sha256={expected_hex}"
    expected_b64 = base64.b64encode(hmac.new(b"s", b"tok", hashlib.sha256).digest()).decode()
    assert x_signature("s", b"tok") == f"sha256={expected_b64}"
    assert signature_matches("sha256=ab", "sha256=ab")
    assert not signature_matches("sha256=ab", "sha256=ac")


def test_healthz(registry: ChannelRegistry, publisher: RecordingPublisher) -> None:
    assert client(registry, publisher, meta=None, x=None).get("/healthz").json() == {"status": "ok"}


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_meta_verification_get(
    registry: ChannelRegistry, publisher: RecordingPublisher, platform: str
) -> None:
    c = client(registry, publisher)
    ok = c.get(
        f"/webhooks/{platform}",
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": "verify-me",
            "hub.challenge": "1158201444",
        },
    )
    assert ok.status_code == 200 and ok.text == "1158201444"
    bad = c.get(
        f"/webhooks/{platform}",
        params={"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"},
    )
    assert bad.status_code == 403


def test_twitter_crc(registry: ChannelRegistry, publisher: RecordingPublisher) -> None:
    r = client(registry, publisher).get("/webhooks/twitter", params={"crc_token": "abc123"})
    digest = hmac.new(X_SECRET.encode(), b"abc123", hashlib.sha256).digest()
    assert r.json() == {"response_token": "sha256=" + base64.b64encode(digest).decode()}


def test_signed_facebook_post_is_produced(
    registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    body = json.dumps(load("facebook_feed_comment_add.json")).encode()
    r = client(registry, publisher).post(
        "/webhooks/facebook",
        content=body,
        headers={"X-Hub-Signature-256": meta_signature(META_SECRET, body)},
    )
    assert r.status_code == 200
    assert r.json()["produced"] == 1 and r.json()["status"] == "ok"
    assert [i.channel_id for i in publisher.items] == ["facebook:nhshee"]
    assert r.json()["event_ids"] == [str(publisher.items[0].event_id)]


def test_signed_twitter_post_is_produced(
    registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    raw = payloads.twitter_mention_webhook(
        for_user_id="1",
        addressed_handle="HEE_KSS",
        tweet_id="2",
        text="hi",
        created_at=NOW,
        author_id="3",
        author_handle="someone",
    )
    body = json.dumps(raw).encode()
    r = client(registry, publisher).post(
        "/webhooks/twitter",
        content=body,
        headers={"x-twitter-webhooks-signature": x_signature(X_SECRET, body)},
    )
    assert r.status_code == 200 and r.json()["produced"] == 1


@pytest.mark.parametrize(
    ("path", "header", "value", "status"),
    [
        ("/webhooks/facebook", None, None, 401),
        ("/webhooks/facebook", "X-Hub-Signature-256", "sha256=00", 403),
        ("/webhooks/instagram", "X-Hub-Signature-256", "sha256=00", 403),
        ("/webhooks/twitter", None, None, 401),
        ("/webhooks/twitter", "x-twitter-webhooks-signature", "sha256=AAAA", 403),
        # A Meta-style signature on the X route is still wrong.
        ("/webhooks/twitter", "x-twitter-webhooks-signature", "meta", 403),
    ],
)
def test_unsigned_or_badly_signed_is_refused_without_side_effect(
    registry: ChannelRegistry,
    publisher: RecordingPublisher,
    path: str,
    header: str | None,
    value: str | None,
    status: int,
) -> None:
    body = json.dumps(load("facebook_feed_comment_add.json")).encode()
    if value == "meta":
        value = meta_signature(X_SECRET, body)
    headers = {header: value} if header and value else {}
    r = client(registry, publisher).post(path, content=body, headers=headers)
    assert r.status_code == status
    assert publisher.items == [] and publisher.dead_letters == []


def test_missing_secret_fails_closed(
    registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    body = b"{}"
    c = client(registry, publisher, meta=None, x=None)
    r = c.post(
        "/webhooks/facebook",
        content=body,
        headers={"X-Hub-Signature-256": meta_signature("", body)},
    )
    assert r.status_code == 503 and "SWITCHBOARD_META_APP_SECRET" in r.json()["detail"]
    assert c.get("/webhooks/twitter", params={"crc_token": "x"}).status_code == 503
    assert (
        c.get(
            "/webhooks/facebook",
            params={"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"},
        ).status_code
        == 503
    )
    assert publisher.items == [] and publisher.dead_letters == []
    assert unconfigured(settings(meta=None, x=None)) == [
        "SWITCHBOARD_META_APP_SECRET",
        "SWITCHBOARD_META_VERIFY_TOKEN",
        "SWITCHBOARD_X_CONSUMER_SECRET",
    ]


def test_verified_but_malformed_is_dead_lettered(
    registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    raw = load("facebook_feed_comment_add.json")
    raw["entry"][0]["changes"][0]["value"]["verb"] = "explode"
    body = json.dumps(raw).encode()
    r = client(registry, publisher).post(
        "/webhooks/facebook",
        content=body,
        headers={"X-Hub-Signature-256": meta_signature(META_SECRET, body)},
    )
    assert r.status_code == 202
    assert r.json()["status"] == "dead-lettered" and "unsupported verb" in r.json()["error"]
    (letter,) = publisher.dead_letters
    assert letter.source == "ingest.webhook.facebook" and letter.payload == body.decode()
    assert letter.error_type == "NormaliseError" and letter.occurred_at == NOW
    assert publisher.items == []


def test_invalid_json_is_dead_lettered(
    registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    body = b"{not json"
    r = client(registry, publisher).post(
        "/webhooks/instagram",
        content=body,
        headers={"X-Hub-Signature-256": meta_signature(META_SECRET, body)},
    )
    assert r.status_code == 202 and publisher.dead_letters[0].error_type == "JSONDecodeError"


def test_kafka_down_is_503_never_2xx(registry: ChannelRegistry) -> None:
    down = RecordingPublisher(fail=True)
    body = json.dumps(load("facebook_feed_comment_add.json")).encode()
    r = client(registry, down).post(
        "/webhooks/facebook",
        content=body,
        headers={"X-Hub-Signature-256": meta_signature(META_SECRET, body)},
    )
    assert r.status_code == 503


def test_oversized_body_is_413(registry: ChannelRegistry, publisher: RecordingPublisher) -> None:
    body = b"x" * 5000
    r = client(registry, publisher).post(
        "/webhooks/facebook",
        content=body,
        headers={"X-Hub-Signature-256": meta_signature(META_SECRET, body)},
    )
    assert r.status_code == 413 and publisher.dead_letters == []
