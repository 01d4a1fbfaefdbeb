"""Moderation requests on inbox.work.v1 reach the sandbox; outcomes come back; restarts are safe."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from schemas.enums import Platform
from schemas.work import (
    ActorKind,
    FailureClass,
    ModerationApplied,
    ModerationFailed,
    ModerationOp,
    ModerationRequested,
    WorkEvent,
)
from services.common.settings import KafkaSettings
from services.sandbox.server import SandboxServer
from services.sandbox.settings import SandboxSettings
from tests.fixtures.publisher.harness import (
    ACCOUNTS,
    ITEM,
    Watch,
    credentials,
    publisher_config,
    reply,
    running,
    send_replies,
    send_work,
)


def _request(platform: Platform, op: ModerationOp, comment: str) -> WorkEvent:
    return WorkEvent.create(
        item_event_id=ITEM, channel_id=ACCOUNTS[platform], queue="digital",
        actor_kind=ActorKind.USER, actor="lead@example.org", command_id=uuid.uuid4(),
        detail=ModerationRequested(moderation_id=uuid.uuid4(), operation=op,
                                   platform_item_id=comment, reason="abusive"),
        occurred_at=datetime.now(UTC),
    )  # fmt: skip


def _outcome(watch: Watch, request: WorkEvent) -> list[WorkEvent]:
    mid = request.detail.moderation_id  # type: ignore[union-attr]
    return [e for e in watch.work if e.action in ("moderation_applied", "moderation_failed")
            and e.detail.moderation_id == mid]  # type: ignore[union-attr]  # fmt: skip


@pytest.mark.parametrize(
    ("platform", "op", "comment", "method", "path", "params"),
    [
        (Platform.FACEBOOK, ModerationOp.HIDE, "104_9", "POST", "/facebook/v21.0/104_9",
         {"is_hidden": "true"}),
        (Platform.FACEBOOK, ModerationOp.DELETE, "104_8", "DELETE", "/facebook/v21.0/104_8", {}),
        (Platform.INSTAGRAM, ModerationOp.UNHIDE, "1789", "POST", "/instagram/v21.0/1789",
         {"hide": "false"}),
        (Platform.YOUTUBE, ModerationOp.HIDE, "Ugz1", "POST",
         "/google/youtube/v3/comments/setModerationStatus",
         {"id": "Ugz1", "moderationStatus": "heldForReview"}),
        (Platform.YOUTUBE, ModerationOp.DELETE, "Ugz2", "DELETE", "/google/youtube/v3/comments",
         {"id": "Ugz2"}),
    ],
)  # fmt: skip
def test_moderation_is_applied_once_and_announced(
    kafka_settings: KafkaSettings,
    sandbox: SandboxServer,
    sandbox_cfg: SandboxSettings,
    watch: Watch,
    tmp_path: Path,
    platform: Platform,
    op: ModerationOp,
    comment: str,
    method: str,
    path: str,
    params: dict[str, str],
) -> None:
    request = _request(platform, op, comment)
    config = publisher_config(kafka=kafka_settings, sandbox_url=sandbox.url, data_dir=tmp_path,
                              creds=credentials(sandbox_cfg))  # fmt: skip
    with running(config):
        send_work(kafka_settings, [request, request])  # redelivered: applied once
        watch.until(lambda w: len(_outcome(w, request)) >= 2)
    outcomes = _outcome(watch, request)
    assert {e.event_id for e in outcomes} == {outcomes[0].event_id}
    assert isinstance(outcomes[0].detail, ModerationApplied)
    assert outcomes[0].detail.operation is op
    (seen,) = sandbox.state.requests(platform.value)
    assert (seen["method"], seen["path"]) == (method, path)
    sent = {**seen["query"], **(seen["body"] if isinstance(seen["body"], dict) else {})}
    assert sent == params
    assert seen["auth_scheme"] == "Bearer"


def test_moderation_where_the_platform_has_no_api_fails_with_the_reason(
    kafka_settings: KafkaSettings,
    sandbox: SandboxServer,
    sandbox_cfg: SandboxSettings,
    watch: Watch,
    tmp_path: Path,
) -> None:
    request = _request(Platform.FLICKR, ModerationOp.HIDE, "31001-52000000042-1")
    throttled = _request(Platform.FACEBOOK, ModerationOp.HIDE, "104_7")
    assert httpx.post(f"{sandbox.url}/_sandbox/faults", json={
        "platform": "facebook", "kind": "throttle", "count": 2, "moderation": True,
    }).status_code == 201  # fmt: skip
    config = publisher_config(kafka=kafka_settings, sandbox_url=sandbox.url, data_dir=tmp_path,
                              creds=credentials(sandbox_cfg))  # fmt: skip
    with running(config):
        send_work(kafka_settings, [request, throttled])
        watch.until(lambda w: bool(_outcome(w, request)) and bool(_outcome(w, throttled)))
    failed = _outcome(watch, request)[0].detail
    assert isinstance(failed, ModerationFailed) and failed.failure is FailureClass.INVALID
    assert "flickr has no API to hide" in failed.error
    assert isinstance(_outcome(watch, throttled)[0].detail, ModerationApplied)
    assert [r["fault"] for r in sandbox.state.requests("facebook")] == ["throttle"] * 2 + [None]


def test_a_restarted_publisher_with_lost_offsets_does_not_post_again(
    kafka_settings: KafkaSettings,
    sandbox: SandboxServer,
    sandbox_cfg: SandboxSettings,
    watch: Watch,
    tmp_path: Path,
) -> None:
    sent = reply(Platform.LINKEDIN)
    creds = credentials(sandbox_cfg)
    first = publisher_config(kafka=kafka_settings, sandbox_url=sandbox.url, data_dir=tmp_path,
                             creds=creds)  # fmt: skip
    with running(first):
        send_replies(kafka_settings, [sent])
        watch.until(lambda w: bool(w.outcomes(sent.reply_id)))
    # A new consumer group reads the topic from the start (as if offsets were lost): the
    # store knows the reply, so the outcome is announced again and nothing is posted.
    second = publisher_config(kafka=kafka_settings, sandbox_url=sandbox.url, data_dir=tmp_path,
                              creds=creds)  # fmt: skip
    with running(second):
        watch.until(lambda w: len(w.outcomes(sent.reply_id)) >= 2)
    assert len(sandbox.state.requests("linkedin")) == 1
    first_id, second_id = (e.event_id for e in watch.outcomes(sent.reply_id)[:2])
    assert first_id == second_id
