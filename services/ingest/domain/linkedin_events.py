"""LinkedIn events about comments: organisation social action notifications and changelog.

Notifications (webhook push `{"notifications": [...]}` or the pull finder's `elements`) name
the organisation (`organizationalEntity`), the post (`sourcePost`), the comment URN
(`generatedActivity`) and, decorated, the comment's text; they carry no author, so the
item's author is left empty. Changelog events (`resourceName: socialActions/comments`,
`method` CREATE/UPDATE/DELETE, the comment as `activity`) cover edits and deletions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from schemas import InboxItem, ItemAction, ItemKind, TimeSource
from services.ingest.domain.fields import sub
from services.ingest.domain.readers import (
    Context,
    Json,
    make_item,
    polled_channel,
    text_of,
    unescaped,
    unix_time,
)

CommentItems = Callable[[Context, Any, str], list[InboxItem]]
_NOTIFIED = {
    "COMMENT": (ItemKind.COMMENT, ItemAction.CREATED),
    "COMMENT_EDIT": (ItemKind.COMMENT, ItemAction.EDITED),
    "COMMENT_DELETE": (ItemKind.COMMENT, ItemAction.DELETED),
    "SHARE_MENTION": (ItemKind.MENTION, ItemAction.CREATED),
    "COMMENT_MENTION": (ItemKind.MENTION, ItemAction.CREATED),
}
# Not words addressed to the organisation (or its own admins' words): nothing to ingest.
_SILENT = frozenset({"LIKE", "SHARE", "ADMIN_COMMENT", "REACTION"})
_COMMENT_URI = re.compile(r"^/socialActions/(?P<post>[^/]+)/comments/(?P<id>[^/?]+)$")


def _decorated_text(note: Json) -> str:
    decorated = note.get("decoratedGeneratedActivity")
    if not isinstance(decorated, dict):
        return ""
    for key in ("comment", "share"):
        inner = decorated.get(key)
        if isinstance(inner, dict) and isinstance(inner.get("text"), str):
            return unescaped(inner["text"])
    return ""


def notification(ctx: Context, note: Any, path: str) -> list[InboxItem]:
    """One organisation social action notification."""
    action = text_of(ctx, note, "action", f"{path}.action")
    if action in _SILENT:
        return []
    if action not in _NOTIFIED:
        raise ctx.fail(f"{path}.action", f"unsupported social action {action!r}")
    kind, item_action = _NOTIFIED[action]
    org = text_of(ctx, note, "organizationalEntity", f"{path}.organizationalEntity")
    activity = text_of(ctx, note, "generatedActivity", f"{path}.generatedActivity")
    post = note.get("sourcePost")
    at = unix_time(ctx, note.get("lastModifiedAt"), f"{path}.lastModifiedAt", millis=True)
    return [
        make_item(
            ctx,
            **polled_channel(ctx, org, f"{path}.organizationalEntity"),
            kind=kind,
            action=item_action,
            platform_item_id=activity,
            parent_id=str(post) if post else None,
            thread_id=str(post) if post else None,
            text="" if item_action is ItemAction.DELETED else _decorated_text(note),
            # A notification is dated when the action happened; for an edit or a deletion
            # that is not the comment's creation, so the item says the time is not its own.
            created_at=at,
            created_at_source=(
                TimeSource.PLATFORM if item_action is ItemAction.CREATED else TimeSource.DELIVERY
            ),
            permalink=f"https://www.linkedin.com/feed/update/{post}" if post else None,
        )
    ]


def changelog(ctx: Context, event: Any, path: str, comment_items: CommentItems) -> list[InboxItem]:
    """One changelog event; only comment events become items."""
    resource = text_of(ctx, event, "resourceName", f"{path}.resourceName")
    if resource not in ("socialActions/comments", "comments"):
        return []
    method = text_of(ctx, event, "method", f"{path}.method")
    if method in ("CREATE", "UPDATE"):
        activity = event.get("activity")
        if not isinstance(activity, dict):
            raise ctx.fail(f"{path}.activity", "missing")
        return comment_items(ctx, activity, f"{path}.activity")
    if method != "DELETE":
        raise ctx.fail(f"{path}.method", f"unsupported changelog method {method!r}")
    return [_deleted(ctx, event, path)]


def _deleted(ctx: Context, event: Json, path: str) -> InboxItem:
    activity = sub(event, "activity")
    match = _COMMENT_URI.match(str(event.get("resourceUri") or ""))
    post = activity.get("object") or (match.group("post") if match else None)
    comment_id = activity.get("id") or event.get("resourceId") or (match and match.group("id"))
    if not post or not comment_id:
        raise ctx.fail(f"{path}.resourceUri", "a deletion must name the post and the comment")
    at: datetime = unix_time(
        ctx, event.get("capturedAt") or event.get("processedAt"), f"{path}.capturedAt", millis=True
    )
    actor = event.get("actor")
    return make_item(
        ctx,
        **polled_channel(ctx, None, f"{path} (channel)"),
        kind=ItemKind.COMMENT,
        action=ItemAction.DELETED,
        platform_item_id=f"urn:li:comment:({post},{comment_id})",
        parent_id=str(post),
        thread_id=str(post),
        author_id=str(actor) if actor else None,
        text="",
        created_at=at,
        created_at_source=TimeSource.DELIVERY,
    )
