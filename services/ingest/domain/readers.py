"""What every normaliser shares: field access with precise errors, times, text and channels.

Pure functions only: no clock, no I/O. A normaliser's caller passes the registry, the
channel a polled payload belongs to, and the delivery time when the platform gives none.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from schemas import InboxItem, Platform
from schemas.registry import ChannelRegistry
from services.common.hashtags import hashtags_in
from services.common.instants import InstantError, parse_instant
from services.ingest.domain.errors import NormaliseError

Json = dict[str, Any]

# Every pattern below stops at the next opening bracket of its own kind ('<' for tags, '['
# for Flickr markup), so a failed match costs only the text up to the next candidate and
# cleaning is linear in the text's length: "<<<<..." or "[url=a][url=a]..." without a
# closing tag cannot make it quadratic.
_TAG = re.compile(r"<[^<>]*>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# A label runs to [/url] but never over the start of another [url=...] or [url].
_LABEL = r"((?:[^\[]|\[(?!/?url[=\]]))*?)"
# Flickr's own markup: [url=LINK]label[/url], [url]LINK[/url] and bare [LINK] thumbnails.
_FLICKR_URL_LABEL = re.compile(
    r"\[url=([^\]\s\[]+)\]" + _LABEL + r"\[/url\]", re.IGNORECASE | re.DOTALL
)
_FLICKR_URL = re.compile(r"\[url\]" + _LABEL + r"\[/url\]", re.IGNORECASE | re.DOTALL)
_FLICKR_BARE = re.compile(r"\[(https?://[^\]\s\[]+)\]")
_MENTION = re.compile(r"(?<![\w.])@(\w[\w.]*\w|\w)")
# Seconds after this are milliseconds: 1e11 s is the year 5138.
_MS_THRESHOLD = 100_000_000_000


@dataclass(frozen=True)
class Context:
    """What a normaliser needs besides the payload."""

    platform: Platform
    registry: ChannelRegistry
    channel: str | None = None  # registry id or account, for payloads that do not name one
    received_at: datetime | None = None  # delivery time, for payloads without one

    def fail(self, field: str, problem: str) -> NormaliseError:
        """The error to raise for a bad field."""
        return NormaliseError(self.platform, field, problem)


def obj(ctx: Context, parent: Any, key: str, path: str) -> Json:
    """A required JSON object member."""
    value = member(ctx, parent, key, path)
    if not isinstance(value, dict):
        raise ctx.fail(path, f"expected an object, got {type(value).__name__}")
    return value


def items(ctx: Context, parent: Any, key: str, path: str) -> list[Any]:
    """A required JSON array member."""
    value = member(ctx, parent, key, path)
    if not isinstance(value, list):
        raise ctx.fail(path, f"expected an array, got {type(value).__name__}")
    return value


def member(ctx: Context, parent: Any, key: str, path: str) -> Any:
    """A required member of an object."""
    if not isinstance(parent, dict):
        raise ctx.fail(path.rsplit(".", 1)[0] or path, "expected an object")
    if key not in parent or parent[key] is None:
        raise ctx.fail(path, "missing")
    return parent[key]


def text_of(ctx: Context, parent: Any, key: str, path: str) -> str:
    """A required string member; numbers are refused so ids are never float-mangled."""
    value = member(ctx, parent, key, path)
    if not isinstance(value, str):
        raise ctx.fail(path, f"expected a string, got {type(value).__name__}")
    if not value.strip():
        raise ctx.fail(path, "empty")
    return value


def opt_text(ctx: Context, parent: Json, key: str, path: str) -> str | None:
    """An optional string member (absent, null or empty gives None)."""
    if parent.get(key) in (None, ""):
        return None
    return text_of(ctx, parent, key, path)


def id_of(ctx: Context, parent: Any, key: str, path: str) -> str:
    """An id: a string, or an integer small enough to be exact (Meta sends both)."""
    value = member(ctx, parent, key, path)
    if isinstance(value, bool | float):
        raise ctx.fail(path, f"expected a string id, got {type(value).__name__}")
    if isinstance(value, int):
        return str(value)
    return text_of(ctx, parent, key, path)


def unix_time(ctx: Context, value: Any, path: str, *, millis: bool = False) -> datetime:
    """Unix time as int or numeric string; seconds, or milliseconds when `millis`."""
    if value is None:
        raise ctx.fail(path, "missing")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ctx.fail(path, f"expected Unix {'milliseconds' if millis else 'seconds'}: {value!r}")
    seconds = value / 1000 if millis or value > _MS_THRESHOLD else value
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError) as err:
        raise ctx.fail(path, f"Unix time out of range: {value!r}") from err


def iso_time(ctx: Context, value: Any, path: str) -> datetime:
    """ISO 8601 with an offset: 'Z', '+00:00' or Meta's '+0000'."""
    if value is None:
        raise ctx.fail(path, "missing")
    if not isinstance(value, str):
        raise ctx.fail(path, f"expected an ISO 8601 timestamp, got {type(value).__name__}")
    try:
        parsed = parse_instant(value)
    except InstantError as err:
        if err.missing_offset:
            raise ctx.fail(path, f"timestamp has no UTC offset: {value!r}") from err
        raise ctx.fail(path, f"not an ISO 8601 timestamp: {value!r}") from err
    return parsed.astimezone(UTC)


