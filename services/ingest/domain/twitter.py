"""X/Twitter: Account Activity events, v1.1 status lists, XAA post events and API v2 pages.

Shapes told apart by their top level: `for_user_id` (Account Activity), a JSON array or
`statuses` (v1.1 timelines and search), `data.event_type` (X Activity API), `data`/`meta`
(API v2). Older captures name users and tweets only by numeric `id`, without `id_str`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from schemas import InboxItem, ItemAction, ItemKind
from services.ingest.domain import twitter_v2, twitter_xaa
from services.ingest.domain.readers import (
    Context,
    Json,
    channel_fields,
    id_of,
    items,
    make_item,
    obj,
    text_of,
    unescaped,
    unix_time,
)

_V1_DATE = "%a %b %d %H:%M:%S %z %Y"
_NOBODY = "no account is mentioned and no channel was given: cannot tell who was addressed"
# Account Activity events that carry no comment or mention: acknowledged, nothing to ingest.
_OTHER_EVENTS = frozenset(
    {
        "favorite_events",
        "follow_events",
        "unfollow_events",
        "block_events",
        "unblock_events",
        "mute_events",
        "unmute_events",
        "user_event",
        "direct_message_events",
        "direct_message_indicate_typing_events",
        "direct_message_mark_read_events",
        "tweet_unfavorite_events",
    }
)


def normalise(ctx: Context, raw: Any) -> list[InboxItem]:
    """Items from any of the shapes above."""
    if isinstance(raw, list):
        return _statuses(ctx, raw, "<root>")
    if not isinstance(raw, dict):
        raise ctx.fail("<root>", f"expected a JSON object, got {type(raw).__name__}")
    if "for_user_id" in raw:
        return _account_activity(ctx, raw)
    if "statuses" in raw:
        return _statuses(ctx, items(ctx, raw, "statuses", "statuses"), "statuses")
    if isinstance(raw.get("data"), dict) and "event_type" in raw["data"]:
        return twitter_xaa.normalise(ctx, raw)
    if "data" in raw or "meta" in raw:
        return twitter_v2.normalise(ctx, raw)
    raise ctx.fail(
        "<root>",
        "unrecognised payload: expected an Account Activity event (for_user_id), v1.1 "
        "statuses, an X Activity API event (data.event_type) or an API v2 response (data)",
    )


def _statuses(ctx: Context, statuses: list[Any], path: str) -> list[InboxItem]:
    """v1.1 status objects (home/mentions timelines, search/tweets) for the polled channel."""
    out: list[InboxItem] = []
    for i, tweet in enumerate(statuses):
        item = _created(ctx, tweet, None, f"{path}[{i}]")
        if item is not None:
            out.append(item)
    return out


def _str_id(ctx: Context, parent: Any, key: str, path: str) -> str:
    """`<key>_str` where given, else the numeric `<key>` (older captures have only that)."""
    if isinstance(parent, dict) and parent.get(f"{key}_str") not in (None, ""):
        return text_of(ctx, parent, f"{key}_str", f"{path}.{key}_str")
    return id_of(ctx, parent, key, f"{path}.{key}")


def _opt_str_id(parent: Json, key: str) -> str | None:
    value = parent.get(f"{key}_str") or parent.get(key)
    return str(value) if value not in (None, "") and not isinstance(value, bool) else None


def _account_activity(ctx: Context, raw: Json) -> list[InboxItem]:
    for_user = id_of(ctx, raw, "for_user_id", "for_user_id")
    out: list[InboxItem] = []
    known = False
    if "tweet_create_events" in raw:
        known = True
        for i, tweet in enumerate(items(ctx, raw, "tweet_create_events", "tweet_create_events")):
            item = _created(ctx, tweet, for_user, f"tweet_create_events[{i}]")
            if item is not None:
                out.append(item)
    if "tweet_delete_events" in raw:
        known = True
        for i, event in enumerate(items(ctx, raw, "tweet_delete_events", "tweet_delete_events")):
            out.append(_deleted(ctx, event, for_user, f"tweet_delete_events[{i}]"))
    if not known and not _OTHER_EVENTS.intersection(raw):
        raise ctx.fail("<root>", "Account Activity event of no known type (tweet_create_events...)")
    return out


def v1_time(ctx: Context, value: Any, path: str) -> datetime:
    """A v1.1 date such as 'Wed Oct 10 20:19:24 +0000 2018'."""
    if not isinstance(value, str):
        raise ctx.fail(path, "expected a v1.1 date string like 'Wed Oct 10 20:19:24 +0000 2018'")
    try:
        return datetime.strptime(value, _V1_DATE)
    except ValueError as err:
        raise ctx.fail(
            path, f"not a v1.1 date like 'Wed Oct 10 20:19:24 +0000 2018': {value!r}"
        ) from err


def _full_text(tweet: Json) -> tuple[str, Json]:
    """Text and entities, preferring the untruncated extended_tweet of long tweets."""
    ext = tweet.get("extended_tweet")
    if isinstance(ext, dict) and isinstance(ext.get("full_text"), str):
        return ext["full_text"], ext.get("entities") or {}
    text = tweet.get("full_text") or tweet.get("text") or ""
    return str(text), tweet.get("entities") or {}


def _addressed(tweet: Json, entities: Json, for_user: str) -> str | None:
    """The subscribed account's screen name, as the tweet names it."""
    for m in entities.get("user_mentions") or []:
        if isinstance(m, dict) and _opt_str_id(m, "id") == for_user and m.get("screen_name"):
            return str(m["screen_name"])
    if _opt_str_id(tweet, "in_reply_to_user_id") == for_user and tweet.get(
        "in_reply_to_screen_name"
    ):
        return str(tweet["in_reply_to_screen_name"])
    quoted = tweet.get("quoted_status")
    if isinstance(quoted, dict) and isinstance(quoted.get("user"), dict):
        user = quoted["user"]
        if _opt_str_id(user, "id") == for_user and user.get("screen_name"):
            return str(user["screen_name"])
    return None


