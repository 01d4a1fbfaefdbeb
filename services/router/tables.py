"""The router's state: seen item ids, held items and campaigns, each changelog-backed."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import faust

from schemas.events import Campaign
from schemas.topics import INBOX_CAMPAIGNS, INBOX_ITEMS
from schemas.validation import SchemaValidationError, validate
from services.router.domain.holds import HeldEntry

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RouterTables:
    """Handles on the router's tables."""

    seen: Any  # faust Table: item event_id (bytes) -> first routed status (bytes)
    held: Any  # faust Table: item event_id (bytes) -> HeldEntry JSON (bytes)
    campaigns: Any  # faust GlobalTable: campaign_id (bytes) -> Campaign JSON (bytes)


def define_tables(app: faust.App) -> RouterTables:
    """Declare the tables. seen and held are co-partitioned with inbox.items.v1."""
    # bytes keys and values make faust use its "raw" codec for the changelogs too.
    raw: dict[str, Any] = {"key_type": bytes, "value_type": bytes}
    return RouterTables(
        seen=app.Table("seen", partitions=INBOX_ITEMS.partitions, **raw),
        held=app.Table("held", partitions=INBOX_ITEMS.partitions, **raw),
        # Every worker needs every campaign, whichever item partitions it owns.
        campaigns=app.GlobalTable(
            "campaigns",
            partitions=INBOX_CAMPAIGNS.partitions,
            recovery_buffer_size=1,
            **raw,
        ),
    )


class HoldBook:
    """Parsed view of the held table: each hold's JSON is parsed once, not on every tick.

    Keyed by table key and checked against the current value, so a rewritten hold is parsed
    again and a deleted one is forgotten at the next look.
    """

    def __init__(self, table: Any) -> None:
        self._table = table
        self._parsed: dict[bytes, tuple[bytes, HeldEntry | None]] = {}

    def entries(self) -> Iterator[tuple[bytes, HeldEntry]]:
        """Every readable hold; a corrupt value is logged once and skipped (left in place)."""
        parsed: dict[bytes, tuple[bytes, HeldEntry | None]] = {}
        for key, value in list(self._table.items()):
            known = self._parsed.get(key)
            if known is None or known[0] != value:
                known = (value, _parse_hold(key, value))
            parsed[key] = known
        self._parsed = parsed
        for key, (_, entry) in parsed.items():
            if entry is not None:
                yield key, entry


def _parse_hold(key: bytes, value: bytes) -> HeldEntry | None:
    try:
        return HeldEntry.model_validate_json(value)
    except ValueError:
        logger.exception("hold %r in the held table is unreadable; left in place", key)
        return None


def delete_hold(held: Any, key: bytes, *, partition: int) -> None:
    """Remove a hold from outside a stream (the release timer); see delete_key."""
    delete_key(held, key, partition=partition)


def delete_key(table: Any, key: bytes, *, partition: int) -> None:
    """Remove a key of a raw table from outside a stream (the timer).

    faust only lets a stream event delete table keys (the event names the changelog
    partition). The timer has no event, so it removes the key locally and writes the
    tombstone itself, to the partition the key was written to, so a rebuild replays the set
    and the delete in order.
    """
    table.data.pop(key, None)
    table.send_changelog(partition, key, None, value_serializer="raw")


class CampaignBook:
    """Parsed view of the campaigns table, re-parsing only values that changed."""

    def __init__(self, table: Any) -> None:
        self._table = table
        self._parsed: dict[bytes, Campaign | None] = {}

    def current(self) -> list[Campaign]:
        """Every campaign in the table (inactive ones included; matching filters them)."""
        out = []
        for value in list(self._table.values()):
            if value not in self._parsed:
                self._parsed[value] = _parse_campaign(value)
            campaign = self._parsed[value]
            if campaign is not None:
                out.append(campaign)
        return out


def _parse_campaign(value: bytes) -> Campaign | None:
    try:
        return validate(value, Campaign)
    except SchemaValidationError:
        logger.exception("campaign in the campaigns table is invalid; ignored")
        return None
