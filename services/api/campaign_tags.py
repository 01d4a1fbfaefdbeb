"""Campaign tags on items, kept true to the campaigns as they now are.

The router tags an item with the campaigns it knows when it routes it. An item that arrived
after a campaign's start date but before the campaign was registered (or before a change
widened its dates) is tagged here, retroactively, when the campaign's event is folded; and
an item projected after the campaign is tagged when its routed event is folded. Both are
folds of logged events (CampaignChanged on inbox.admin.v1, RoutedItem on inbox.routed.v1),
so a rebuild reaches the same tags in either order. The matching rule is the router's own.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, time, timedelta

from sqlalchemy import String, cast, func
from sqlmodel import Session, col, select

from schemas.events import Campaign, InboxItem
from services.api.db import next_change
from services.api.models import CampaignRow, Item
from services.router.domain.campaigns import CAMPAIGN_ZONE, match_campaigns

# A namespace for the throwaway event ids of campaigns rebuilt from rows (never sent).
_ROW_NS = uuid.UUID("0c1e3c2a-6a64-5b3e-9f52-1d1f6b0e2c16")


def campaign_of(row: CampaignRow) -> Campaign:
    """The Campaign a row stands for (the router's matching rule takes Campaigns)."""
    return Campaign(
        event_id=uuid.uuid5(_ROW_NS, row.campaign_id),
        occurred_at=row.created_at,
        campaign_id=row.campaign_id,
        name=row.name,
        hashtag=row.hashtag,
        owner_queue=row.owner_queue,
        start_date=row.start_date,
        end_date=row.end_date,
        active=row.active,
    )


def _item(row: Item) -> InboxItem | None:
    try:
        return InboxItem.model_validate(row.payload)
    except ValueError:
        return None


def tag_item(session: Session, *, row: Item) -> None:
    """Add the tags of every active campaign the item matches (never removes the router's)."""
    item = _item(row)
    if item is None:
        return
    campaigns = [campaign_of(c) for c in session.exec(select(CampaignRow)) if c.active]
    tags = sorted({*row.campaigns, *match_campaigns(item, campaigns)})
    if tags != sorted(row.campaigns):
        row.campaigns = tags


def retag_items(session: Session, *, campaign: CampaignRow, now: datetime) -> int:
    """Tag (or untag) every stored item by the campaign as it now is; returns items changed.

    Candidates are items received from the day before the start date (a UK date, and an item
    is received after it is created) onwards; a withdrawn campaign keeps the tags it gave.
    """
    if not campaign.active:
        return 0
    tag = campaign.hashtag.lower()
    start = datetime.combine(campaign.start_date - timedelta(days=1), time(), CAMPAIGN_ZONE)
    rows = session.exec(select(Item).where(col(Item.received_at) >= start)).all()
    match = campaign_of(campaign)
    changed = 0
    seq: int | None = None
    for row in rows:
        item = _item(row)
        if item is None:
            continue
        has, should = tag in row.campaigns, bool(match_campaigns(item, [match]))
        if has == should:
            continue
        row.campaigns = sorted({*row.campaigns, tag} if should else set(row.campaigns) - {tag})
        seq = seq if seq is not None else next_change(session)
        row.change_seq, row.updated_at = seq, now
        session.add(row)
        changed += 1
    return changed


def item_counts(session: Session, hashtags: list[str]) -> dict[str, int]:
    """How many stored items carry each campaign tag (lower case)."""
    counts = {}
    text = cast(col(Item.campaigns), String)
    for tag in sorted({h.lower() for h in hashtags}):
        # The tag as the JSON column holds it, with LIKE's wildcards escaped.
        quoted = json.dumps(tag).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = select(func.count()).select_from(Item).where(text.like(f"%{quoted}%", escape="\\"))
        counts[tag] = int(session.exec(query).one())
    return counts
