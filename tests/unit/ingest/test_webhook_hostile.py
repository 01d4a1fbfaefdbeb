"""The receiver under attack: a signing oracle, streamed oversized bodies, deep nesting."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from schemas.registry import ChannelRegistry
from services.ingest.signatures import x_signature
from tests.unit.ingest.conftest import RecordingPublisher, load
from tests.unit.ingest.test_webhook import X_SECRET, client, settings


def test_crc_refuses_a_json_body_so_it_cannot_sign_a_forged_delivery(
    registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    c = client(registry, publisher)
    forged = json.dumps(load("twitter_aaa_tweet_create.json"), separators=(",", ":"))
    r = c.get("/webhooks/twitter", params={"crc_token": forged})
    assert r.status_code == 400 and "crc_token" in r.json()["detail"]
    assert "response_token" not in r.json()
    # With no oracle the forger has no signature: the POST is refused unparsed.
    post = c.post(
        "/webhooks/twitter",
        content=forged,
        headers={"x-twitter-webhooks-signature": "sha256=guess"},
    )
    assert post.status_code == 403 and publisher.items == []


@pytest.mark.parametrize(
    "token",
    [
        '{"a":1}',
        "[1]",
        "12345",  # valid JSON (a number): a body the POST route would parse
        "true",
        "null",
        "has space",
        "tab\there",
        "new\nline",
        "x" * 300,
        "a:b",
        '"quoted"',
        "é",
    ],
)
def test_crc_accepts_only_the_shape_x_sends(
    registry: ChannelRegistry, publisher: RecordingPublisher, token: str
) -> None:
    r = client(registry, publisher).get("/webhooks/twitter", params={"crc_token": token})
    assert r.status_code == 400, token


@pytest.mark.parametrize(
    "token", ["abc123", "a-b_c", "a/b+c", "R2l2ZSBtZSBhIHRva2Vu", "dG9rZW4=", "x" * 200]
)
def test_crc_still_answers_x_shaped_tokens(
    registry: ChannelRegistry, publisher: RecordingPublisher, token: str
) -> None:
    r = client(registry, publisher).get("/webhooks/twitter", params={"crc_token": token})
    assert r.json() == {"response_token": x_signature(X_SECRET, token.encode())}


def _asgi_post(app: Any, path: str, chunks: int, chunk: bytes) -> tuple[int, int]:
    """POST `chunks` chunks with no Content-Length; (status, chunks the app pulled)."""
    pulled = 0
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": pulled < chunks}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"transfer-encoding", b"chunked"), (b"host", b"test")],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
    }
    asyncio.run(app(scope, receive, send))
    return status, pulled


@pytest.mark.parametrize("path", ["/webhooks/twitter", "/webhooks/facebook"])
def test_chunked_body_past_the_limit_is_413_without_reading_it_all(
    registry: ChannelRegistry, publisher: RecordingPublisher, path: str
) -> None:
    from services.ingest.webhook import create_app

    app = create_app(settings=settings(), publisher=publisher, registry=registry)
    chunk = b"x" * 1024
    status, pulled = _asgi_post(app, path, chunks=10_000, chunk=chunk)  # 10 MiB offered
    assert status == 413
    # The limit is 4096 bytes: reading stops at the first chunk past it, memory stays flat.
    assert pulled <= 4096 // len(chunk) + 1
    assert publisher.items == [] and publisher.dead_letters == []


def test_chunked_upload_through_http_client_is_413(
    registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    def body() -> Any:
        for _ in range(64):
            yield b"y" * 1024

    r = client(registry, publisher).post("/webhooks/twitter", content=body())
    assert r.status_code == 413 and "4096" in r.json()["detail"]


def test_deeply_nested_signed_body_is_a_dead_letter_not_a_500(
    registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    from services.ingest.settings import IngestSettings
    from services.ingest.webhook import WebhookSettings, create_app

    base = settings()
    roomy = WebhookSettings(ingest=IngestSettings(max_body_bytes=1 << 20), meta=base.meta, x=base.x)
    app = create_app(settings=roomy, publisher=publisher, registry=registry)
    body = b'{"for_user_id": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    r = TestClient(app, raise_server_exceptions=False).post(
        "/webhooks/twitter",
        content=body,
        headers={"x-twitter-webhooks-signature": x_signature(X_SECRET, body)},
    )
    assert r.status_code == 202, r.text
    assert r.json()["status"] == "dead-lettered"
    assert "nest" in r.json()["error"]
