"""Sandbox inbound ids keep growing across restarts, so since_id cursors never hide items."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.sandbox.inbound import InboundIn, InboundState

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def test_ids_grow_within_a_run_and_across_restarts() -> None:
    spec = InboundIn(platform="twitter", target="1", text="hi")
    first = InboundState()
    a, b = first.add(spec, now=NOW), first.add(spec, now=NOW)
    restarted = InboundState()  # a new sandbox process: its sequence starts again
    c = restarted.add(spec, now=NOW + timedelta(seconds=1))
    assert int(a.item_id) < int(b.item_id) < int(c.item_id) < 2**63
    assert [i.item_id for i in first.listed("twitter", "1")] == [a.item_id, b.item_id]
    assert first.listed("twitter", "2") == [] and first.listed("youtube", "1") == []
