"""Facebook Graph API pages, as the backfill poller reads them.

Two shapes: a Page feed page (`GET /{page-id}/feed?fields=id,permalink_url,comments{...}`:
`data` holds posts, each with a `comments` edge) and a comments edge page
(`GET /{post-id}/comments`: `data` holds comments). Comment objects carry `created_time` as
ISO 8601 with a `+0000` offset, `from` (absent when the viewer may not see the author), an
optional `parent` and one `attachment`. The Page's own comments are left out.
"""

from __future__ import annotations

from typing import Any

from schemas import InboxItem, ItemKind
from services.ingest.domain.fields import sub
from services.ingest.domain.meta_media import graph_attachment
from services.ingest.domain.readers import (
    Context,
    Json,
    id_of,
    iso_time,
    items,
    make_item,
    polled_channel,
    unescaped,
)

# Fields only posts have; the backfill poller asks for posts without created_time.
_POST_FIELDS = frozenset({"status_type", "full_picture", "attachments", "story", "shares"})


def normalise(ctx: Context, raw: Json) -> list[InboxItem]:
    """Items from a feed page (posts with comments) or a comments page."""
    out: list[InboxItem] = []
    for i, entry in enumerate(items(ctx, raw, "data", "data")):
        path = f"data[{i}]"
        if not isinstance(entry, dict):
            raise ctx.fail(path, "expected a post or comment object")
        if isinstance(entry.get("comments"), dict):
            post_id = id_of(ctx, entry, "id", f"{path}.id")
            comments = items(ctx, entry["comments"], "data", f"{path}.comments.data")
            for j, comment in enumerate(comments):
                item = _comment(ctx, comment, post_id, entry, f"{path}.comments.data[{j}]")
                if item is not None:
                    out.append(item)
        elif "created_time" in entry and not _POST_FIELDS.intersection(entry):
            item = _comment(ctx, entry, None, {}, path)
            if item is not None:
                out.append(item)
        # Otherwise a post without comments (Graph omits an empty edge): nothing to ingest.
    return out


def _is_page(ctx: Context, author_id: str | None, post_id: str | None) -> bool:
    """Whether the author is the polled Page itself (by id, or as the post's owner)."""
    if author_id is None:
        return False
    if post_id and post_id.partition("_")[0] == author_id:
        return True
    polled = ctx.registry.resolve(ctx.channel or "", ctx.platform)
    author = ctx.registry.resolve(author_id, ctx.platform)
    return polled is not None and author is not None and polled.id == author.id


def _comment(
    ctx: Context, comment: Any, post_id: str | None, post: Json, path: str
) -> InboxItem | None:
    if not isinstance(comment, dict):
        raise ctx.fail(path, "expected a comment object")
    comment_id = id_of(ctx, comment, "id", f"{path}.id")
    author = sub(comment, "from")
    author_id = str(author["id"]) if author.get("id") is not None else None
    # A comments edge page does not name its post: a comment id is '<post suffix>_<n>'.
    thread = post_id or None
    if _is_page(ctx, author_id, thread):
        return None
    parent = comment.get("parent")
    parent_id = str(parent["id"]) if isinstance(parent, dict) and parent.get("id") else None
    permalink = comment.get("permalink_url") or (
        f"{post['permalink_url']}?comment_id={comment_id.rpartition('_')[2]}"
        if isinstance(post.get("permalink_url"), str)
        else None
    )
    return make_item(
        ctx,
        **polled_channel(ctx, None, f"{path} (channel)"),
        kind=ItemKind.REPLY if parent_id else ItemKind.COMMENT,
        platform_item_id=comment_id,
        parent_id=parent_id or thread,
        thread_id=thread,
        author_id=author_id,
        author_name=author.get("name"),
        text=unescaped(str(comment.get("message") or "")),
        created_at=iso_time(ctx, comment.get("created_time"), f"{path}.created_time"),
        permalink=permalink,
        media=graph_attachment(comment.get("attachment")),
    )
