"""Builders of raw platform payloads, each in the platform's own format.

The demo, end-to-end tests and benchmarks use these to make realistic traffic; the unit
tests check every builder's output goes through the normalisers. Times are aware datetimes
and come out in each platform's own format (v1.1 dates, Unix seconds, '+0000' offsets,
epoch milliseconds).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

Payload = dict[str, Any]
_HASHTAG = re.compile(r"#(\w+)")


def _v1_date(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%a %b %d %H:%M:%S +0000 %Y")


def _iso_z(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _unix(at: datetime) -> int:
    return int(at.timestamp())


def twitter_mention_webhook(
    *,
    for_user_id: str,
    addressed_handle: str,
    tweet_id: str,
    text: str,
    created_at: datetime,
    author_id: str,
    author_handle: str,
    author_name: str | None = None,
    in_reply_to_status_id: str | None = None,
) -> Payload:
    """Account Activity `tweet_create_events` delivery: a tweet naming @addressed_handle.

    With in_reply_to_status_id the tweet replies to the addressed account (a comment).
    """
    handle = addressed_handle.lstrip("@")
    body = text if f"@{handle}".lower() in text.lower() else f"@{handle} {text}"
    tags = [{"text": t} for t in _HASHTAG.findall(body)]
    tweet: Payload = {
        "created_at": _v1_date(created_at),
        "id_str": tweet_id,
        "text": body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
        "in_reply_to_status_id_str": in_reply_to_status_id,
        "in_reply_to_user_id_str": for_user_id if in_reply_to_status_id else None,
        "in_reply_to_screen_name": handle if in_reply_to_status_id else None,
        "user": {"id_str": author_id, "screen_name": author_handle, "name": author_name},
        "entities": {
            "hashtags": tags,
            "user_mentions": [{"screen_name": handle, "id_str": for_user_id}],
        },
    }
    return {"for_user_id": for_user_id, "tweet_create_events": [tweet]}


def twitter_delete_webhook(
    *, for_user_id: str, tweet_id: str, author_id: str, deleted_at: datetime
) -> Payload:
    """Account Activity `tweet_delete_events` delivery."""
    return {
        "for_user_id": for_user_id,
        "tweet_delete_events": [
            {
                "status": {"id": tweet_id, "user_id": author_id},
                "timestamp_ms": str(int(deleted_at.timestamp() * 1000)),
            }
        ],
    }


def twitter_mentions_timeline(
    *,
    addressed_handle: str,
    addressed_id: str,
    tweet_id: str,
    text: str,
    created_at: datetime,
    author_id: str,
    author_handle: str,
    author_name: str | None = None,
) -> Payload:
    """A one-tweet page of GET /2/users/:id/mentions with the author_id expansion."""
    handle = addressed_handle.lstrip("@")
    body = text if f"@{handle}".lower() in text.lower() else f"@{handle} {text}"
    start = body.lower().index(f"@{handle}".lower())
    return {
        "data": [
            {
                "id": tweet_id,
                "text": body.replace("&", "&amp;"),
                "author_id": author_id,
                "created_at": created_at.astimezone(UTC).isoformat(timespec="milliseconds")[:-6]
                + "Z",
                "conversation_id": tweet_id,
                "edit_history_tweet_ids": [tweet_id],
                "entities": {
                    "mentions": [
                        {
                            "start": start,
                            "end": start + len(handle) + 1,
                            "username": handle,
                            "id": addressed_id,
                        }
                    ],
                    "hashtags": [{"tag": t} for t in _HASHTAG.findall(body)],
                },
            }
        ],
        "includes": {"users": [{"id": author_id, "username": author_handle, "name": author_name}]},
        "meta": {"newest_id": tweet_id, "oldest_id": tweet_id, "result_count": 1},
    }


def facebook_comment_webhook(
    *,
    page_id: str,
    post_id: str,
    comment_id: str,
    text: str,
    created_at: datetime,
    author_id: str,
    author_name: str,
    parent_id: str | None = None,
    verb: str = "add",
) -> Payload:
    """Page webhook, field `feed`, item `comment`; verb add, edited, remove, hide or unhide.

    post_id is the full '<page>_<post>' id; parent_id defaults to the post (a top-level
    comment); give a comment id to make a reply.
    """
    value: Payload = {
        "from": {"id": author_id, "name": author_name},
        "post_id": post_id,
        "comment_id": comment_id,
        "created_time": _unix(created_at),
        "item": "comment",
        "parent_id": parent_id or post_id,
        "verb": verb,
    }
    if verb != "remove":
        value["message"] = text
    entry = {
        "id": page_id,
        "time": _unix(created_at),
        "changes": [{"field": "feed", "value": value}],
    }
    return {"object": "page", "entry": [entry]}


def facebook_mention_webhook(
    *, page_id: str, post_id: str, sender_id: str, sender_name: str, created_at: datetime
) -> Payload:
    """Page webhook, field `mention`: the page was tagged in a post."""
    value = {
        "post_id": post_id,
        "sender_name": sender_name,
        "sender_id": sender_id,
        "item": "post",
        "verb": "add",
    }
    entry = {
        "id": page_id,
        "time": _unix(created_at),
        "changes": [{"field": "mention", "value": value}],
    }
    return {"object": "page", "entry": [entry]}


def instagram_comment_webhook(
    *,
    account_id: str,
    comment_id: str,
    media_id: str,
    text: str,
    author_id: str,
    author_handle: str,
    sent_at: datetime,
    parent_id: str | None = None,
    live: bool = False,
) -> Payload:
    """Instagram webhook, field `comments` (or `live_comments`); no creation time, by design."""
    value: Payload = {
        "from": {"id": author_id, "username": author_handle},
        "media": {"id": media_id, "media_product_type": "LIVE" if live else "FEED"},
        "id": comment_id,
        "text": text,
    }
    if parent_id:
        value["parent_id"] = parent_id
    change = {"field": "live_comments" if live else "comments", "value": value}
    return {
        "object": "instagram",
        "entry": [{"id": account_id, "time": _unix(sent_at), "changes": [change]}],
    }


def instagram_mention_webhook(
    *, account_id: str, media_id: str, sent_at: datetime, comment_id: str | None = None
) -> Payload:
    """Instagram webhook, field `mentions`: the account was @mentioned in a caption or comment."""
    value: Payload = {"media_id": media_id}
    if comment_id:
        value["comment_id"] = comment_id
    change = {"field": "mentions", "value": value}
    return {
        "object": "instagram",
        "entry": [{"id": account_id, "time": _unix(sent_at), "changes": [change]}],
    }


def instagram_graph_comments(
    *, comment_id: str, text: str, created_at: datetime, author_handle: str
) -> Payload:
    """A one-comment page of GET /{ig-media-id}/comments ('+0000' timestamps)."""
    stamp = created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
    return {
        "data": [{"timestamp": stamp, "text": text, "id": comment_id, "username": author_handle}]
    }


def youtube_comment_threads(
    *,
    channel_id: str,
    video_id: str,
    comment_id: str,
    text: str,
    author_name: str,
    author_channel_id: str,
    published_at: datetime,
    updated_at: datetime | None = None,
    next_page_token: str | None = None,
) -> Payload:
    """A one-thread page of commentThreads.list (part=snippet,replies)."""
    snippet = {
        "videoId": video_id,
        "textDisplay": text.replace("&", "&amp;").replace("'", "&#39;"),
        "textOriginal": text,
        "authorDisplayName": author_name,
        "authorChannelUrl": f"http://www.youtube.com/channel/{author_channel_id}",
        "authorChannelId": {"value": author_channel_id},
        "likeCount": 0,
        "publishedAt": _iso_z(published_at),
        "updatedAt": _iso_z(updated_at or published_at),
    }
    top = {"kind": "youtube#comment", "id": comment_id, "snippet": snippet}
    thread = {
        "kind": "youtube#commentThread",
        "id": comment_id,
        "snippet": {
            "channelId": channel_id,
            "videoId": video_id,
            "topLevelComment": top,
            "canReply": True,
            "totalReplyCount": 0,
            "isPublic": True,
        },
    }
    page: Payload = {"kind": "youtube#commentThreadListResponse", "items": [thread]}
    if next_page_token:
        page["nextPageToken"] = next_page_token
    return page


def flickr_comments(
    *,
    photo_id: str,
    owner: str,
    comment_id: str,
    text: str,
    author_id: str,
    author_name: str,
    created_at: datetime,
) -> Payload:
    """flickr.photos.comments.getList JSON for one comment; `text` may hold Flickr HTML."""
    suffix = comment_id.rsplit("-", 1)[-1]
    comment = {
        "id": comment_id,
        "author": author_id,
        "author_is_deleted": 0,
        "authorname": author_name,
        "datecreate": str(_unix(created_at)),
        "permalink": f"https://www.flickr.com/photos/{owner}/{photo_id}/#comment{suffix}",
        "path_alias": "",
        "realname": author_name,
        "_content": text,
    }
    return {"comments": {"photo_id": photo_id, "comment": [comment]}, "stat": "ok"}


def linkedin_comments(
    *,
    post_urn: str,
    comment_id: str,
    text: str,
    actor: str,
    created_at: datetime,
    edited_at: datetime | None = None,
    parent_comment: str | None = None,
) -> Payload:
    """A one-comment page of GET /rest/socialActions/{post_urn}/comments (epoch ms times)."""
    created_ms = int(created_at.timestamp() * 1000)
    comment: Payload = {
        "actor": actor,
        "commentUrn": f"urn:li:comment:({post_urn},{comment_id})",
        "created": {"actor": actor, "time": created_ms},
        "lastModified": {
            "actor": actor,
            "time": int(edited_at.timestamp() * 1000) if edited_at else created_ms,
        },
        "id": comment_id,
        "message": {"attributes": [], "text": text},
        "object": post_urn,
    }
    if parent_comment:
        comment["parentComment"] = parent_comment
    return {"paging": {"start": 0, "count": 10, "links": [], "total": 1}, "elements": [comment]}
