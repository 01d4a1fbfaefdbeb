"""Facebook: Page webhooks (`feed`: comments, visitor posts; `mention`) and Graph API pages.

The Page's own posts and comments are never inbox items, whichever shape names the author:
`from.id` (feed changes, Graph objects) or `sender_id` (visitor-post and mention changes).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from schemas import InboxItem, ItemAction, ItemKind, TimeSource
from services.ingest.domain import facebook_graph
from services.ingest.domain.fields import sub
from services.ingest.domain.meta_media import webhook_media
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
    text_of,
    unescaped,
    unix_time,
)

_VERBS = {
    "add": ItemAction.CREATED,
    "edited": ItemAction.EDITED,
    "edit": ItemAction.EDITED,
    "remove": ItemAction.DELETED,
    "hide": ItemAction.HIDDEN,
    "unhide": ItemAction.UNHIDDEN,
}
_POSTS = frozenset({"post", "status", "photo", "video"})
# Feed changes without words addressed to anyone: acknowledged, nothing to ingest.
_SILENT_ITEMS = frozenset({"reaction", "like", "share", "event", "album", "story"})


def normalise(ctx: Context, raw: Any) -> list[InboxItem]:
    """Items from a Page webhook delivery (object 'page') or a Graph API page (data)."""
    if isinstance(raw, dict) and raw.get("object") is None and "data" in raw:
        return facebook_graph.normalise(ctx, raw)
    if isinstance(raw, dict) and raw.get("object") is None and "message" in raw and "id" in raw:
        return facebook_graph.normalise(ctx, {"data": [raw]})
    if not isinstance(raw, dict) or raw.get("object") != "page":
        raise ctx.fail(
            "object",
            "expected a Page webhook delivery with object 'page' or a Graph API page (data)",
        )
    out: list[InboxItem] = []
    for i, entry in enumerate(items(ctx, raw, "entry", "entry")):
        path = f"entry[{i}]"
        page_id = id_of(ctx, entry, "id", f"{path}.id")
        for j, change in enumerate(items(ctx, entry, "changes", f"{path}.changes")):
            item = _change(ctx, entry, page_id, change, f"{path}.changes[{j}]")
            if item is not None:
                out.append(item)
    return out


def _change(ctx: Context, entry: Json, page_id: str, change: Any, path: str) -> InboxItem | None:
    field = text_of(ctx, change, "field", f"{path}.field")
    value = obj(ctx, change, "value", f"{path}.value")
    item_type = text_of(ctx, value, "item", f"{path}.value.item")
    if field not in ("feed", "mention"):
        raise ctx.fail(f"{path}.field", f"unsupported Page webhook field {field!r}")
    if item_type in _SILENT_ITEMS:
        return None
    if item_type != "comment" and item_type not in _POSTS:
        raise ctx.fail(f"{path}.value.item", f"unsupported feed item {item_type!r}")
    verb = text_of(ctx, value, "verb", f"{path}.value.verb")
    if verb not in _VERBS:
        raise ctx.fail(f"{path}.value.verb", f"unsupported verb {verb!r}")
    if _is_page(ctx, _author_id(value), page_id):
        return None  # the page's own post, comment or reply: staff wrote it
    return _item(ctx, entry, page_id, field, value, path)


def _is_page(ctx: Context, author_id: str | None, page_id: str) -> bool:
    """Whether the author is the Page: the same id, or two names of one registry channel.

    The entry may name the Page by handle and the author by its numeric id.
    """
    if author_id is None:
        return False
    if author_id == page_id:
        return True
    page = ctx.registry.resolve(page_id, ctx.platform)
    author = ctx.registry.resolve(author_id, ctx.platform)
    return page is not None and author is not None and page.id == author.id


def _author_id(value: Json) -> str | None:
    """Who wrote the item: `from.id` on comments, `sender_id` on posts and mentions."""
    author = value.get("from")
    if isinstance(author, dict) and author.get("id") is not None:
        return str(author["id"])
    sender = value.get("sender_id")
    return str(sender) if sender is not None else None


def _item(ctx: Context, entry: Json, page_id: str, field: str, value: Json, path: str) -> InboxItem:
    action = _VERBS[value["verb"]]
    is_comment = value["item"] == "comment"
    post_id = id_of(ctx, value, "post_id", f"{path}.value.post_id")
    item_id = id_of(ctx, value, "comment_id", f"{path}.value.comment_id") if is_comment else post_id
    parent = str(value.get("parent_id") or post_id)
    author = sub(value, "from")
    created_at, source = _created(ctx, entry, value, path)
    # An edit, removal or hide happens at the delivery's time, not the comment's creation:
    # each edit must be its own event (its id names the edit's time).
    occurred_at = created_at
    if action is not ItemAction.CREATED and entry.get("time") is not None:
        occurred_at = delivery_time(ctx, entry, f"entry.time (for {path})")
    return make_item(
        ctx,
        **channel_fields(ctx, page_id),
        kind=_kind(field, is_comment, parent, post_id),
        action=action,
        platform_item_id=item_id,
        parent_id=parent if is_comment else None,
        thread_id=post_id,
        author_id=_author_id(value),
        author_name=author.get("name") or value.get("sender_name"),
        text="" if action is ItemAction.DELETED else _message(ctx, value, path),
        created_at=created_at,
        created_at_source=source,
        occurred_at=occurred_at,
        permalink=_permalink(value, page_id, post_id, item_id if is_comment else None),
        media=[] if action is ItemAction.DELETED else webhook_media(value),
    )


def _kind(field: str, is_comment: bool, parent: str, post_id: str) -> ItemKind:
    if field == "mention" or not is_comment:
        return ItemKind.MENTION
    return ItemKind.COMMENT if parent == post_id else ItemKind.REPLY


def _created(ctx: Context, entry: Json, value: Json, path: str) -> tuple[datetime, TimeSource]:
    created = value.get("created_time")
    if isinstance(created, str) and "T" in created:
        # Some captures carry the Graph API's ISO form ('2022-01-18T19:47:13+0000').
        return iso_time(ctx, created, f"{path}.value.created_time"), TimeSource.PLATFORM
    if created is not None:
        return unix_time(ctx, created, f"{path}.value.created_time"), TimeSource.PLATFORM
    # A change without its own creation time (some visitor posts, mentions, older comment
    # captures) is dated by its delivery, and the item says so.
    return delivery_time(ctx, entry, f"entry.time (for {path})"), TimeSource.DELIVERY


def _permalink(value: Json, page_id: str, post_id: str, comment_id: str | None) -> str:
    post = value.get("post")
    base = post.get("permalink_url") if isinstance(post, dict) else None
    if not base:
        owner, _, suffix = post_id.partition("_")
        base = f"https://www.facebook.com/{owner or page_id}/posts/{suffix or post_id}"
    if comment_id is None:
        return str(base)
    return f"{base}{'&' if '?' in str(base) else '?'}comment_id={comment_id.rpartition('_')[2]}"


def _message(ctx: Context, value: Json, path: str) -> str:
    """The comment's text; absent is empty (a photo-only comment), any other type is refused."""
    message = value.get("message")
    if message is None:
        return ""
    if not isinstance(message, str):
        raise ctx.fail(f"{path}.value.message", f"expected a string, got {type(message).__name__}")
    return unescaped(message)