def _channel(ctx: Context, screen_name: str | None, for_user: str) -> dict[str, object]:
    if screen_name:
        fields = channel_fields(ctx, screen_name)
        if fields["channel_known"]:
            return fields
        by_id = channel_fields(ctx, for_user)
        return by_id if by_id["channel_known"] else fields
    return channel_fields(ctx, for_user)


def _polled(ctx: Context, tweet: Json, entities: Json, path: str) -> tuple[dict[str, object], str]:
    """Channel of a v1.1 status outside Account Activity, and the addressed account's id.

    The polled channel wins, else a mentioned account the registry knows. The id (empty
    when unknown) tells a reply to the account from a mention of it.
    """
    if ctx.channel:
        fields = channel_fields(ctx, ctx.channel)
    else:
        names = [
            str(m["screen_name"])
            for m in entities.get("user_mentions") or []
            if isinstance(m, dict) and m.get("screen_name")
        ]
        known = [n for n in names if ctx.registry.resolve(n, ctx.platform) is not None]
        if not (known or names):
            raise ctx.fail(f"{path}.entities.user_mentions", _NOBODY)
        fields = channel_fields(ctx, (known or names)[0])
    channel = ctx.registry.resolve(str(fields["addressed_account"]), ctx.platform)
    ids = set(channel.spec.account_ids) if channel else set()
    handle = channel.spec.handle.lstrip("@").lower() if channel else ""
    for m in entities.get("user_mentions") or []:
        if isinstance(m, dict) and str(m.get("screen_name", "")).lower() == handle:
            ids.add(_opt_str_id(m, "id") or "")
    reply_name = str(tweet.get("in_reply_to_screen_name") or "").lower()
    if handle and reply_name == handle:
        ids.add(_opt_str_id(tweet, "in_reply_to_user_id") or "")
    return fields, next((i for i in ids if i), "")


def _created(ctx: Context, tweet: Any, for_user: str | None, path: str) -> InboxItem | None:
    if not isinstance(tweet, dict):
        raise ctx.fail(path, "expected a tweet object")
    tweet_id = _str_id(ctx, tweet, "id", path)
    user = obj(ctx, tweet, "user", f"{path}.user")
    author_id = _str_id(ctx, user, "id", f"{path}.user")
    text, entities = _full_text(tweet)
    if for_user is None:
        channel, account_id = _polled(ctx, tweet, entities, path)
    else:
        channel = _channel(ctx, _addressed(tweet, entities, for_user), for_user)
        account_id = for_user
    # Our own tweets and plain retweets arrive here too; neither is addressed to us.
    if (account_id and author_id == account_id) or "retweeted_status" in tweet:
        return None
    handle = text_of(ctx, user, "screen_name", f"{path}.user.screen_name")
    reply_to = _opt_str_id(tweet, "in_reply_to_user_id")
    quoted = _opt_str_id(tweet, "quoted_status_id")
    return make_item(
        ctx,
        **channel,
        kind=ItemKind.COMMENT if reply_to and reply_to == account_id else ItemKind.MENTION,
        platform_item_id=tweet_id,
        # A quote post is about the quoted post: that is what a reply would be about.
        parent_id=_opt_str_id(tweet, "in_reply_to_status_id") or quoted,
        author_id=author_id,
        author_handle=handle,
        author_name=user.get("name"),
        text=unescaped(text),
        created_at=v1_time(ctx, tweet.get("created_at"), f"{path}.created_at"),
        hashtags=[h["text"] for h in entities.get("hashtags") or [] if h.get("text")],
        mentions=[m["screen_name"] for m in entities.get("user_mentions") or []],
        permalink=f"https://twitter.com/{handle}/status/{tweet_id}",
    )


def _deleted(ctx: Context, event: Any, for_user: str, path: str) -> InboxItem:
    status = obj(ctx, event, "status", f"{path}.status")
    tweet_id = _str_id(ctx, status, "id", f"{path}.status")
    return make_item(
        ctx,
        **channel_fields(ctx, for_user),
        # A deletion notice does not say whether the tweet was a reply or a mention.
        kind=ItemKind.MENTION,
        action=ItemAction.DELETED,
        platform_item_id=tweet_id,
        author_id=_str_id(ctx, status, "user_id", f"{path}.status"),
        text="",
        created_at=unix_time(ctx, member_ms(ctx, event, path), f"{path}.timestamp_ms", millis=True),
        permalink=f"https://twitter.com/i/web/status/{tweet_id}",
    )


def member_ms(ctx: Context, event: Json, path: str) -> Any:
    """timestamp_ms of a deletion notice."""
    if event.get("timestamp_ms") is None:
        raise ctx.fail(f"{path}.timestamp_ms", "missing")
    return event["timestamp_ms"]
