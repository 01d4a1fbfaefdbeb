"""Replies from outbox.replies.v1 reach the sandbox once each; outcomes land on inbox.work.v1."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import httpx

from schemas.enums import Platform
from schemas.work import ReplyPublished
from services.common.settings import KafkaSettings
from services.sandbox.server import SandboxServer
from services.sandbox.settings import SandboxSettings
from tests.fixtures.publisher.harness import (
    IN_REPLY_TO,
    Watch,
    credentials,
    publisher_config,
    reply,
    running,
    send_replies,
)


def test_a_reply_per_platform_is_posted_once_with_the_documented_request(
    kafka_settings: KafkaSettings,
    sandbox: SandboxServer,
    sandbox_cfg: SandboxSettings,
    watch: Watch,
    tmp_path: Path,
) -> None:
    replies = {p: reply(p) for p in Platform}
    config = publisher_config(kafka=kafka_settings, sandbox_url=sandbox.url, data_dir=tmp_path,
                              creds=credentials(sandbox_cfg))  # fmt: skip
    with running(config):
        send_replies(kafka_settings, list(replies.values()))
        watch.until(lambda w: all(w.outcomes(r.reply_id) for r in replies.values()))
        # A redelivery (the relay publishing again) posts nothing new.
        send_replies(kafka_settings, list(replies.values()))
        watch.until(lambda w: all(len(w.outcomes(r.reply_id)) >= 2 for r in replies.values()))

    posts = httpx.get(f"{sandbox.url}/_sandbox/posts").json()
    assert sorted(p["platform"] for p in posts) == sorted(p.value for p in Platform)
    seen = {r["platform"]: r for r in sandbox.state.requests(None)}
    assert len(sandbox.state.requests(None)) == 6
    for platform, sent in replies.items():
        outcomes = watch.outcomes(sent.reply_id)
        assert {e.event_id for e in outcomes} == {outcomes[0].event_id}  # same id: harmless
        detail = outcomes[0].detail
        assert isinstance(detail, ReplyPublished), detail
        assert detail.attempts == 1
        assert detail.permalink is not None
        assert detail.permalink.startswith(f"{sandbox.url}/_sandbox/p/{platform.value}/")
        assert httpx.get(detail.permalink).status_code == 200  # the sandbox page
        assert outcomes[0].actor == "publisher"
        assert outcomes[0].queue == sent.queue
        assert seen[platform.value]["status"] in (200, 201)
        assert seen[platform.value]["post_id"] == detail.platform_reply_id

    x = seen["twitter"]
    assert x["path"] == "/x/2/tweets" and x["auth_scheme"] == "Bearer"
    x_reply = {"in_reply_to_tweet_id": IN_REPLY_TO[Platform.TWITTER]}
    assert x["body"] == {"text": replies[Platform.TWITTER].text, "reply": x_reply}
    fb = seen["facebook"]
    assert fb["path"] == f"/facebook/v21.0/{IN_REPLY_TO[Platform.FACEBOOK]}/comments"
    assert fb["body"] == {"message": replies[Platform.FACEBOOK].text}
    ig = seen["instagram"]
    assert ig["path"] == f"/instagram/v21.0/{IN_REPLY_TO[Platform.INSTAGRAM]}/replies"
    assert ig["query"] == {"message": replies[Platform.INSTAGRAM].text}
    yt = seen["youtube"]
    assert yt["path"] == "/google/youtube/v3/comments" and yt["query"] == {"part": "snippet"}
    assert yt["body"] == {"snippet": {"parentId": IN_REPLY_TO[Platform.YOUTUBE],
                                      "textOriginal": replies[Platform.YOUTUBE].text}}  # fmt: skip
    li = seen["linkedin"]
    assert unquote(li["path"]) == (
        f"/linkedin/rest/socialActions/{IN_REPLY_TO[Platform.LINKEDIN]}/comments"
    )
    assert li["headers"]["linkedin-version"] == "202411"
    assert li["body"]["actor"] == "urn:li:organization:1000001"
    assert li["body"]["object"] == "urn:li:activity:7100000000000000001"
    assert li["body"]["parentComment"] == IN_REPLY_TO[Platform.LINKEDIN]
    fl = seen["flickr"]
    assert fl["auth_scheme"] == "OAuth"
    assert fl["body"]["method"] == "flickr.photos.comments.addComment"
    assert fl["body"]["photo_id"] == "52000000042"
    assert fl["body"]["comment_text"] == replies[Platform.FLICKR].text
