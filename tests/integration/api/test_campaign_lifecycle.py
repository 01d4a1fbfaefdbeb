"""Campaigns: update, end and withdraw as events; items tagged retroactively; item counts."""

from __future__ import annotations

from datetime import timedelta

from schemas.events import Campaign
from schemas.topics import INBOX_CAMPAIGNS
from schemas.validation import validate
from tests.fixtures.api.events import T0, inbox_item, routed
from tests.integration.api.conftest import Api
from tests.integration.api.test_channels_campaigns_health import _consume

BODY = {
    "campaign_id": "careers-month",
    "name": "NHS Careers month",
    "hashtag": "NHSCareers",
    "owner_queue": "press",
    "start_date": "2026-11-20",
}


def tags(api: Api, item_id: object) -> list[str]:
    r = api.client.get(f"/v1/items/{item_id}", headers=api.auth("admin"))
    assert r.status_code == 200, r.text
    return list(r.json()["campaigns"])


def count(api: Api) -> int:
    listed = api.client.get("/v1/campaigns", headers=api.auth("press")).json()["campaigns"]
    return int(next(c["items"] for c in listed if c["campaign_id"] == "careers-month"))


def test_campaign_lifecycle_and_retroactive_tags(api: Api) -> None:
    saturday = inbox_item(1, at=T0 - timedelta(days=2), text="Open day? #NHSCareers")
    monday = inbox_item(2, at=T0, text="So keen #nhscareers")
    early = inbox_item(3, at=T0 - timedelta(days=13), text="Early #NHSCareers")
    untagged = inbox_item(4, at=T0, text="No tag here")
    api.route(*(routed(i) for i in (saturday, monday, early, untagged)))

    # Registered after items arrived: those from its start date on are tagged retroactively.
    r = api.client.post("/v1/campaigns", json=BODY, headers=api.auth("press"))
    assert r.status_code == 201, r.text
    assert r.json()["items"] == 2
    assert tags(api, saturday.event_id) == ["nhscareers"]
    assert tags(api, early.event_id) == [] and tags(api, untagged.event_id) == []

    # An earlier start date takes in the early item.
    r = api.client.patch("/v1/campaigns/careers-month", json={"start_date": "2026-11-01"},
                         headers=api.auth("press"))  # fmt: skip
    assert r.status_code == 200, r.text
    assert (r.json()["start_date"], r.json()["items"]) == ("2026-11-01", 3)
    assert tags(api, early.event_id) == ["nhscareers"]

    # Ending it on Sunday 22 Nov: Monday's item no longer counts.
    r = api.client.post("/v1/campaigns/careers-month/end", json={"end_date": "2026-11-22"},
                        headers=api.auth("press"))  # fmt: skip
    assert r.status_code == 200 and r.json()["end_date"] == "2026-11-22"
    assert tags(api, monday.event_id) == [] and count(api) == 2

    # Withdrawn: kept with its tags, and no new item is tagged by it.
    r = api.client.post("/v1/campaigns/careers-month/withdraw", headers=api.auth("press"))
    assert r.status_code == 200 and r.json()["active"] is False
    late = inbox_item(5, at=T0 - timedelta(days=1), text="#NHSCareers again")
    api.route(routed(late))
    assert tags(api, late.event_id) == [] and count(api) == 2

    events = [validate(v, Campaign) for _, v in
              _consume(api.kafka, INBOX_CAMPAIGNS, b'"active":false')]  # fmt: skip
    ours = [(e.start_date.isoformat(), e.end_date and e.end_date.isoformat(), e.active)
            for e in events if e.campaign_id == "careers-month"]  # fmt: skip
    ended = ("2026-11-01", "2026-11-22")
    assert ours == [("2026-11-20", None, True), ("2026-11-01", None, True),
                    (*ended, True), (*ended, False)]  # fmt: skip


def test_campaign_changes_are_checked(api: Api) -> None:
    assert api.client.post("/v1/campaigns", json=BODY, headers=api.auth("press")).status_code == 201
    patch = api.client.patch
    assert patch("/v1/campaigns/careers-month", json={"name": "x"},
                 headers=api.auth("digital")).status_code == 403  # fmt: skip
    assert (
        patch("/v1/campaigns/nope", json={"name": "x"}, headers=api.auth("admin")).status_code
        == 404
    )
    assert (
        patch("/v1/campaigns/nope", json={"name": "x"}, headers=api.auth("press")).status_code
        == 403
    )
    r = api.client.post("/v1/campaigns/careers-month/end", json={"end_date": "2026-11-01"},
                        headers=api.auth("press"))  # fmt: skip
    assert r.status_code == 422
    assert patch("/v1/campaigns/careers-month", json={"colour": "red"},
                 headers=api.auth("press")).status_code == 422  # fmt: skip
    # Ending without a date ends it today (the API's clock, UK date).
    r = api.client.post("/v1/campaigns/careers-month/end", headers=api.auth("press"))
    assert r.status_code == 200 and r.json()["end_date"] == api.clock.now.date().isoformat()
