"""The request each platform documents for a reply and for moderation, without credentials."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from schemas.enums import Platform
from schemas.work import ModerationOp
from services.publisher.domain.model import PlatformRequest, ReplyTarget

_FLICKR_COMMENT = re.compile(r"^\d+-(\d+)-\d+$")  # author-photo-sequence, as Flickr lists them
_LINKEDIN_COMMENT = re.compile(r"^urn:li:comment:\((urn:li:[a-zA-Z]+:\d+),\d+\)$")


class UnsupportedError(ValueError):
    """The platform has no API for this (e.g. moderation on X, LinkedIn, Flickr)."""


class BadTargetError(ValueError):
    """The id replied to cannot be what the platform expects (a reply fails as invalid)."""


@dataclass(frozen=True)
class ApiVersions:
    """Versions pinned in the request path or headers."""

    graph: str = "v21.0"
    linkedin: str = "202411"


def reply_request(target: ReplyTarget, *, versions: ApiVersions) -> PlatformRequest:
    """The platform's documented request that posts `target.text` under `in_reply_to`."""
    match target.platform:
        case Platform.TWITTER:
            body = {"text": target.text, "reply": {"in_reply_to_tweet_id": target.in_reply_to}}
            return PlatformRequest("POST", "/2/tweets", json=body)
        case Platform.FACEBOOK:
            return PlatformRequest(
                "POST",
                f"/{versions.graph}/{_node(target.in_reply_to)}/comments",
                form={"message": target.text},
            )
        case Platform.INSTAGRAM:
            # Documented as a query parameter: POST /{ig-comment-id}/replies?message=...
            return PlatformRequest(
                "POST",
                f"/{versions.graph}/{_node(target.in_reply_to)}/replies",
                params={"message": target.text},
            )
        case Platform.YOUTUBE:
            snippet = {"parentId": youtube_parent(target.in_reply_to), "textOriginal": target.text}
            return PlatformRequest(
                "POST",
                "/youtube/v3/comments",
                params={"part": "snippet"},
                json={"snippet": snippet},
            )
        case Platform.LINKEDIN:
            return _linkedin(target, versions=versions)
        case Platform.FLICKR:
            form = {
                "method": "flickr.photos.comments.addComment",
                "photo_id": flickr_photo_id(target.in_reply_to, thread_id=target.thread_id),
                "comment_text": target.text,
                "format": "json",
                "nojsoncallback": "1",
            }
            return PlatformRequest("POST", "/services/rest/", form=form)
    raise UnsupportedError(f"no publisher for platform {target.platform}")


def _node(graph_id: str) -> str:
    if not re.fullmatch(r"[0-9_]{1,100}", graph_id):
        raise BadTargetError(f"not a Graph API object id: {graph_id!r}")
    return graph_id


def youtube_parent(comment_id: str) -> str:
    """A reply's id is `<top-level id>.<reply id>`; replies go under the top-level comment."""
    return comment_id.split(".", 1)[0]


def flickr_photo_id(comment_id: str, *, thread_id: str | None) -> str:
    """Flickr comments are on photos: the photo id is the thread, or inside the comment id."""
    if thread_id:
        return thread_id
    found = _FLICKR_COMMENT.match(comment_id)
    if found:
        return found.group(1)
    if comment_id.isdigit():
        return comment_id
    raise BadTargetError(f"cannot tell the Flickr photo from comment id {comment_id!r}")


def _linkedin(target: ReplyTarget, *, versions: ApiVersions) -> PlatformRequest:
    if not target.actor_urn:
        raise BadTargetError("LinkedIn replies need the organisation's URN (actor)")
    nested = _LINKEDIN_COMMENT.match(target.in_reply_to)
    body: dict[str, object] = {"actor": target.actor_urn, "message": {"text": target.text}}
    if nested:
        body["object"] = nested.group(1)
        body["parentComment"] = target.in_reply_to
    elif target.in_reply_to.startswith("urn:li:"):
        body["object"] = target.in_reply_to
    else:
        raise BadTargetError(f"not a LinkedIn URN: {target.in_reply_to!r}")
    return PlatformRequest(
        "POST",
        f"/rest/socialActions/{quote(target.in_reply_to, safe='')}/comments",
        json=body,
        headers=linkedin_headers(versions),
    )


def linkedin_headers(versions: ApiVersions) -> dict[str, str]:
    """Headers every versioned LinkedIn call needs."""
    return {"LinkedIn-Version": versions.linkedin, "X-Restli-Protocol-Version": "2.0.0"}


def moderation_request(
    platform: Platform, op: ModerationOp, comment_id: str, *, versions: ApiVersions
) -> PlatformRequest:
    """Hide, unhide or delete a comment, where the platform has an API for it."""
    if platform in (Platform.FACEBOOK, Platform.INSTAGRAM):
        path = f"/{versions.graph}/{_node(comment_id)}"
        if op is ModerationOp.DELETE:
            return PlatformRequest("DELETE", path)
        flag = "is_hidden" if platform is Platform.FACEBOOK else "hide"
        return PlatformRequest("POST", path, form={flag: str(op is ModerationOp.HIDE).lower()})
    if platform is Platform.YOUTUBE:
        if op is ModerationOp.DELETE:
            return PlatformRequest("DELETE", "/youtube/v3/comments", params={"id": comment_id})
        # heldForReview hides the comment from the public and can be undone ("published");
        # "rejected" would also hide it but is meant for comments to remove for good.
        status = "heldForReview" if op is ModerationOp.HIDE else "published"
        return PlatformRequest(
            "POST",
            "/youtube/v3/comments/setModerationStatus",
            params={"id": comment_id, "moderationStatus": status},
        )
    raise UnsupportedError(f"{platform.value} has no API to {op.value} a comment")
