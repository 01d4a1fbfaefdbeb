"""LinkedIn: comments (GET /rest/socialActions/{urn}/comments) and comment events.

Organisation social action notifications and changelog comment events are read in
linkedin_events; this module tells the shapes apart and reads comment objects.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from schemas import InboxItem, ItemAction, ItemKind
from services.ingest.domain import linkedin_events
from services.ingest.domain.readers import (
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
    """Items from a collection (elements), a notification push, or a single comment."""
    if not isinstance(raw, dict):
        raise ctx.fail("<root>", f"expected a JSON object, got {type(raw).__name__}")
    for key in ("elements", "notifications"):
        if key in raw:
            elements = raw[key]
            if not isinstance(elements, list):
                raise ctx.fail(key, "expected an array")
            return [
                item
                for i, element in enumerate(elements)
                for item in _element(ctx, element, f"{key}[{i}]")
            ]
    if "action" in raw and "organizationalEntity" in raw:
        return linkedin_events.notification(ctx, raw, "<root>")
    if "resourceName" in raw and "method" in raw:
        return linkedin_events.changelog(ctx, raw, "<root>", comment_items)
    if "created" in raw and "object" in raw:
        return comment_items(ctx, raw, "<root>")
    raise ctx.fail(
        "elements",
        "unrecognised payload: expected a comments collection, a comment, "
        "a social action notification or a changelog event",
    )


def _element(ctx: Context, element: Any, path: str) -> list[InboxItem]:
    """One element of a collection: a comment, a notification or a changelog event."""
    if isinstance(element, dict) and "action" in element and "organizationalEntity" in element:
        return linkedin_events.notification(ctx, element, path)
    if isinstance(element, dict) and "resourceName" in element and "method" in element:
        return linkedin_events.changelog(ctx, element, path, comment_items)
    return comment_items(ctx, element, path)


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


def comment_items(ctx: Context, comment: Any, path: str) -> list[InboxItem]:
    """A comment, and its edit when lastModified is after created."""
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
