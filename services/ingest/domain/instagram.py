"""Instagram: webhooks (comments, live_comments, mentions) and Graph API IG Comment objects.

Comment webhooks before 2021 carried only `id` and `text` (no `from`, no `media`); such an
item has no author and no post, and says so by leaving them empty rather than being refused.
A Graph media page (`GET /{ig-user-id}/media?fields=id,comments{...}`, the backfill poller's
read) holds media objects, each with a `comments` edge.
"""

from __future__ import annotations

from typing import Any

from schemas import InboxItem, ItemKind, TimeSource
from services.ingest.domain.fields import sub
from services.ingest.domain.readers import (
    Context,
    Json,
    channel_fields,
    delivery_time,
    id_of,
    iso_time,
    items,
    make_item,
    obj,
    polled_channel,
    text_of,
    unescaped,
)


def normalise(ctx: Context, raw: Any) -> list[InboxItem]:
    """Items from a webhook delivery, a comments edge page, or one IG Comment."""
    if not isinstance(raw, dict):
        raise ctx.fail("<root>", f"expected a JSON object, got {type(raw).__name__}")
    if raw.get("object") == "instagram":
        return _webhook(ctx, raw)
    if isinstance(raw.get("data"), list):
        return [
            item
            for i, entry in enumerate(raw["data"])
            for item in _graph_entry(ctx, entry, f"data[{i}]")
        ]
    if "timestamp" in raw and "id" in raw:
        return _graph_comment(ctx, raw, "<root>")
    raise ctx.fail(
        "object",
        "unrecognised payload: expected a webhook delivery (object 'instagram'), "
        "a comments page (data) or an IG Comment (id, timestamp)",
    )


def _webhook(ctx: Context, raw: Json) -> list[InboxItem]:
    out: list[InboxItem] = []
    for i, entry in enumerate(items(ctx, raw, "entry", "entry")):
        path = f"entry[{i}]"
        account = id_of(ctx, entry, "id", f"{path}.id")
        # Meta's examples show the change inline in the entry as well as in `changes`.
        changes = entry.get("changes", [entry])
        if not isinstance(changes, list):
            raise ctx.fail(f"{path}.changes", "expected an array")
        for j, change in enumerate(changes):
            item = _change(ctx, entry, account, change, f"{path}.changes[{j}]")
            if item is not None:
                out.append(item)
    return out


def _change(ctx: Context, entry: Json, account: str, change: Any, path: str) -> InboxItem | None:
    field = text_of(ctx, change, "field", f"{path}.field")
    value = obj(ctx, change, "value", f"{path}.value")
    if field == "mentions":
        return _mention(ctx, entry, account, value, path)
    if field not in ("comments", "live_comments"):
        raise ctx.fail(f"{path}.field", f"unsupported Instagram webhook field {field!r}")
    author = sub(value, "from")
    if author.get("id") is not None and str(author["id"]) == account:
        return None  # the account's own reply: staff wrote it
    comment_id = id_of(ctx, value, "id", f"{path}.value.id")
    parent = value.get("parent_id")
    media = sub(value, "media")
    kind = ItemKind.LIVE_COMMENT if field == "live_comments" else ItemKind.COMMENT
    return make_item(
        ctx,
        **channel_fields(ctx, account),
        kind=ItemKind.REPLY if parent and kind is ItemKind.COMMENT else kind,
        platform_item_id=comment_id,
        parent_id=str(parent) if parent else media.get("id"),
        thread_id=media.get("id"),
        author_id=str(author.get("id") or "") or None,
        author_handle=author.get("username"),
        text=unescaped(str(value.get("text") or "")),
        # Comment webhooks carry no creation time: the entry (delivery) time stands in.
        created_at=delivery_time(ctx, entry, f"{path.rsplit('.', 1)[0]}.time"),
        created_at_source=TimeSource.DELIVERY,
    )


def _mention(ctx: Context, entry: Json, account: str, value: Json, path: str) -> InboxItem:
    media_id = id_of(ctx, value, "media_id", f"{path}.value.media_id")
    comment_id = value.get("comment_id")
    return make_item(
        ctx,
        **channel_fields(ctx, account),
        kind=ItemKind.MENTION,
        platform_item_id=str(comment_id) if comment_id else media_id,
        parent_id=media_id if comment_id else None,
        thread_id=media_id,
        # The mention webhook names only ids; the text needs a Graph API lookup.
        text="",
        created_at=delivery_time(ctx, entry, f"{path.rsplit('.', 1)[0]}.time"),
        created_at_source=TimeSource.DELIVERY,
    )


def _graph_entry(ctx: Context, entry: Any, path: str) -> list[InboxItem]:
    """A comment of a comments page, or a media object with its comments edge."""
    if isinstance(entry, dict) and isinstance(entry.get("comments"), dict):
        media_id = id_of(ctx, entry, "id", f"{path}.id")
        comments = items(ctx, entry["comments"], "data", f"{path}.comments.data")
        return [
            item
            for j, comment in enumerate(comments)
            for item in _graph_comment(ctx, comment, f"{path}.comments.data[{j}]", None, media_id)
        ]
    if isinstance(entry, dict) and "timestamp" not in entry and "text" not in entry:
        return []  # a media object without comments (Graph omits an empty edge)
    return _graph_comment(ctx, entry, path)


def _graph_comment(
    ctx: Context,
    comment: Any,
    path: str,
    parent_of_reply: str | None = None,
    media_of_page: str | None = None,
) -> list[InboxItem]:
    if not isinstance(comment, dict):
        raise ctx.fail(path, "expected an IG Comment object")
    comment_id = id_of(ctx, comment, "id", f"{path}.id")
    author = comment.get("from") or {}
    handle = comment.get("username") or author.get("username")
    media = sub(comment, "media")
    media_id = media.get("id") or media_of_page
    parent = comment.get("parent_id") or parent_of_reply
    if _own(ctx, author, handle):
        return []  # the account's own reply: staff wrote it
    item = make_item(
        ctx,
        **polled_channel(ctx, None, f"{path} (channel)"),
        kind=ItemKind.REPLY if parent else ItemKind.COMMENT,
        platform_item_id=comment_id,
        parent_id=str(parent) if parent else media_id,
        thread_id=media_id,
        author_id=str(author["id"]) if author.get("id") else None,
        author_handle=handle,
        text=unescaped(text_of(ctx, comment, "text", f"{path}.text")),
        created_at=iso_time(ctx, comment.get("timestamp"), f"{path}.timestamp"),
    )
    replies = (comment.get("replies") or {}).get("data") or []
    nested = [
        reply_item
        for i, reply in enumerate(replies)
        for reply_item in _graph_comment(ctx, reply, f"{path}.replies[{i}]", comment_id, media_id)
    ]
    return [item, *nested]


def _own(ctx: Context, author: Json, handle: Any) -> bool:
    """Whether a polled comment is the polled account's own (by id or username)."""
    polled = ctx.registry.resolve(ctx.channel or "", ctx.platform)
    if polled is None:
        return False
    for name in (author.get("id"), handle):
        found = ctx.registry.resolve(str(name), ctx.platform) if name else None
        if found is not None and found.id == polled.id:
            return True
    return False
