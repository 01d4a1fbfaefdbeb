"""X API v2 tweets responses (GET /2/users/:id/mentions) with the author_id expansion."""

from __future__ import annotations

from typing import Any

from schemas import InboxItem, ItemAction, ItemKind
from services.ingest.domain.readers import (
    Context,
    Json,
    channel_fields,
    iso_time,
    make_item,
    text_of,
    unescaped,
)


def normalise(ctx: Context, raw: Json) -> list[InboxItem]:
    """One item per tweet in `data` (a page may be empty: meta.result_count 0)."""
    data = raw.get("data")
    if data is None:
        return []
    tweets = data if isinstance(data, list) else [data]
    users = _users(raw)
    return [_tweet(ctx, t, users, f"data[{i}]") for i, t in enumerate(tweets)]


def _users(raw: Json) -> dict[str, Json]:
    includes = raw.get("includes") or {}
    return {
        str(u["id"]): u
        for u in includes.get("users") or []
        if isinstance(u, dict) and u.get("id") is not None
    }


def _addressed(ctx: Context, mentions: list[Json]) -> str | None:
    """The polled channel, else the first mentioned account the registry knows."""
    if ctx.channel:
        return ctx.channel
    names = [str(m["username"]) for m in mentions if m.get("username")]
    for name in names:
        if ctx.registry.resolve(name, ctx.platform) is not None:
            return name
    return names[0] if names else None


def _kind(ctx: Context, tweet: Json, mentions: list[Json], account: str) -> ItemKind:
    """A reply to the addressed account's own tweet is a comment on its post."""
    reply_to = tweet.get("in_reply_to_user_id")
    if not reply_to:
        return ItemKind.MENTION
    names = {account.lower().lstrip("@")}
    channel = ctx.registry.resolve(account, ctx.platform)
    if channel is not None:
        names |= {channel.spec.handle.lower().lstrip("@"), *channel.spec.account_ids}
    if str(reply_to) in names:
        return ItemKind.COMMENT
    for m in mentions:
        if str(m.get("username", "")).lower() in names and str(m.get("id")) == str(reply_to):
            return ItemKind.COMMENT
    return ItemKind.MENTION


def _action(tweet: Json, tweet_id: str) -> ItemAction:
    """An edit is a new tweet id whose edit history starts with an older one."""
    history = tweet.get("edit_history_tweet_ids") or []
    return (
        ItemAction.EDITED
        if len(history) > 1 and str(history[0]) != tweet_id
        else (ItemAction.CREATED)
    )


def _parent(tweet: Json) -> str | None:
    """The post replied to, else the post quoted (a quote post is about that post)."""
    refs = [r for r in tweet.get("referenced_tweets") or [] if isinstance(r, dict) and r.get("id")]
    for wanted in ("replied_to", "quoted"):
        for ref in refs:
            if ref.get("type") == wanted:
                return str(ref["id"])
    return None


def _tweet(ctx: Context, tweet: Any, users: dict[str, Json], path: str) -> InboxItem:
    if not isinstance(tweet, dict):
        raise ctx.fail(path, "expected a tweet object")
    tweet_id = text_of(ctx, tweet, "id", f"{path}.id")
    entities = tweet.get("entities") or {}
    mention_entities = [m for m in entities.get("mentions") or [] if isinstance(m, dict)]
    account = _addressed(ctx, mention_entities)
    if account is None:
        raise ctx.fail(
            f"{path}.entities.mentions",
            "no account is mentioned and no channel was given: cannot tell who was addressed",
        )
    author_id = tweet.get("author_id")
    author = users.get(str(author_id), {})
    handle = author.get("username")
    note = tweet.get("note_tweet")
    text = note["text"] if isinstance(note, dict) and "text" in note else tweet.get("text")
    if not isinstance(text, str):
        raise ctx.fail(f"{path}.text", "missing")
    return make_item(
        ctx,
        **channel_fields(ctx, account),
        kind=_kind(ctx, tweet, mention_entities, account),
        action=_action(tweet, tweet_id),
        platform_item_id=tweet_id,
        parent_id=_parent(tweet),
        thread_id=tweet.get("conversation_id"),
        author_id=str(author_id) if author_id is not None else None,
        author_handle=handle,
        author_name=author.get("name"),
        text=unescaped(text),
        created_at=iso_time(ctx, tweet.get("created_at"), f"{path}.created_at"),
        hashtags=[str(h["tag"]) for h in entities.get("hashtags") or [] if h.get("tag")],
        mentions=[str(m["username"]) for m in mention_entities if m.get("username")],
        permalink=f"https://twitter.com/{handle or 'i/web'}/status/{tweet_id}",
    )
