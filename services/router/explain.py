"""The dry run behind `switchboard router decide`: JSON lines in, one decision per line out."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from schemas.enums import Platform
from schemas.envelope import make_event_id
from schemas.events import Campaign, InboxItem
from schemas.registry import ChannelRegistry
from schemas.validation import SchemaValidationError, validate
from services.common import instants
from services.common.hashtags import hashtags_in
from services.router.domain.calendar import OfficeCalendar
from services.router.domain.decide import decide

MINIMAL_ITEM_KEYS = ("platform", "channel", "created_at", "text")


class InputLineError(ValueError):
    """One input line could not be understood; the message says why."""


def parse_instant(text: str) -> datetime:
    """An ISO-8601 instant that must carry a UTC offset."""
    try:
        return instants.parse_instant(text.strip())
    except instants.InstantError as err:
        if err.missing_offset:
            raise InputLineError(f"{text!r} has no UTC offset (e.g. +00:00 or Z)") from err
        raise InputLineError(f"{text!r} is not an ISO-8601 date-time") from err


def _object(line: str) -> dict[str, Any]:
    try:
        obj = json.loads(line)
    except ValueError as err:
        raise InputLineError(f"not valid JSON: {err}") from err
    if not isinstance(obj, dict):
        raise InputLineError("expected a JSON object")
    return obj


def _platform(obj: Mapping[str, Any], registry: ChannelRegistry) -> Platform | None:
    raw = obj.get("platform")
    if raw is None:
        channel = registry.resolve(str(obj["channel"]))
        return channel.spec.platform if channel else None
    try:
        return Platform(str(raw).lower())
    except ValueError as err:
        names = ", ".join(p.value for p in Platform)
        raise InputLineError(f"unknown platform {raw!r} (one of {names})") from err


def item_from_minimal(obj: Mapping[str, Any], registry: ChannelRegistry) -> InboxItem:
    """An InboxItem from {"platform", "channel", "created_at", "text"}; channel = id/handle/URL."""
    for key in ("channel", "created_at"):
        if not obj.get(key):
            raise InputLineError(f"missing {key!r} (minimal form: {', '.join(MINIMAL_ITEM_KEYS)})")
    platform = _platform(obj, registry)
    if platform is None:
        raise InputLineError(f"channel {obj['channel']!r} is not in the registry: give 'platform'")
    account = str(obj["channel"])
    channel = registry.resolve(account, platform)
    text = str(obj.get("text") or "")
    created_at = parse_instant(str(obj["created_at"]))
    # A stable id from the line's content, so the same line always explains the same item.
    digest = hashlib.sha256(f"{platform}|{account}|{created_at}|{text}".encode()).hexdigest()
    return InboxItem.create(
        platform=platform,
        channel_id=channel.id if channel else f"unknown:{platform.value}:{account.strip()}",
        channel_known=channel is not None,
        addressed_account=account,
        kind="mention",
        platform_item_id=f"dry-run-{digest[:24]}",
        text=text,
        created_at=created_at,
        hashtags=hashtags_in(text),
    )


def parse_item(line: str, registry: ChannelRegistry) -> InboxItem:
    """A full InboxItem (when the line has an event_id) or the minimal form."""
    obj = _object(line)
    try:
        if "event_id" in obj:
            return validate(obj, InboxItem)
        return item_from_minimal(obj, registry)
    except (SchemaValidationError, ValidationError) as err:
        raise InputLineError(str(err)) from err


def _slug(tag: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", tag.lower()).strip("-")[:100] or "campaign"


def parse_campaign(line: str) -> Campaign:
    """A Campaign event, or the minimal {"hashtag", "start_date", ["end_date"], ...} form."""
    obj = _object(line)
    try:
        if "event_id" in obj:
            return validate(obj, Campaign)
        tag = str(obj.get("hashtag") or "").removeprefix("#")
        if not tag or not obj.get("start_date"):
            raise InputLineError("a campaign needs 'hashtag' and 'start_date'")
        campaign_id = str(obj.get("campaign_id") or _slug(tag))
        start = date.fromisoformat(str(obj["start_date"]))
        return Campaign(
            event_id=make_event_id("campaign", campaign_id),
            occurred_at=datetime.combine(start, time(), UTC),
            campaign_id=campaign_id,
            name=str(obj.get("name") or tag),
            hashtag=tag,
            owner_queue=str(obj.get("owner_queue") or "digital"),
            start_date=start,
            end_date=obj.get("end_date"),
            active=bool(obj.get("active", True)),
        )
    except (SchemaValidationError, ValidationError, ValueError) as err:
        if isinstance(err, InputLineError):
            raise
        raise InputLineError(str(err)) from err


def load_campaigns(path: Path) -> list[Campaign]:
    """Every campaign in a JSON-lines file (blank lines skipped)."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                out.append(parse_campaign(line))
            except InputLineError as err:
                raise InputLineError(f"{path}:{number}: {err}") from err
    return out


@dataclass(frozen=True)
class Explained:
    """The result for one input line: a decision, or an error."""

    line: int
    decision: dict[str, object] | None = None
    error: str | None = None


def explain(
    lines: Iterable[str],
    *,
    registry: ChannelRegistry,
    campaigns: list[Campaign],
    calendars: Mapping[str, OfficeCalendar],
    now: datetime | None,
) -> Iterator[Explained]:
    """Decide each non-blank line; `now` defaults to each item's created_at."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = parse_item(line, registry)
            decision = decide(
                item,
                registry=registry,
                campaigns=campaigns,
                calendars=calendars,
                now=now or item.created_at,
            )
        except ValueError as err:
            yield Explained(line=number, error=str(err))
            continue
        yield Explained(line=number, decision=decision.as_json())
