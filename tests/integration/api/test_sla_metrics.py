"""The SLA timer's events, folded into items, are counted in /metrics and shown on the item."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from schemas.envelope import make_event_id
from schemas.work import ActorKind, SlaBreached, SlaTarget, SlaWarning, WorkEvent
from services.api.db import next_change
from services.api.work_apply import apply_work
from tests.fixtures.api.events import T0, inbox_item, routed
from tests.integration.api.conftest import Api


@pytest.fixture
def crosses_broker() -> bool:
    """Nothing in this module reads a topic: no relay, no broker."""
    return False


def sla_event(item_id: object, detail: SlaWarning | SlaBreached) -> WorkEvent:
    return WorkEvent.create(
        item_event_id=item_id,  # type: ignore[arg-type]
        channel_id="twitter:nhs_healthedeng",
        queue="press",
        actor_kind=ActorKind.SERVICE,
        actor="sla",
        command_id=make_event_id("sla", str(item_id), detail.target.value, detail.type),
        detail=detail,
        occurred_at=detail.due_at,
    )


def test_breaches_are_counted_in_metrics(api: Api) -> None:
    one, two = inbox_item(1), inbox_item(2)
    api.route(routed(one), routed(two))
    due = T0 + timedelta(hours=4)
    events = [
        sla_event(one.event_id, SlaWarning(target=SlaTarget.FIRST_RESPONSE, due_at=due)),
        sla_event(one.event_id, SlaBreached(target=SlaTarget.FIRST_RESPONSE, due_at=due)),
        sla_event(two.event_id, SlaWarning(target=SlaTarget.FIRST_RESPONSE, due_at=due)),
    ]
    with Session(api.engine) as session, session.begin():
        for event in events:
            apply_work(session, event=event, seq=next_change(session), now=api.clock.now)
    text = api.client.get("/metrics").text
    base = 'switchboard_items_sla{queue="press",status="open",target="first_response",'
    assert f'{base}state="breached"}} 1' in text
    assert f'{base}state="warning"}} 1' in text
    item = api.client.get(f"/v1/items/{one.event_id}", headers=api.auth("press")).json()
    assert item["sla"]["first_response"]["state"] == "breached"

    def listed(state: str) -> list[str]:
        r = api.client.get(f"/v1/queues/press/items?sla={state}", headers=api.auth("press"))
        assert r.status_code == 200, r.text
        return [i["id"] for i in r.json()["items"]]

    assert listed("breached") == [str(one.event_id)]
    assert listed("warning") == [str(two.event_id)]
    everything = api.client.get("/v1/queues/press/items", headers=api.auth("press")).json()
    assert len(everything["items"]) == 2
    bad = api.client.get("/v1/queues/press/items?sla=late", headers=api.auth("press"))
    assert bad.status_code == 422


def test_an_item_shows_its_targets(api: Api) -> None:
    one = inbox_item(1)
    api.route(routed(one))  # Monday 09:30, workable at once; the API's clock says 10:30
    item = api.client.get(f"/v1/items/{one.event_id}", headers=api.auth("press")).json()
    targets = {t["target"]: t for t in item["sla_targets"]}
    first = targets["first_response"]
    assert (first["target_hours"], first["due_at"]) == (4.0, "2026-11-23T13:30:00Z")
    assert first["remaining_office_seconds"] == 3 * 3600
    assert first["state"] is None
    # Resolution: 16 office hours from Mon 09:30 is Wed 09:30.
    assert targets["resolution"]["due_at"] == "2026-11-25T09:30:00Z"
