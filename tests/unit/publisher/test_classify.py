"""Platform answers classified into FailureClass, per platform."""

from __future__ import annotations

from typing import Any

import pytest

from schemas.enums import Platform
from schemas.work import FailureClass as F
from services.publisher.domain.classify import posted, real_permalink, refusal
from services.publisher.domain.model import Answer, Posted, Refused, ReplyTarget


def _refused(platform: Platform, status: int, body: Any, retry: float | None = None) -> Refused:
    result = refusal(platform, Answer(status, {}, body), retry_after_s=retry)
    assert result is not None
    return result


def _graph(code: int, sub: int | None = None, **extra: Any) -> dict[str, Any]:
    return {"error": {"message": "m", "type": "OAuthException", "code": code,
                      "error_subcode": sub, **extra}}  # fmt: skip


def _google(status: int, reason: str) -> dict[str, Any]:
    return {"error": {"code": status, "message": "m", "errors": [{"reason": reason}]}}


@pytest.mark.parametrize(
    ("platform", "status", "body", "failure", "retryable", "transient"),
    [
        (Platform.TWITTER, 401, {"title": "Unauthorized", "detail": "Unauthorized"}, F.AUTH,
         False, False),
        (Platform.TWITTER, 403, {"detail": "You are not permitted to perform this action."},
         F.PERMISSION, False, False),
        (Platform.TWITTER, 403, {"detail": "You attempted to reply to a Tweet that is deleted or "
         "not visible to you."}, F.GONE, False, False),
        (Platform.TWITTER, 429, {"title": "Too Many Requests"}, F.RATE_LIMITED, True, True),
        (Platform.TWITTER, 503, "Service Unavailable", F.UNAVAILABLE, True, True),
        (Platform.TWITTER, 400, {"errors": [{"message": "text is too long"}]}, F.INVALID,
         False, False),
        (Platform.FACEBOOK, 400, _graph(190, 463), F.AUTH, False, False),
        (Platform.FACEBOOK, 403, _graph(200), F.PERMISSION, False, False),
        (Platform.FACEBOOK, 400, _graph(10), F.PERMISSION, False, False),
        (Platform.FACEBOOK, 400, _graph(100, 33), F.GONE, False, False),
        (Platform.FACEBOOK, 400, _graph(100), F.INVALID, False, False),
        (Platform.FACEBOOK, 400, _graph(32), F.RATE_LIMITED, True, True),
        (Platform.INSTAGRAM, 400, _graph(80001), F.RATE_LIMITED, True, True),
        (Platform.INSTAGRAM, 500, _graph(2), F.UNAVAILABLE, True, True),
        (Platform.INSTAGRAM, 400, _graph(9000, is_transient=True), F.UNAVAILABLE, True, True),
        (Platform.YOUTUBE, 401, _google(401, "authError"), F.AUTH, False, False),
        (Platform.YOUTUBE, 403, _google(403, "insufficientPermissions"), F.PERMISSION, False,
         False),
        (Platform.YOUTUBE, 404, _google(404, "parentCommentNotFound"), F.GONE, False, False),
        (Platform.YOUTUBE, 400, _google(400, "commentTextTooLong"), F.INVALID, False, False),
        (Platform.YOUTUBE, 403, _google(403, "quotaExceeded"), F.RATE_LIMITED, True, False),
        (Platform.YOUTUBE, 403, _google(403, "rateLimitExceeded"), F.RATE_LIMITED, True, True),
        (Platform.YOUTUBE, 503, _google(503, "backendError"), F.UNAVAILABLE, True, True),
        (Platform.LINKEDIN, 401, {"code": "EXPIRED_ACCESS_TOKEN", "message": "expired"}, F.AUTH,
         False, False),
        (Platform.LINKEDIN, 403, {"message": "Not enough permissions"}, F.PERMISSION, False,
         False),
        (Platform.LINKEDIN, 404, {"message": "Comment not found"}, F.GONE, False, False),
        (Platform.LINKEDIN, 422, {"message": "too long"}, F.INVALID, False, False),
        (Platform.LINKEDIN, 429, {"message": "throttled"}, F.RATE_LIMITED, True, True),
        (Platform.FLICKR, 200, {"stat": "fail", "code": 1, "message": "Photo not found"}, F.GONE,
         False, False),
        (Platform.FLICKR, 200, {"stat": "fail", "code": 98, "message": "Invalid auth token"},
         F.AUTH, False, False),
        (Platform.FLICKR, 200, {"stat": "fail", "code": 99, "message": "Insufficient"},
         F.PERMISSION, False, False),
        (Platform.FLICKR, 200, {"stat": "fail", "code": 9, "message": "too fast"}, F.RATE_LIMITED,
         True, True),
        (Platform.FLICKR, 200, {"stat": "fail", "code": 106, "message": "Write failed"},
         F.UNAVAILABLE, True, True),
        (Platform.FLICKR, 200, {"stat": "fail", "code": 8, "message": "Blank comment"}, F.INVALID,
         False, False),
    ],
)  # fmt: skip
def test_each_platform_error_is_classified(
    platform: Platform, status: int, body: Any, failure: F, retryable: bool, transient: bool
) -> None:
    result = _refused(platform, status, body)
    assert (result.failure, result.retryable, result.transient) == (failure, retryable, transient)
    assert result.error


