"""Builders for router unit tests."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path

import pytest

from schemas.envelope import make_event_id
from schemas.events import Campaign, InboxItem
from schemas.registry import ChannelRegistry, load_registry
from services.router.domain.calendar import OfficeCalendar, build_calendars

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "router"


@pytest.fixture(scope="session")
def calendars(registry: ChannelRegistry) -> dict[str, OfficeCalendar]:
    return build_calendars(registry)


@pytest.fixture(scope="session")
def two_zones() -> ChannelRegistry:
    return load_registry(FIXTURES / "two_zones.yaml")


def item(
    channel: str = "facebook:nhshee",
    *,
    created_at: str = "2026-11-23T10:00:00+00:00",
    text: str = "hello",
    hashtags: list[str] | None = None,
    known: bool | None = None,
    account: str | None = None,
) -> InboxItem:
    unknown = channel.startswith("unknown:")
    platform = channel.split(":")[1] if unknown else channel.split(":")[0]
    return InboxItem.create(
        platform=platform,
        channel_id=channel,
        channel_known=(not unknown) if known is None else known,
        addressed_account=account or channel.split(":")[-1],
        kind="comment",
        platform_item_id=uuid.uuid4().hex,
        text=text,
        hashtags=hashtags or [],
        created_at=datetime.fromisoformat(created_at),
    )


def campaign(
    hashtag: str,
    start: str,
    end: str | None = None,
    *,
    active: bool = True,
    campaign_id: str | None = None,
) -> Campaign:
    cid = campaign_id or hashtag.lower()
    return Campaign(
        event_id=make_event_id("campaign", cid),
        occurred_at=datetime.fromisoformat(f"{start}T00:00:00+00:00"),
        campaign_id=cid,
        name=hashtag,
        hashtag=hashtag,
        owner_queue="digital",
        start_date=date.fromisoformat(start),
        end_date=date.fromisoformat(end) if end else None,
        active=active,
    )
