"""Which tracked campaigns an item belongs to."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo

from schemas.events import Campaign, InboxItem
from services.common.hashtags import hashtags_in

# Campaign dates are UK calendar dates, whatever timezone the item was posted from.
CAMPAIGN_ZONE = ZoneInfo("Europe/London")


def _counts(campaign: Campaign, day: date) -> bool:
    if not campaign.active or day < campaign.start_date:
        return False
    return campaign.end_date is None or day <= campaign.end_date


def match_campaigns(item: InboxItem, campaigns: Iterable[Campaign]) -> list[str]:
    """Hashtags (lower case, no '#') of active campaigns the item matches, sorted.

    A campaign counts an item whose hashtags include its own (any case) and whose UK creation
    date is on or after its start date and on or before its end date.
    """
    tags = {t.lower() for t in [*item.hashtags, *hashtags_in(item.text)]}
    day = item.created_at.astimezone(CAMPAIGN_ZONE).date()
    return sorted(
        {c.hashtag.lower() for c in campaigns if c.hashtag.lower() in tags and _counts(c, day)}
    )