def unescaped(raw: str) -> str:
    """Plain text from a platform that escapes entities but sends no tags (X, Meta)."""
    return html.unescape(raw).strip()


def plain_text(raw: str, *, flickr_markup: bool = False) -> str:
    """Plain Unicode from platform HTML: tags stripped, entities unescaped, emoji kept."""
    text = raw
    if flickr_markup:
        text = _FLICKR_URL_LABEL.sub(r"\2 (\1)", text)
        text = _FLICKR_URL.sub(r"\1", text)
        text = _FLICKR_BARE.sub(r"\1", text)
    text = _BR.sub("\n", text)
    text = _TAG.sub("", text)
    # Unescape last: an escaped '&lt;b&gt;' is text the author typed, not a tag to strip.
    return html.unescape(text).strip()


def hashtags(text: str) -> list[str]:
    """Hashtags in order of appearance, without '#', duplicates removed."""
    return list(dict.fromkeys(hashtags_in(text)))


def mentions(text: str) -> list[str]:
    """@mentions in order of appearance, without '@', duplicates removed."""
    return list(dict.fromkeys(_MENTION.findall(text)))


def channel_fields(ctx: Context, account: str) -> dict[str, object]:
    """channel_id, channel_known and addressed_account for the account that was addressed."""
    channel = ctx.registry.resolve(account, ctx.platform)
    if channel is not None:
        return {"channel_id": channel.id, "channel_known": True, "addressed_account": account}
    unknown = f"unknown:{ctx.platform.value}:{account.strip().lower()}"
    return {"channel_id": unknown[:200], "channel_known": False, "addressed_account": account}


def polled_channel(ctx: Context, fallback: str | None, path: str) -> dict[str, object]:
    """Channel of a payload that does not always name its account: ctx.channel wins."""
    account = ctx.channel or fallback
    if not account:
        raise ctx.fail(path, "the payload does not name the account; pass the channel polled")
    return channel_fields(ctx, account)


def delivery_time(ctx: Context, entry: Json, path: str) -> datetime:
    """The webhook entry's time, else the caller's received_at: for items with no own time."""
    if entry.get("time") is not None:
        return unix_time(ctx, entry["time"], path)
    if ctx.received_at is not None:
        return ctx.received_at.astimezone(UTC)
    raise ctx.fail(path, "missing, and no received_at was given to stand in for it")


def make_item(ctx: Context, **fields: object) -> InboxItem:
    """Build the InboxItem, turning a schema violation into a NormaliseError."""
    fields.setdefault("platform", ctx.platform)
    text = fields.get("text")
    if isinstance(text, str):
        fields.setdefault("hashtags", hashtags(text))
        fields.setdefault("mentions", mentions(text))
    try:
        return InboxItem.create(**fields)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "item"
        raise ctx.fail(where, first["msg"]) from err
