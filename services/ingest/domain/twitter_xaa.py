"""X Activity API (XAA) events, delivered by webhook or the activity stream.

Every event is `{"data": {event_uuid, filter, event_type, tag, payload, includes}}`; the
`filter.user_id` is the subscribed account. Post events carry the post as a v2 Post object
in `payload` (or `payload.data`); `post.delete` names only the post. Events that are not
about posts (profile updates, follows, likes, news, chat) are acknowledged: nothing to
ingest. An unknown `post.*` event is refused so that a new shape is noticed, not dropped.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from schemas import InboxItem, ItemAction, ItemKind, TimeSource
from services.ingest.domain import twitter_v2
from services.ingest.domain.fields import sub
from services.ingest.domain.readers import (
    Context,
    Json,
    channel_fields,
    id_of,
    make_item,
    obj,
    text_of,
)

_POST_EVENTS = frozenset({"post.create", "post.reply", "post.mention", "post.quote"})


def normalise(ctx: Context, raw: Json) -> list[InboxItem]:
    """Items from one XAA event."""
    data = obj(ctx, raw, "data", "data")
    event_type = text_of(ctx, data, "event_type", "data.event_type")
    if not event_type.startswith("post."):
        return []
    if event_type != "post.delete" and event_type not in _POST_EVENTS:
        raise ctx.fail("data.event_type", f"unsupported post event {event_type!r}")
    filt = obj(ctx, data, "filter", "data.filter")
    account = id_of(ctx, filt, "user_id", "data.filter.user_id")
    payload = obj(ctx, data, "payload", "data.payload")
    post = sub(payload, "data") or payload
    if event_type == "post.delete":
        return [_deleted(ctx, account, post)]
    if str(post.get("author_id") or "") == account:
        return []  # the subscribed account's own post
    includes = sub(data, "includes")
    page = {"data": [post], "includes": includes}
    # The filter names the account: the v2 normaliser treats it as the polled channel.
    items = twitter_v2.normalise(replace(ctx, channel=_account_name(ctx, account, post)), page)
    if str(post.get("in_reply_to_user_id") or "") == account:
        # A reply to the subscribed account, which the registry may not know by id yet.
        return [i.model_copy(update={"kind": ItemKind.COMMENT}) for i in items]
    return items


def _account_name(ctx: Context, account: str, post: Json) -> str:
    """The registry id the filter's user id belongs to, else its username in the post.

    The registry may not know the id yet; the post's mention of it gives the username.
    Failing both, the id itself (an unknown channel, sent to triage).
    """
    channel = ctx.registry.resolve(account, ctx.platform)
    if channel is not None:
        return channel.id
    entities = sub(post, "entities")
    for mention in entities.get("mentions") or []:
        if (
            isinstance(mention, dict)
            and str(mention.get("id")) == account
            and mention.get("username")
        ):
            return str(mention["username"])
    return account


def _deleted(ctx: Context, account: str, post: Any) -> InboxItem:
    if ctx.received_at is None:
        raise ctx.fail("data.payload", "post.delete has no time and no received_at was given")
    post_id = id_of(ctx, post, "id", "data.payload.id")
    return make_item(
        ctx,
        **channel_fields(ctx, account),
        kind=ItemKind.MENTION,
        action=ItemAction.DELETED,
        platform_item_id=post_id,
        author_id=str(post["author_id"]) if post.get("author_id") else None,
        text="",
        # The delete event carries no time of its own: the delivery time stands in.
        created_at=ctx.received_at,
        created_at_source=TimeSource.DELIVERY,
        permalink=f"https://twitter.com/i/web/status/{post_id}",
    )
