"""Flickr: flickr.photos.comments.getList responses (format=json&nojsoncallback=1)."""

from __future__ import annotations

import re
from typing import Any

from schemas import InboxItem, ItemKind
from services.ingest.domain.readers import (
    Context,
    id_of,
    make_item,
    obj,
    plain_text,
    polled_channel,
    text_of,
    unix_time,
)

# The photo owner appears in a comment's permalink: flickr.com/photos/<owner>/<photo id>/.
_OWNER = re.compile(r"flickr\.com/photos/([^/]+)/")


def normalise(ctx: Context, raw: Any) -> list[InboxItem]:
    """One item per comment on the photo."""
    if not isinstance(raw, dict):
        raise ctx.fail("<root>", f"expected a JSON object, got {type(raw).__name__}")
    if raw.get("stat") != "ok":
        detail = raw.get("message") or "no message"
        code = raw.get("code")
        raise ctx.fail("stat", f"API call failed ({raw.get('stat')!r}, code {code}): {detail}")
    comments = obj(ctx, raw, "comments", "comments")
    photo_id = id_of(ctx, comments, "photo_id", "comments.photo_id")
    listed = comments.get("comment") or []
    if not isinstance(listed, list):
        # Flickr's JSON turns a one-element list into an object in some client libraries.
        listed = [listed]
    return [_comment(ctx, photo_id, c, f"comments.comment[{i}]") for i, c in enumerate(listed)]


def _comment(ctx: Context, photo_id: str, comment: Any, path: str) -> InboxItem:
    comment_id = text_of(ctx, comment, "id", f"{path}.id")
    permalink = comment.get("permalink")
    owner = _OWNER.search(permalink) if isinstance(permalink, str) else None
    body = comment.get("_content")
    if not isinstance(body, str):
        raise ctx.fail(f"{path}._content", "missing")
    author = comment.get("author")
    if not permalink and ctx.channel:
        permalink = (
            f"https://www.flickr.com/photos/{_owner_path(ctx)}/{photo_id}/#comment{comment_id}"
        )
    return make_item(
        ctx,
        **polled_channel(ctx, owner.group(1) if owner else None, f"{path}.permalink"),
        kind=ItemKind.COMMENT,
        platform_item_id=comment_id,
        parent_id=photo_id,
        thread_id=photo_id,
        author_id=str(author) if author else None,
        author_handle=comment.get("path_alias") or None,
        author_name=comment.get("realname") or comment.get("authorname") or None,
        text=plain_text(body, flickr_markup=True),
        created_at=unix_time(ctx, comment.get("datecreate"), f"{path}.datecreate"),
        permalink=permalink,
    )


def _owner_path(ctx: Context) -> str:
    channel = ctx.registry.resolve(ctx.channel or "", ctx.platform)
    return channel.spec.handle if channel else str(ctx.channel)
