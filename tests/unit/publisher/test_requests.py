"""Each platform's documented request for a reply and for moderation."""

from __future__ import annotations

import pytest

from schemas.enums import Platform
from schemas.work import ModerationOp
from services.publisher.domain.model import ReplyTarget
from services.publisher.domain.requests import (
    ApiVersions,
    BadTargetError,
    UnsupportedError,
    flickr_photo_id,
    moderation_request,
    reply_request,
    youtube_parent,
)

V = ApiVersions(graph="v21.0", linkedin="202411")


def _req(platform: Platform, to: str, **kw: str) -> ReplyTarget:
    return ReplyTarget(platform, f"{platform.value}:a", to, "Thank you!", **kw)


def test_x() -> None:
    r = reply_request(_req(Platform.TWITTER, "186"), versions=V)
    assert (r.method, r.path) == ("POST", "/2/tweets")
    assert r.json == {"text": "Thank you!", "reply": {"in_reply_to_tweet_id": "186"}}


def test_facebook_and_instagram() -> None:
    fb = reply_request(_req(Platform.FACEBOOK, "104_9"), versions=V)
    assert (fb.path, fb.form) == ("/v21.0/104_9/comments", {"message": "Thank you!"})
    ig = reply_request(_req(Platform.INSTAGRAM, "1789"), versions=V)
    assert (ig.path, ig.params, ig.form) == ("/v21.0/1789/replies", {"message": "Thank you!"}, None)
    with pytest.raises(BadTargetError):
        reply_request(_req(Platform.FACEBOOK, "../me/feed"), versions=V)


def test_youtube_replies_go_under_the_top_level_comment() -> None:
    r = reply_request(_req(Platform.YOUTUBE, "UgzTop.UgzReply"), versions=V)
    assert r.params == {"part": "snippet"}
    assert r.json == {"snippet": {"parentId": "UgzTop", "textOriginal": "Thank you!"}}
    assert youtube_parent("UgzTop") == "UgzTop"


def test_linkedin_nested_comment_with_version_and_actor() -> None:
    urn = "urn:li:comment:(urn:li:activity:71,72)"
    r = reply_request(_req(Platform.LINKEDIN, urn, actor_urn="urn:li:organization:9"), versions=V)
    assert (
        r.path
        == "/rest/socialActions/urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A71%2C72%29/comments"
    )
    assert r.headers == {"LinkedIn-Version": "202411", "X-Restli-Protocol-Version": "2.0.0"}
    assert r.json == {"actor": "urn:li:organization:9", "message": {"text": "Thank you!"},
                      "object": "urn:li:activity:71", "parentComment": urn}  # fmt: skip
    share = _req(Platform.LINKEDIN, "urn:li:share:5", actor_urn="urn:li:organization:9")
    post = reply_request(share, versions=V)
    assert post.json is not None and post.json["object"] == "urn:li:share:5"
    with pytest.raises(BadTargetError, match="organisation"):
        reply_request(_req(Platform.LINKEDIN, urn), versions=V)


def test_flickr_comments_go_on_the_photo() -> None:
    r = reply_request(_req(Platform.FLICKR, "6065-109722179-72057594077818641"), versions=V)
    assert r.path == "/services/rest/"
    assert r.form == {
        "method": "flickr.photos.comments.addComment",
        "photo_id": "109722179",
        "comment_text": "Thank you!",
        "format": "json",
        "nojsoncallback": "1",
    }
    assert flickr_photo_id("x", thread_id="52") == "52"
    with pytest.raises(BadTargetError):
        flickr_photo_id("not-a-comment", thread_id=None)


@pytest.mark.parametrize(("platform", "op", "method", "path", "params", "form"), [
    (Platform.FACEBOOK, ModerationOp.HIDE, "POST", "/v21.0/1_2", {}, {"is_hidden": "true"}),
    (Platform.FACEBOOK, ModerationOp.UNHIDE, "POST", "/v21.0/1_2", {}, {"is_hidden": "false"}),
    (Platform.INSTAGRAM, ModerationOp.HIDE, "POST", "/v21.0/1_2", {}, {"hide": "true"}),
    (Platform.INSTAGRAM, ModerationOp.DELETE, "DELETE", "/v21.0/1_2", {}, None),
    (Platform.YOUTUBE, ModerationOp.HIDE, "POST", "/youtube/v3/comments/setModerationStatus",
     {"id": "1_2", "moderationStatus": "heldForReview"}, None),
    (Platform.YOUTUBE, ModerationOp.UNHIDE, "POST", "/youtube/v3/comments/setModerationStatus",
     {"id": "1_2", "moderationStatus": "published"}, None),
    (Platform.YOUTUBE, ModerationOp.DELETE, "DELETE", "/youtube/v3/comments", {"id": "1_2"}, None),
])  # fmt: skip
def test_moderation_requests(
    platform: Platform,
    op: ModerationOp,
    method: str,
    path: str,
    params: dict[str, str],
    form: dict[str, str] | None,
) -> None:
    r = moderation_request(platform, op, "1_2", versions=V)
    assert (r.method, r.path, r.params, r.form) == (method, path, params, form)


@pytest.mark.parametrize("platform", [Platform.TWITTER, Platform.LINKEDIN, Platform.FLICKR])
def test_moderation_is_unsupported_elsewhere(platform: Platform) -> None:
    with pytest.raises(UnsupportedError, match="no API"):
        moderation_request(platform, ModerationOp.HIDE, "1", versions=V)
