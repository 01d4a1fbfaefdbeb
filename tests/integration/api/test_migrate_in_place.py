"""A database written by the 0002 schema upgrades in place and keeps its items and history."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import text
from sqlmodel import Session, select

from services.api.db import make_engine
from services.api.migrate import upgrade
from services.api.models import Item, ItemEvent
from tests.fixtures.api.events import T0, inbox_item


def test_a_0002_database_upgrades_in_place(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0002")
    item = inbox_item(7)
    payload = item.model_dump_json()
    with engine.begin() as conn:
        # Rows as the 0002 code wrote them (only its columns exist).
        conn.execute(
            text(
                "INSERT INTO item (event_id, channel_id, platform, queue, status, routing_status,"
                " rule, reason, campaigns, payload, received_at, sort_at, escalated, change_seq,"
                " updated_at, claimed_by) VALUES (:e, :c, 'twitter', 'digital', 'claimed',"
                " 'queued', 'r', 'why', '[]', :p, :t, :t, false, 5, :t, 'press')"
            ),
            {"e": item.event_id.hex if engine.dialect.name == "sqlite" else item.event_id,
             "c": item.channel_id, "p": payload, "t": T0},
        )  # fmt: skip
        item_id = conn.execute(text("SELECT id FROM item")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO item_event (item_id, kind, actor, at, detail, recorded_at)"
                " VALUES (:i, 'claimed', 'press', :t, '{}', :t)"
            ),
            {"i": item_id, "t": T0 + timedelta(minutes=1)},
        )
    upgrade(engine)
    with Session(engine) as s:
        row = s.exec(select(Item)).one()
        assert row.event_id == item.event_id and isinstance(row.event_id, uuid.UUID)
        assert (row.queue, row.routed_queue, row.claimed_by) == ("digital", "digital", "press")
        assert row.platform_item_id == item.platform_item_id
        assert (row.tags, row.moderation, row.sla, row.work_key) == ([], {}, {}, None)
        (history,) = s.exec(select(ItemEvent)).all()
        assert (history.kind, history.actor_kind) == ("claimed", None)
    engine.dispose()
