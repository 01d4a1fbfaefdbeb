"""The batch fold's bulk statements on SQLite and PostgreSQL (COPY there): what lands equals
what the ORM writes, updates touch only what they name, and a row the database refuses as
data is dead-lettered alone, as it was before COPY."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, Table
from sqlmodel import Session, col, select

from schemas.events import InboxItem
from schemas.topics import INBOX_ROUTED, INBOX_WORK
from schemas.work import ActorKind, Claimed, Resolved, WorkEvent
from services.api.bulk_sql import among, insert_rows, insert_with_ids, update_rows
from services.api.domain.projection import fold
from services.api.models import Item, ItemEvent
from services.api.projector_loop import SOURCE, project_records
from services.api.routed_apply import apply_routed, new_item_values
from tests.fixtures.api.events import T0, Rec, inbox_item, routed

ITEM: Table = Item.__table__  # type: ignore[attr-defined]
HISTORY: Table = ItemEvent.__table__  # type: ignore[attr-defined]
BST = timezone(timedelta(hours=1))


def _values(n: int) -> dict[str, object]:
    event = routed(inbox_item(n, text=f"bulk {n} \u00e9 \U0001f600"))
    return new_item_values(event, fold(None, event), campaigns=["c1"], seq=7, now=T0)


def _columns(row: Item) -> dict[str, object]:
    return {k: getattr(row, k) for k in ITEM.c.keys() if k != "id"}  # noqa: SIM118


def test_bulk_inserted_items_equal_orm_inserted_ones(engine: Engine) -> None:
    bulk = [_values(n) for n in range(1, 4)]
    with Session(engine) as session, session.begin():
        ids = insert_with_ids(session, ITEM, bulk, key="event_id")
    orm = routed(inbox_item(9, text="orm"))
    with Session(engine) as session, session.begin():
        apply_routed(session, event=orm, now=T0)
    with Session(engine) as session:
        rows = {r.event_id: r for r in session.exec(select(Item))}
    assert set(ids) == {v["event_id"] for v in bulk}
    for values in bulk:
        row = rows[values["event_id"]]  # type: ignore[index]
        assert row.id == ids[values["event_id"]]
        assert _columns(row) == values
        assert row.received_at.tzinfo is not None and row.payload["text"].endswith("\U0001f600")
    assert len({*ids.values(), rows[orm.item.event_id].id}) == 4  # the sequence moved on


def test_bulk_history_rows_keep_instants_as_utc(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        (item_id,) = insert_with_ids(session, ITEM, [_values(1)], key="event_id").values()
        insert_rows(session, HISTORY, [
            {"item_id": item_id, "kind": "note", "actor": "a", "actor_kind": "user",
             "at": datetime(2026, 6, 1, 10, 0, tzinfo=BST), "detail": {"k": [1, None]},
             "source_event_id": uuid.uuid4(), "recorded_at": T0},
        ])  # fmt: skip
    with Session(engine) as session:
        (row,) = session.exec(select(ItemEvent))
    assert row.at == datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    assert row.detail == {"k": [1, None]}


def test_bulk_update_touches_only_the_named_rows_and_columns(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        ids = insert_with_ids(session, ITEM, [_values(n) for n in range(1, 4)], key="event_id")
    first, second, third = sorted(ids.values())
    with Session(engine) as session, session.begin():
        update_rows(session, ITEM, [
            {"id": first, "status": "claimed", "claimed_by": "p", "tags": ["x"], "sla": {}},
            {"id": second, "status": "resolved", "claimed_by": None, "tags": [], "sla": {"a": 1}},
        ])  # fmt: skip
        update_rows(
            session,
            ITEM,
            [
                {"id": first, "status": "claimed", "claimed_by": "again", "tags": [], "sla": {}},
            ],
        )  # twice in one transaction: the scratch table is made afresh
    with Session(engine) as session:
        rows = {r.id: r for r in session.exec(select(Item))}
    assert (rows[first].status, rows[first].claimed_by, rows[first].tags) == (
        "claimed",
        "again",
        [],
    )
    assert (rows[second].status, rows[second].sla) == ("resolved", {"a": 1})
    assert (rows[third].status, rows[third].claimed_by) == ("open", None)
    assert rows[first].rule == rows[third].rule  # columns not named are left alone


def test_bulk_writes_refuse_names_that_are_not_columns(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        with pytest.raises(ValueError, match="not columns of item"):
            update_rows(session, ITEM, [{"id": 1, "status; drop table item": "x"}])
        with pytest.raises(ValueError, match="same columns"):
            insert_rows(session, HISTORY, [{"item_id": 1}, {"item_id": 1, "kind": "x"}])


def test_among_matches_any_number_of_keys(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        ids = insert_with_ids(session, ITEM, [_values(n) for n in range(1, 4)], key="event_id")
    keys = list(ids)
    with Session(engine) as session:
        for wanted in ([], keys[:1], keys, [*keys, uuid.uuid4()]):
            query = select(Item.event_id).where(among(session, col(Item.event_id), wanted))
            assert set(session.exec(query)) == set(wanted) & set(keys)


def test_a_record_the_database_refuses_is_dead_lettered_alone(engine: Engine) -> None:
    good = [inbox_item(1), inbox_item(2)]
    base = inbox_item(3)
    nul = InboxItem.create(
        platform=base.platform.value, channel_id=base.channel_id, channel_known=True,
        addressed_account=base.addressed_account, kind=base.kind, text="nul in the post id",
        platform_item_id="post\x00id", created_at=base.created_at,
    )  # fmt: skip
    work = WorkEvent.create(
        item_event_id=good[0].event_id, channel_id=good[0].channel_id, queue="press",
        actor_kind=ActorKind.TOKEN, actor="press", command_id=uuid.uuid4(), detail=Claimed(),
        occurred_at=T0 + timedelta(minutes=1),
    )  # fmt: skip
    done = WorkEvent.create(
        item_event_id=good[1].event_id, channel_id=good[1].channel_id, queue="press",
        actor_kind=ActorKind.TOKEN, actor="press", command_id=uuid.uuid4(), detail=Resolved(),
        occurred_at=T0 + timedelta(minutes=2),
    )  # fmt: skip
    routed_topic, work_topic = "inbox.routed.v1", "inbox.work.v1"
    specs = {routed_topic: INBOX_ROUTED, work_topic: INBOX_WORK}
    records = [
        Rec(routed(good[0]).to_bytes(), routed_topic, offset=0),
        Rec(routed(nul).to_bytes(), routed_topic, offset=1),
        Rec(routed(good[1]).to_bytes(), routed_topic, offset=2),
        Rec(work.to_bytes(), work_topic, offset=0),
        Rec(done.to_bytes(), work_topic, offset=1),
    ]
    with Session(engine) as session, session.begin():
        applied, letters = project_records(session, records=records, now=T0, specs=specs)
    with Session(engine) as session:
        items = {r.event_id: r for r in session.exec(select(Item))}
    assert items[good[0].event_id].status == "claimed"
    assert items[good[1].event_id].status == "resolved"
    if engine.dialect.name == "postgresql":  # PostgreSQL stores no NUL in text; SQLite does
        assert applied == 4
        assert [(d.source, d.source_offset) for d in letters] == [(SOURCE, 1)]
        assert nul.event_id not in items
    else:
        assert (applied, letters) == (5, [])
        assert items[nul.event_id].platform_item_id == "post\x00id"


def test_ids_are_read_back_when_sqlite_does_not_count_up(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL draws the ids from the sequence")
    with Session(engine) as session, session.begin():
        # Past the largest rowid SQLite picks new ones at random: no longer max + 1.
        insert_rows(session, ITEM, [{"id": 2**63 - 1, **_values(1)}])
    rows = [_values(n) for n in range(2, 6)]
    with Session(engine) as session, session.begin():
        ids = insert_with_ids(session, ITEM, rows, key="event_id")
    with Session(engine) as session:
        stored = dict(session.exec(select(Item.event_id, Item.id)).all())
    assert ids == {v["event_id"]: stored[v["event_id"]] for v in rows}  # type: ignore[index]
    assert len(set(ids.values())) == 4