def test_x_duplicate_content_is_flagged() -> None:
    body = {"detail": "You are not allowed to create a Tweet with duplicate content."}
    result = _refused(Platform.TWITTER, 403, body)
    assert result.duplicate and result.failure is F.INVALID


def test_retry_after_is_carried_and_errors_are_bounded() -> None:
    assert _refused(Platform.LINKEDIN, 429, {}, retry=7.0).retry_after_s == 7.0
    assert len(_refused(Platform.TWITTER, 400, {"detail": "x" * 50_000}).error) < 2000


def test_accepted_answers_are_not_refusals() -> None:
    assert (
        refusal(Platform.TWITTER, Answer(201, {}, {"data": {"id": "1"}}), retry_after_s=None)
        is None
    )
    ok = Answer(200, {}, {"stat": "ok", "comment": {"id": "1-2-3"}})
    assert refusal(Platform.FLICKR, ok, retry_after_s=None) is None


def _target(platform: Platform, thread: str | None = None) -> ReplyTarget:
    return ReplyTarget(platform, f"{platform.value}:a", "1", "hi", thread_id=thread)


@pytest.mark.parametrize(
    ("platform", "answer", "pid"),
    [
        (Platform.TWITTER, Answer(201, {}, {"data": {"id": "19"}}), "19"),
        (Platform.FACEBOOK, Answer(200, {}, {"id": "1_2"}), "1_2"),
        (Platform.INSTAGRAM, Answer(200, {}, {"id": "178"}), "178"),
        (Platform.YOUTUBE, Answer(200, {}, {"id": "Ugz.1", "snippet": {"videoId": "v"}}), "Ugz.1"),
        (Platform.LINKEDIN, Answer(201, {"x-restli-id": "urn:li:comment:(urn:li:activity:1,2)"},
                                   ""), "urn:li:comment:(urn:li:activity:1,2)"),
        (Platform.FLICKR, Answer(200, {}, {"stat": "ok", "comment": {"id": "1-52-7"}}), "1-52-7"),
    ],
)  # fmt: skip
def test_posted_ids_are_read_from_each_platforms_answer(
    platform: Platform, answer: Answer, pid: str
) -> None:
    result = posted(_target(platform), answer)
    assert isinstance(result, Posted) and result.platform_id == pid


def test_an_accepted_answer_without_an_id_is_not_retried() -> None:
    result = posted(_target(Platform.FACEBOOK), Answer(200, {}, {}))
    assert isinstance(result, Refused) and not result.retryable and not result.transient


def test_permalinks() -> None:
    sandbox = posted(_target(Platform.LINKEDIN), Answer(201, {"x-restli-id": "urn:li:c:(a,1)"}, ""),
                     permalink_base="http://127.0.0.1:1/_sandbox/p/")  # fmt: skip
    assert isinstance(sandbox, Posted)
    assert sandbox.permalink == "http://127.0.0.1:1/_sandbox/p/linkedin/urn%3Ali%3Ac%3A%28a%2C1%29"
    assert real_permalink(_target(Platform.TWITTER), "19", {}) == "https://x.com/i/web/status/19"
    yt = real_permalink(_target(Platform.YOUTUBE), "Ugz.1", {"snippet": {"videoId": "v"}})
    assert yt == "https://www.youtube.com/watch?v=v&lc=Ugz.1"
    assert real_permalink(_target(Platform.INSTAGRAM), "178", {}) is None
    flickr = real_permalink(_target(Platform.FLICKR, "52"), "1-52-7", {})
    assert flickr == "https://www.flickr.com/photo.gne?id=52#comment7"
