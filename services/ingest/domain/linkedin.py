"""LinkedIn: organisation social-action comments (GET /rest/socialActions/{urn}/comments)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from schemas import InboxItem, ItemAction, ItemKind
from services.ingest.domain.common import (
    Context,
    Json,
    id_of,
    make_item,
    obj,
    polled_channel,
    text_of,
    unescaped,
    unix_time,
)


def normalise(ctx: Context, raw: Any) -> list[InboxItem]:
    """Items from a comments collection (elements) or a single comment."""
    if not isinstance(raw, dict):
        raise ctx.fail("<root>", f"expected a JSON object, got {type(raw).__name__}")
    if "elements" in raw:
        elements = raw["elements"]
        if not isinstance(elements, list):
            raise ctx.fail("elements", "expected an array")
        return [
            item
            for i, comment in enumerate(elements)
            for item in _comment(ctx, comment, f"elements[{i}]")
        ]
    if "created" in raw and "object" in raw:
        return _comment(ctx, raw, "<root>")
    raise ctx.fail("elements", "unrecognised payload: expected a comments collection or a comment")


def _mentions(text: str, message: Json) -> list[str]:
    """Names of the people and organisations the comment tags (attribute spans)."""
    out = []
    for attr in message.get("attributes") or []:
        start, length = attr.get("start"), attr.get("length")
        value = attr.get("value") or {}
        tagged = any("Member" in k or "Company" in k or "Organization" in k for k in value)
        if isinstance(start, int) and isinstance(length, int) and tagged:
            out.append(text[start : start + length])
    return list(dict.fromkeys(out))


def _comment(ctx: Context, comment: Any, path: str) -> list[InboxItem]:
    comment_id = id_of(ctx, comment, "id", f"{path}.id")
    actor = text_of(ctx, comment, "actor", f"{path}.actor")
    channel = polled_channel(ctx, None, f"{path} (channel)")
    if ctx.registry.resolve(actor, ctx.platform) is not None:
        return []  # the organisation's own comment: staff wrote it
    created = obj(ctx, comment, "created", f"{path}.created")
    created_at = unix_time(ctx, created.get("time"), f"{path}.created.time", millis=True)
    message = comment.get("message") or {}
    text = unescaped(text_of(ctx, message, "text", f"{path}.message.text"))
    post = text_of(ctx, comment, "object", f"{path}.object")
    urn = str(
        comment.get("commentUrn") or comment.get("$URN") or f"urn:li:comment:({post},{comment_id})"
    )
    parent = comment.get("parentComment")
    fields: dict[str, object] = dict(
        **channel,
        kind=ItemKind.REPLY if parent else ItemKind.COMMENT,
        platform_item_id=urn,
        parent_id=parent or post,
        thread_id=post,
        author_id=actor,
        text=text,
        mentions=_mentions(text, message),
        created_at=created_at,
        permalink=f"https://www.linkedin.com/feed/update/{post}?commentUrn={quote(urn, safe='')}",
    )
    out = [make_item(ctx, **fields)]
    modified = (comment.get("lastModified") or {}).get("time")
    if modified is not None:
        edited_at = unix_time(ctx, modified, f"{path}.lastModified.time", millis=True)
        if edited_at > created_at:
            edit = {**fields, "action": ItemAction.EDITED, "occurred_at": edited_at}
            out.append(make_item(ctx, **edit))
    return out
