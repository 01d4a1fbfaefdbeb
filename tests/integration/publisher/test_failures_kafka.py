"""Storms, timeouts after sending, permanent errors and missing credentials, on the real broker."""

from __future__ import annotations

import json
import logging
import secrets
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from schemas.enums import Platform
from schemas.work import (
    ActorKind,
    FailureClass,
    ReplyFailed,
    ReplyPublished,
    ReplyRetried,
    WorkEvent,
)
from services.common.settings import KafkaSettings
from services.publisher.delivery import UNKNOWN_ID
from services.sandbox.server import SandboxServer
from services.sandbox.settings import SandboxSettings
from tests.fixtures.publisher.harness import (
    Watch,
    credentials,
    publisher_config,
    reply,
    running,
    send_replies,
    send_work,
)


def _fault(sandbox: SandboxServer, **fault: object) -> None:
    assert httpx.post(f"{sandbox.url}/_sandbox/faults", json=fault).status_code == 201


def _settled(sandbox: SandboxServer) -> None:
    """Wait until every recorded request has its answer (a hung one answers late)."""
    deadline = time.monotonic() + 15
    while any(r["status"] == 0 for r in sandbox.state.requests(None)):
        assert time.monotonic() < deadline, "a sandbox request never answered"
        time.sleep(0.1)


def _posts(sandbox: SandboxServer, platform: Platform) -> list[dict[str, object]]:
    found: list[dict[str, object]] = httpx.get(
        f"{sandbox.url}/_sandbox/posts", params={"platform": platform.value}
    ).json()
    return found


@pytest.mark.parametrize(
    ("platform", "kind"),
    [
        (Platform.TWITTER, "throttle"),
        (Platform.FACEBOOK, "throttle"),
        (Platform.LINKEDIN, "throttle"),
        (Platform.YOUTUBE, "server"),
        (Platform.FLICKR, "server"),
        (Platform.INSTAGRAM, "server"),
    ],
)
def test_429_and_5xx_storms_are_retried_and_succeed_once(
    kafka_settings: KafkaSettings,
    sandbox: SandboxServer,
    sandbox_cfg: SandboxSettings,
    watch: Watch,
    tmp_path: Path,
    platform: Platform,
    kind: str,
) -> None:
    _fault(sandbox, platform=platform.value, kind=kind, count=3, retry_after_s=1)
    sent = reply(platform)
    config = publisher_config(kafka=kafka_settings, sandbox_url=sandbox.url, data_dir=tmp_path,
                              creds=credentials(sandbox_cfg))  # fmt: skip
    with running(config):
        send_replies(kafka_settings, [sent])
        watch.until(lambda w: bool(w.outcomes(sent.reply_id)))
    detail = watch.outcomes(sent.reply_id)[0].detail
    assert isinstance(detail, ReplyPublished), detail
    assert detail.attempts == 4
    assert len(_posts(sandbox, platform)) == 1
    statuses = [r["fault"] for r in sandbox.state.requests(platform.value)]
    assert statuses == [kind, kind, kind, None]


def test_a_storm_longer_than_the_retries_fails_as_retryable(
    kafka_settings: KafkaSettings,
    sandbox: SandboxServer,
    sandbox_cfg: SandboxSettings,
    watch: Watch,
    tmp_path: Path,
) -> None:
    _fault(sandbox, platform="youtube", kind="server", count=50)
    sent = reply(Platform.YOUTUBE)
    config = publisher_config(kafka=kafka_settings, sandbox_url=sandbox.url, data_dir=tmp_path,
                              creds=credentials(sandbox_cfg), max_requests=3)  # fmt: skip
    with running(config):
        send_replies(kafka_settings, [sent])
        watch.until(lambda w: bool(w.outcomes(sent.reply_id)))
    detail = watch.outcomes(sent.reply_id)[0].detail
    assert isinstance(detail, ReplyFailed)
    assert (detail.failure, detail.retryable, detail.attempts) == (
        FailureClass.UNAVAILABLE, True, 3)  # fmt: skip
    assert "backendError" in detail.error
    assert not watch.dead  # retryable: no dead letter


def test_x_timeout_after_send_yields_one_post(
    kafka_settings: KafkaSettings,
    sandbox: SandboxServer,
    sandbox_cfg: SandboxSettings,
    watch: Watch,
    tmp_path: Path,
) -> None:
    # The sandbox posts the tweet, then answers after the publisher's 2 s timeout.
    _fault(sandbox, platform="twitter", kind="hang", delay_s=4)
    sent = reply(Platform.TWITTER)
    config = publisher_config(kafka=kafka_settings, sandbox_url=sandbox.url, data_dir=tmp_path,
                              creds=credentials(sandbox_cfg))  # fmt: skip
    with running(config):
        send_replies(kafka_settings, [sent])
        watch.until(lambda w: bool(w.outcomes(sent.reply_id)))
    detail = watch.outcomes(sent.reply_id)[0].detail
    assert isinstance(detail, ReplyPublished), detail
    assert detail.platform_reply_id == UNKNOWN_ID and detail.attempts == 2
    assert len(_posts(sandbox, Platform.TWITTER)) == 1
    _settled(sandbox)
    assert [r["status"] for r in sandbox.state.requests("twitter")] == [201, 403]


