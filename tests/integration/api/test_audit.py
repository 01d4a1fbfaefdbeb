"""GET /v1/audit: every work and admin event, filtered, paginated, admins only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fixtures.api.events import T0, inbox_item, routed
from tests.integration.api.conftest import Api


@pytest.fixture
def crosses_broker() -> bool:
    """Nothing in this module reads a topic: no relay, no broker."""
    return False


def test_audit_shows_tokens_campaigns_and_work(api: Api) -> None:
    item = inbox_item(1)
    api.route(routed(item))
    api.client.post(f"/v1/items/{item.event_id}/claim", headers=api.auth("press"))
    api.clock.now = T0 + timedelta(hours=2)
    api.client.post(f"/v1/items/{item.event_id}/resolve", headers=api.auth("press"))
    campaign = {"campaign_id": "c-audit", "name": "A", "hashtag": "Audit",
                "owner_queue": "press", "start_date": "2026-11-23"}  # fmt: skip
    assert api.client.post("/v1/campaigns", json=campaign, headers=api.auth("admin")).is_success

    everything = api.client.get("/v1/audit", headers=api.auth("admin")).json()["entries"]
    actions = [e["action"] for e in everything]
    assert actions.count("token_created") == 6 and "campaign_changed" in actions
    assert [a for a in actions if a in ("claimed", "resolved")] == ["claimed", "resolved"]
    token = next(e for e in everything if e["action"] == "token_created")
    assert token["actor_kind"] == "service" and "token_hash" in token["event"]["detail"]

    h = api.auth("admin")
    mine = api.client.get("/v1/audit", params={"actor": "press"}, headers=h).json()["entries"]
    assert [(e["action"], e["actor_kind"]) for e in mine] == [
        ("claimed", "token"), ("resolved", "token")]  # fmt: skip
    on_item = api.client.get("/v1/audit", params={"item": str(item.event_id)}, headers=h).json()
    assert len(on_item["entries"]) == 2
    late = api.client.get(
        "/v1/audit", params={"since": (T0 + timedelta(hours=1, minutes=30)).isoformat()}, headers=h
    ).json()["entries"]
    assert [e["action"] for e in late] == ["resolved", "campaign_changed"]
    early = api.client.get(
        "/v1/audit", params={"until": (T0 + timedelta(hours=1, minutes=30)).isoformat()}, headers=h
    ).json()["entries"]
    assert "resolved" not in [e["action"] for e in early]

    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = api.client.get("/v1/audit", params=params, headers=h).json()
        seen += [e["event_id"] for e in page["entries"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [e["event_id"] for e in everything]

    assert api.client.get("/v1/audit", headers=api.auth("press")).status_code == 403
    assert api.client.get("/v1/audit", params={"limit": 501}, headers=h).status_code == 422
    assert api.client.get("/v1/audit", params={"cursor": "zz"}, headers=h).status_code == 400
    naive = api.client.get("/v1/audit", params={"since": "2026-11-23T09:00:00"}, headers=h)
    assert naive.status_code == 422
