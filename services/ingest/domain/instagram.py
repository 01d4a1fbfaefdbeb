"""Instagram: webhooks (comments, live_comments, mentions) and Graph API IG Comment objects."""

from __future__ import annotations

from typing import Any

from schemas import InboxItem, ItemKind, TimeSource
from services.ingest.domain.common import (
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
            for i, comment in enumerate(raw["data"])
            for item in _graph_comment(ctx, comment, f"data[{i}]")
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
    author = obj(ctx, value, "from", f"{path}.value.from")
    if str(author.get("id")) == account:
        return None  # the account's own reply: staff wrote it
    comment_id = id_of(ctx, value, "id", f"{path}.value.id")
    parent = value.get("parent_id")
    media = value.get("media") or {}
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


def _graph_comment(
    ctx: Context, comment: Any, path: str, parent_of_reply: str | None = None
) -> list[InboxItem]:
    if not isinstance(comment, dict):
        raise ctx.fail(path, "expected an IG Comment object")
    comment_id = id_of(ctx, comment, "id", f"{path}.id")
    author = comment.get("from") or {}
    handle = comment.get("username") or author.get("username")
    media = comment.get("media") or {}
    parent = comment.get("parent_id") or parent_of_reply
    item = make_item(
        ctx,
        **polled_channel(ctx, None, f"{path} (channel)"),
        kind=ItemKind.REPLY if parent else ItemKind.COMMENT,
        platform_item_id=comment_id,
        parent_id=str(parent) if parent else media.get("id"),
        thread_id=media.get("id"),
        author_id=str(author["id"]) if author.get("id") else None,
        author_handle=handle,
        text=unescaped(text_of(ctx, comment, "text", f"{path}.text")),
        created_at=iso_time(ctx, comment.get("timestamp"), f"{path}.timestamp"),
    )
    replies = (comment.get("replies") or {}).get("data") or []
    nested = [
        reply_item
        for i, reply in enumerate(replies)
        for reply_item in _graph_comment(ctx, reply, f"{path}.replies[{i}]", comment_id)
    ]
    return [item, *nested]