def test_timeout_after_send_without_duplicate_detection_fails_for_a_person(
    kafka_settings: KafkaSettings,
    sandbox: SandboxServer,
    sandbox_cfg: SandboxSettings,
    watch: Watch,
    tmp_path: Path,
) -> None:
    _fault(sandbox, platform="facebook", kind="hang", delay_s=4)
    sent = reply(Platform.FACEBOOK)
    config = publisher_config(kafka=kafka_settings, sandbox_url=sandbox.url, data_dir=tmp_path,
                              creds=credentials(sandbox_cfg))  # fmt: skip
    with running(config):
        send_replies(kafka_settings, [sent])
        watch.until(lambda w: bool(w.outcomes(sent.reply_id)))
        detail = watch.outcomes(sent.reply_id)[0].detail
        assert isinstance(detail, ReplyFailed)
        assert detail.failure is FailureClass.UNAVAILABLE and detail.retryable
        assert "check the platform before retrying" in detail.error
        assert len(_posts(sandbox, Platform.FACEBOOK)) == 1  # and no second one
        # A person checks, decides to send again: a retry is a new round that posts.
        retried = WorkEvent.create(
            item_event_id=sent.item_event_id, channel_id=sent.channel_id, queue="press",
            actor_kind=ActorKind.USER, actor="officer@example.org", command_id=uuid.uuid4(),
            detail=ReplyRetried(reply_id=sent.reply_id, attempt=2),
            occurred_at=datetime.now(UTC),
        )  # fmt: skip
        send_work(kafka_settings, [retried])
        watch.until(lambda w: len(w.outcomes(sent.reply_id)) >= 2)
    second = watch.outcomes(sent.reply_id)[-1].detail
    assert isinstance(second, ReplyPublished) and second.attempts == 2
    assert len(_posts(sandbox, Platform.FACEBOOK)) == 2


@pytest.mark.parametrize(
    ("platform", "kind", "failure", "reason"),
    [
        (Platform.FACEBOOK, "auth", FailureClass.AUTH, "Session has expired"),
        (Platform.LINKEDIN, "permission", FailureClass.PERMISSION, "Not enough permissions"),
        (Platform.YOUTUBE, "gone", FailureClass.GONE, "parentCommentNotFound"),
        (Platform.TWITTER, "gone", FailureClass.GONE, "deleted or not visible"),
        (Platform.FLICKR, "auth", FailureClass.AUTH, "Invalid auth token"),
    ],
)
def test_permanent_errors_fail_at_once_with_reason_and_dead_letter(
    kafka_settings: KafkaSettings,
    sandbox: SandboxServer,
    sandbox_cfg: SandboxSettings,
    watch: Watch,
    tmp_path: Path,
    platform: Platform,
    kind: str,
    failure: FailureClass,
    reason: str,
) -> None:
    _fault(sandbox, platform=platform.value, kind=kind, count=5)
    sent = reply(platform)
    config = publisher_config(kafka=kafka_settings, sandbox_url=sandbox.url, data_dir=tmp_path,
                              creds=credentials(sandbox_cfg))  # fmt: skip
    with running(config):
        send_replies(kafka_settings, [sent])
        watch.until(lambda w: bool(w.outcomes(sent.reply_id)) and bool(w.dead))
    detail = watch.outcomes(sent.reply_id)[0].detail
    assert isinstance(detail, ReplyFailed)
    assert (detail.failure, detail.retryable, detail.attempts) == (failure, False, 1)
    assert reason in detail.error
    assert len(sandbox.state.requests(platform.value)) == 1  # at once: no retries
    letter = watch.dead[0]
    assert letter.source == "publisher" and letter.error_type == "PermanentFailureError"
    assert reason in letter.error and json.loads(letter.payload)["reply_id"] == str(sent.reply_id)


def test_an_account_without_credentials_fails_not_connected_at_once(
    kafka_settings: KafkaSettings,
    sandbox: SandboxServer,
    sandbox_cfg: SandboxSettings,
    watch: Watch,
    tmp_path: Path,
) -> None:
    sent = reply(Platform.TWITTER, channel="twitter:hee_kss")  # not in the credentials
    config = publisher_config(kafka=kafka_settings, sandbox_url=sandbox.url, data_dir=tmp_path,
                              creds=credentials(sandbox_cfg))  # fmt: skip
    with running(config):
        send_replies(kafka_settings, [sent])
        watch.until(lambda w: bool(w.outcomes(sent.reply_id)))
    detail = watch.outcomes(sent.reply_id)[0].detail
    assert isinstance(detail, ReplyFailed)
    assert detail.failure is FailureClass.NOT_CONNECTED and detail.attempts == 0
    assert detail.error.startswith("not connected")
    assert sandbox.state.requests(None) == []


def test_a_token_never_appears_in_logs_or_recorded_requests(
    kafka_settings: KafkaSettings,
    sandbox: SandboxServer,
    sandbox_cfg: SandboxSettings,
    watch: Watch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    token = "tok_" + secrets.token_urlsafe(32)
    caplog.set_level(logging.DEBUG)
    _fault(sandbox, platform="twitter", kind="auth", count=1)
    sent, other = reply(Platform.TWITTER), reply(Platform.FACEBOOK)
    config = publisher_config(kafka=kafka_settings, sandbox_url=sandbox.url, data_dir=tmp_path,
                              creds=credentials(sandbox_cfg, token=token))  # fmt: skip
    assert token not in repr(config) and token not in str(config.model_dump())
    with running(config):
        send_replies(kafka_settings, [sent, other])
        watch.until(lambda w: bool(w.outcomes(sent.reply_id)) and bool(w.outcomes(other.reply_id)))
    assert sandbox.state.requests(None)  # the token was used...
    assert token not in caplog.text  # ...and never logged,
    assert token not in json.dumps(sandbox.state.requests(None))  # nor recorded,
    assert all(token not in e.model_dump_json() for e in watch.work)  # nor in any event,
    assert all(token not in d.model_dump_json() for d in watch.dead)
