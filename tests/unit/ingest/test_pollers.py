"""Pollers against recorded responses (httpx.MockTransport): paging, cursors, backoff."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from schemas import Platform
from schemas.registry import ChannelRegistry
from services.demo import payloads
from services.ingest.pollers.adapters import adapters
from services.ingest.pollers.cursor import CursorStore
from services.ingest.pollers.http import PollError, Retry, get_bytes
from services.ingest.pollers.runner import Poller
from services.ingest.settings import IngestSettings, PollTarget
from tests.unit.ingest.conftest import RecordingPublisher, load

T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)
YT = PollTarget(
    platform=Platform.YOUTUBE, channel="youtube:healtheducationengland", target="UCchannel"
)


def yt_page(n: int) -> dict[str, object]:
    return payloads.youtube_comment_threads(
        channel_id="UCchannel",
        video_id="v",
        comment_id=f"c{n}",
        text=f"comment {n}",
        author_name="viewer",
        author_channel_id="UCv",
        published_at=T0 + timedelta(minutes=n),
    )


def make_poller(
    tmp_path: Path,
    registry: ChannelRegistry,
    publisher: RecordingPublisher,
    handler: httpx.MockTransport,
    sleeps: list[float] | None = None,
) -> Poller:
    settings = IngestSettings(youtube_api_key=SecretStr("yt-key"), flickr_api_key=SecretStr("f"))
    return Poller(
        adapters=adapters(settings),
        client=httpx.Client(transport=handler),
        store=CursorStore(tmp_path / "cursors.sqlite3"),
        registry=registry,
        publisher=publisher,
        retry=Retry(attempts=3, backoff_s=1.0, sleep=(sleeps if sleeps is not None else []).append),
        clock=lambda: T0,
    )


def test_youtube_pages_until_the_cursor_and_resumes(
    tmp_path: Path, registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    newest = {"n": 2}
    seen_keys: list[str] = []

    def respond(request: httpx.Request) -> httpx.Response:
        seen_keys.append(request.headers["X-goog-api-key"])
        token = request.url.params.get("pageToken")
        n = newest["n"] if token is None else int(token)
        page = yt_page(n)
        if n > 1:
            page["nextPageToken"] = str(n - 1)
        return httpx.Response(200, json=page)

    poller = make_poller(tmp_path, registry, publisher, httpx.MockTransport(respond))
    (first,) = poller.poll_all([YT])
    assert first.produced == 2 and first.pages == 2
    assert [i.platform_item_id for i in publisher.items] == ["c2", "c1"]
    assert set(seen_keys) == {"yt-key"}
    # A restart (new poller, same cursor file) while two comments arrived: only those come.
    newest["n"] = 4
    again = make_poller(tmp_path, registry, publisher, httpx.MockTransport(respond))
    (second,) = again.poll_all([YT])
    assert second.produced == 2
    assert [i.platform_item_id for i in publisher.items] == ["c2", "c1", "c4", "c3"]
    assert second.cursor == (T0 + timedelta(minutes=4)).isoformat()


def test_backoff_on_429_and_5xx_then_success() -> None:
    responses = [
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(503),
        httpx.Response(200, json={"ok": True}),
    ]
    sleeps: list[float] = []
    client = httpx.Client(transport=httpx.MockTransport(lambda _r: responses.pop(0)))
    body = get_bytes(
        client,
        "https://example.test/x",
        params={},
        headers={},
        retry=Retry(attempts=3, backoff_s=1.0, sleep=sleeps.append),
    )
    assert json.loads(body) == {"ok": True}
    assert sleeps == [7.0, 2.0]  # Retry-After honoured, then doubling backoff


def test_client_error_is_not_retried_and_keeps_the_cursor(
    tmp_path: Path, registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    calls: list[int] = []

    def forbidden(_request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(403, json={"error": "quota"})

    poller = make_poller(tmp_path, registry, publisher, httpx.MockTransport(forbidden))
    (result,) = poller.poll_all([YT])
    assert result.error == "GET /youtube/v3/commentThreads: HTTP 403" and len(calls) == 1
    assert poller.store.get("youtube:youtube:healtheducationengland:UCchannel") is None


def test_network_errors_exhaust_retries() -> None:
    def boom(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("down", request=request)

    client = httpx.Client(transport=httpx.MockTransport(boom))
    with pytest.raises(PollError, match="network error ConnectError after 3 attempts"):
        get_bytes(
            client,
            "https://example.test/x",
            params={},
            headers={},
            retry=Retry(attempts=3, backoff_s=0.5),
        )


def test_flickr_recorded_response_and_min_date(
    tmp_path: Path, registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    params: list[dict[str, str]] = []

    def respond(request: httpx.Request) -> httpx.Response:
        params.append(dict(request.url.params))
        return httpx.Response(200, json=load("flickr_comments.json"))

    target = PollTarget(
        platform=Platform.FLICKR, channel="flickr:nhshealtheducationengland", target="109722179"
    )
    poller = make_poller(tmp_path, registry, publisher, httpx.MockTransport(respond))
    assert poller.poll_all([target])[0].produced == 2
    assert poller.poll_all([target])[0].produced == 0  # nothing newer than the cursor
    assert "min_comment_date" not in params[0]
    assert params[1]["min_comment_date"] == "1141842000"
    assert {i.channel_id for i in publisher.items} == {"flickr:nhshealtheducationengland"}


def test_malformed_page_is_dead_lettered(
    tmp_path: Path, registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    poller = make_poller(
        tmp_path,
        registry,
        publisher,
        httpx.MockTransport(lambda _r: httpx.Response(200, json=load("flickr_error.json"))),
    )
    target = PollTarget(platform=Platform.FLICKR, channel="flickr:x", target="999")
    (result,) = poller.poll_all([target])
    assert result.dead_lettered == 1
    assert publisher.dead_letters[0].source == "ingest.poll.flickr"
