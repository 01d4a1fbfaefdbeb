"""YouTube Data API v3: commentThreads.list and comments.list responses."""

from __future__ import annotations

from typing import Any

from schemas import InboxItem, ItemAction, ItemKind
from services.ingest.domain.readers import (
    Context,
    Json,
    iso_time,
    items,
    make_item,
    obj,
    plain_text,
    polled_channel,
    text_of,
    unescaped,
)

_THREADS = "youtube#commentThreadListResponse"
_COMMENTS = "youtube#commentListResponse"


def normalise(ctx: Context, raw: Any) -> list[InboxItem]:
    """Items from one response page: every top-level comment and every nested reply."""
    if not isinstance(raw, dict):
        raise ctx.fail("<root>", f"expected a JSON object, got {type(raw).__name__}")
    kind = raw.get("kind")
    if kind not in (_THREADS, _COMMENTS):
        raise ctx.fail("kind", f"expected {_THREADS!r} or {_COMMENTS!r}, got {kind!r}")
    out: list[InboxItem] = []
    for i, resource in enumerate(items(ctx, raw, "items", "items")):
        path = f"items[{i}]"
        if kind == _THREADS:
            out += _thread(ctx, resource, path)
        else:
            snippet = obj(ctx, resource, "snippet", f"{path}.snippet")
            out += _comment(ctx, resource, path, snippet.get("videoId"), snippet.get("channelId"))
    return out


def _thread(ctx: Context, thread: Any, path: str) -> list[InboxItem]:
    snippet = obj(ctx, thread, "snippet", f"{path}.snippet")
    video_id = snippet.get("videoId")
    channel_id = snippet.get("channelId")
    top = obj(ctx, snippet, "topLevelComment", f"{path}.snippet.topLevelComment")
    out = _comment(ctx, top, f"{path}.snippet.topLevelComment", video_id, channel_id)
    replies = (thread.get("replies") or {}).get("comments") or []
    for i, reply in enumerate(replies):
        out += _comment(ctx, reply, f"{path}.replies.comments[{i}]", video_id, channel_id)
    return out


def _text(ctx: Context, snippet: Json, path: str) -> str:
    # textOriginal is the raw text; textDisplay is HTML, used when textOriginal is withheld.
    if isinstance(snippet.get("textOriginal"), str):
        return unescaped(snippet["textOriginal"])
    return plain_text(text_of(ctx, snippet, "textDisplay", f"{path}.snippet.textDisplay"))


def _comment(
    ctx: Context, comment: Any, path: str, video_id: Any, channel_id: Any
) -> list[InboxItem]:
    comment_id = text_of(ctx, comment, "id", f"{path}.id")
    snippet = obj(ctx, comment, "snippet", f"{path}.snippet")
    video = snippet.get("videoId") or video_id
    parent = snippet.get("parentId")
    display = snippet.get("authorDisplayName")
    author = snippet.get("authorChannelId") or {}
    published = iso_time(ctx, snippet.get("publishedAt"), f"{path}.snippet.publishedAt")
    fields: dict[str, object] = dict(
        **polled_channel(ctx, channel_id, f"{path}.snippet.channelId"),
        kind=ItemKind.REPLY if parent else ItemKind.COMMENT,
        platform_item_id=comment_id,
        parent_id=parent,
        thread_id=video,
        author_id=author.get("value") if isinstance(author, dict) else None,
        author_handle=display[1:] if isinstance(display, str) and display[:1] == "@" else None,
        author_name=display,
        text=_text(ctx, snippet, path),
        created_at=published,
        permalink=f"https://www.youtube.com/watch?v={video}&lc={comment_id}" if video else None,
    )
    out = [make_item(ctx, **fields)]
    updated = snippet.get("updatedAt")
    if updated and updated != snippet.get("publishedAt"):
        edited_at = iso_time(ctx, updated, f"{path}.snippet.updatedAt")
        if edited_at > published:
            edit = {**fields, "action": ItemAction.EDITED, "occurred_at": edited_at}
            out.append(make_item(ctx, **edit))
    return out
