"""Work lists, item detail and the actions, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from schemas.enums import RoutedStatus
from tests.fixtures.api.events import T0, inbox_item, routed
from tests.integration.api.conftest import Api


@pytest.fixture
def crosses_broker() -> bool:
    """Nothing in this module reads a topic: no relay, no broker."""
    return False


ADMIN_QUEUES = 18


def test_every_route_needs_a_token(api: Api) -> None:
    item = inbox_item(1)
    api.route(routed(item))
    for method, path in [
        ("GET", "/v1/queues"),
        ("GET", "/v1/queues/press/items"),
        ("GET", f"/v1/items/{item.event_id}"),
        ("POST", f"/v1/items/{item.event_id}/claim"),
        ("GET", "/v1/channels"),
        ("GET", "/v1/channels/twitter:hee_kss/items"),
        ("GET", "/v1/campaigns"),
    ]:
        response = api.client.request(method, path)
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"] == "Bearer"
        bad = api.client.request(method, path, headers={"Authorization": "Bearer sbt_nope"})
        assert bad.status_code == 401
        assert bad.json() == {"detail": "invalid or revoked token"}


def test_queues_list_counts_and_oldest_open(api: Api) -> None:
    a, b, c = (inbox_item(n, at=T0 + timedelta(minutes=n)) for n in (1, 2, 3))
    api.route(routed(a), routed(b), routed(c, RoutedStatus.HELD))
    api.client.post(f"/v1/items/{b.event_id}/claim", headers=api.auth("press"))

    body = api.client.get("/v1/queues", headers=api.auth("press")).json()
    assert [q["queue"] for q in body["queues"]] == ["press"]
    press = body["queues"][0]
    assert (press["open"], press["claimed"], press["held"]) == (1, 1, 1)
    assert press["oldest_open_at"].startswith("2026-11-23T09:31:00")
    assert press["oldest_open_age_seconds"] == (api.clock.now - a.created_at).total_seconds()

    admin = api.client.get("/v1/queues", headers=api.auth("admin")).json()
    assert len(admin["queues"]) == ADMIN_QUEUES


def test_lead_sees_only_its_channel_in_its_queue(api: Api) -> None:
    mine, other = inbox_item(1, channel="twitter:hee_kss"), inbox_item(2)
    api.route(routed(mine), routed(other))
    # An item of another channel reassigned into the lead's queue stays invisible to the lead.
    api.client.post(
        f"/v1/items/{other.event_id}/reassign",
        json={"queue": "local:kent-surrey-sussex", "reason": "regional question"},
        headers=api.auth("admin"),
    )
    queues = api.client.get("/v1/queues", headers=api.auth("kss")).json()["queues"]
    assert [(q["queue"], q["open"]) for q in queues] == [("local:kent-surrey-sussex", 1)]
    listed = api.client.get(
        "/v1/queues/local:kent-surrey-sussex/items", headers=api.auth("kss")
    ).json()
    assert [i["id"] for i in listed["items"]] == [str(mine.event_id)]


def test_work_list_oldest_first_paginates_stably_under_inserts(api: Api) -> None:
    items = [inbox_item(n, at=T0 + timedelta(minutes=n)) for n in range(10)]
    api.route(*(routed(i) for i in items[::-1]))
    seen: list[str] = []
    page = api.client.get(
        "/v1/queues/press/items", params={"limit": 4}, headers=api.auth("press")
    ).json()
    seen += [i["id"] for i in page["items"]]
    # New items arrive mid-pagination, older and newer than the current position.
    api.route(routed(inbox_item(100, at=T0 - timedelta(hours=1))))
    api.route(routed(inbox_item(101, at=T0 + timedelta(hours=5))))
    while page["next_cursor"]:
        page = api.client.get(
            "/v1/queues/press/items",
            params={"limit": 4, "cursor": page["next_cursor"]},
            headers=api.auth("press"),
        ).json()
        seen += [i["id"] for i in page["items"]]
    expected = [str(i.event_id) for i in items] + [str(inbox_item(101).event_id)]
    assert seen == expected


def test_work_list_filters_by_status(api: Api) -> None:
    a, b, c = inbox_item(1), inbox_item(2), inbox_item(3)
    api.route(routed(a), routed(b), routed(c, RoutedStatus.HELD))
    api.client.post(f"/v1/items/{a.event_id}/claim", headers=api.auth("press"))
    api.client.post(f"/v1/items/{b.event_id}/resolve", headers=api.auth("press"))
    for status, expected in [("open", []), ("claimed", [a]), ("resolved", [b]), ("held", [c])]:
        got = api.client.get(
            "/v1/queues/press/items", params={"status": status}, headers=api.auth("press")
        ).json()
        assert [i["id"] for i in got["items"]] == [str(i.event_id) for i in expected], status


def test_work_list_rejects_bad_queries(api: Api) -> None:
    h = api.auth("press")
    for params in (
        {"status": "nonsense"},
        {"limit": 0},
        {"limit": 201},
        {"cursor": "x" * 201},
    ):
        r = api.client.get("/v1/queues/press/items", params=params, headers=h)
        assert r.status_code == 422, params
        assert r.json()["detail"][0]["msg"]
    # Well-formed text that is not a cursor this API issued: 400, naming the parameter.
    for cursor in ("!!!", "cDF8eHx5"):
        r = api.client.get("/v1/queues/press/items", params={"cursor": cursor}, headers=h)
        assert r.status_code == 400, cursor
        assert r.json()["detail"] == "cursor: cursor is not one this API issued"


def test_work_list_scope_403_and_admin_404(api: Api) -> None:
    assert api.client.get("/v1/queues/digital/items", headers=api.auth("press")).status_code == 403
    unknown = api.client.get("/v1/queues/nope/items", headers=api.auth("press"))
    assert unknown.status_code == 403
    forbidden = api.client.get("/v1/queues/digital/items", headers=api.auth("press"))
    assert unknown.json()["detail"] == "queue not found in your scope"
    assert unknown.json() == forbidden.json()
    assert api.client.get("/v1/queues/nope/items", headers=api.auth("admin")).status_code == 404


def test_item_detail_has_reason_and_full_history(api: Api) -> None:
    item = inbox_item(1, at=T0 - timedelta(hours=14))
    api.route(
        routed(item, RoutedStatus.HELD, hold_until=T0 - timedelta(minutes=30)),
        routed(item, RoutedStatus.RELEASED, at=T0 - timedelta(minutes=30)),
    )
    h = api.auth("press")
    api.client.post(f"/v1/items/{item.event_id}/claim", headers=h)
    api.client.post(f"/v1/items/{item.event_id}/escalate", json={"note": "complaint"}, headers=h)
    body = api.client.get(f"/v1/items/{item.event_id}", headers=h).json()
    assert body["reason"] == "corporate-platform:twitter; queue opened"
    assert body["item"]["platform_item_id"] == item.platform_item_id
    assert [(e["kind"], e["actor"]) for e in body["history"]] == [
        ("held", "router"),
        ("released", "router"),
        ("claimed", "press"),
        ("escalated", "press"),
    ]
    assert body["escalated"] is True and body["escalation_note"] == "complaint"


def test_item_outside_scope_is_403_same_as_missing(api: Api) -> None:
    item = inbox_item(1)
    api.route(routed(item))
    missing = uuid.uuid4()
    for path in (f"/v1/items/{item.event_id}", f"/v1/items/{missing}"):
        r = api.client.get(path, headers=api.auth("kss"))
        assert r.status_code == 403
        assert r.json() == {"detail": "item not found in your scope"}
    for action in ("claim", "unclaim", "resolve"):
        for target in (item.event_id, missing):
            r = api.client.post(f"/v1/items/{target}/{action}", headers=api.auth("digital"))
            assert (r.status_code, r.json()) == (403, {"detail": "item not found in your scope"})
    assert api.client.get(f"/v1/items/{missing}", headers=api.auth("admin")).status_code == 404
    r = api.client.post(f"/v1/items/{missing}/claim", headers=api.auth("admin"))
    assert r.status_code == 404
    assert api.client.get("/v1/items/not-a-uuid", headers=api.auth("admin")).status_code == 422


def test_claim_conflict_names_the_holder(api: Api) -> None:
    item = inbox_item(1)
    api.route(routed(item))
    first = api.client.post(f"/v1/items/{item.event_id}/claim", headers=api.auth("press"))
    assert first.status_code == 200 and first.json()["claimed_by"] == "press"
    again = api.client.post(f"/v1/items/{item.event_id}/claim", headers=api.auth("press"))
    assert again.status_code == 200
    second = api.client.post(f"/v1/items/{item.event_id}/claim", headers=api.auth("press2"))
    assert second.status_code == 409
    assert second.json() == {"detail": "item is claimed by press", "holder": "press"}
    unclaim = api.client.post(f"/v1/items/{item.event_id}/unclaim", headers=api.auth("press2"))
    assert (unclaim.status_code, unclaim.json()["holder"]) == (409, "press")
    history = api.client.get(f"/v1/items/{item.event_id}", headers=api.auth("press")).json()
    assert [e["kind"] for e in history["history"]] == ["routed", "claimed"]


def test_held_item_cannot_be_claimed_until_released(api: Api) -> None:
    item = inbox_item(1)
    api.route(routed(item, RoutedStatus.HELD))
    r = api.client.post(f"/v1/items/{item.event_id}/claim", headers=api.auth("press"))
    assert r.status_code == 409 and r.json()["detail"].startswith("item is held until")
    api.route(routed(item, RoutedStatus.RELEASED, at=T0 + timedelta(hours=12)))
    r = api.client.post(f"/v1/items/{item.event_id}/claim", headers=api.auth("press"))
    assert r.status_code == 200 and r.json()["status"] == "claimed"


def test_unclaim_resolve_and_resolved_conflicts(api: Api) -> None:
    item = inbox_item(1)
    api.route(routed(item))
    h = api.auth("press")
    api.client.post(f"/v1/items/{item.event_id}/claim", headers=h)
    r = api.client.post(f"/v1/items/{item.event_id}/unclaim", headers=h)
    assert r.status_code == 200 and r.json()["status"] == "open"
    r = api.client.post(f"/v1/items/{item.event_id}/resolve", json={"note": "spam"}, headers=h)
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    assert r.json()["resolved_by"] == "press"
    for action, body in [("claim", None), ("reassign", {"queue": "digital", "reason": "x"})]:
        r = api.client.post(f"/v1/items/{item.event_id}/{action}", json=body, headers=h)
        assert (r.status_code, r.json()["detail"]) == (409, "item is already resolved")


def test_reassign_moves_between_queues(api: Api) -> None:
    item = inbox_item(1)
    api.route(routed(item))
    r = api.client.post(
        f"/v1/items/{item.event_id}/reassign",
        json={"queue": "digital", "reason": "about the video"},
        headers=api.auth("press"),
    )
    assert r.status_code == 200 and r.json()["queue"] == "digital"
    assert r.json()["history"][-1]["detail"] == {
        "from_queue": "press",
        "to_queue": "digital",
        "reason": "about the video",
    }
    # Press still sees it (its channel); digital now sees it through its queue.
    assert api.client.get(f"/v1/items/{item.event_id}", headers=api.auth("digital")).is_success
    listed = api.client.get("/v1/queues/digital/items", headers=api.auth("digital")).json()
    assert [i["id"] for i in listed["items"]] == [str(item.event_id)]
    again = api.client.post(
        f"/v1/items/{item.event_id}/reassign",
        json={"queue": "digital", "reason": "x"},
        headers=api.auth("digital"),
    )
    assert again.status_code == 409


def test_action_bodies_are_validated(api: Api) -> None:
    item = inbox_item(1)
    api.route(routed(item))
    h = api.auth("press")
    for action, body in [
        ("reassign", {"queue": "nowhere", "reason": "x"}),
        ("reassign", {"queue": "local:nowhere", "reason": "x"}),
        ("reassign", {"queue": "digital"}),
        ("reassign", {"queue": "digital", "reason": ""}),
        ("escalate", {}),
        ("escalate", {"note": "a\x00b"}),
        ("escalate", {"note": "x" * 2001}),
        ("reply", {"text": ""}),
        ("reply", {"text": "x" * 10_001}),
        ("reply", {"text": "hi", "extra": 1}),
        ("resolve", {"note": 5}),
    ]:
        r = api.client.post(f"/v1/items/{item.event_id}/{action}", json=body, headers=h)
        assert r.status_code == 422, (action, body, r.text)
        assert r.json()["detail"][0]["msg"], (action, body)


def test_oversized_body_is_413(api: Api) -> None:
    item = inbox_item(1)
    api.route(routed(item))
    r = api.client.post(
        f"/v1/items/{item.event_id}/reply",
        content=b'{"text": "' + b"x" * 70_000 + b'"}',
        headers={**api.auth("press"), "Content-Type": "application/json"},
    )
    assert r.status_code == 413
    assert "larger than" in r.json()["detail"]


def test_audit_log_is_append_only(api: Api) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    item = inbox_item(1)
    api.route(routed(item))
    for statement in ("UPDATE item_event SET actor = 'x'", "DELETE FROM item_event"):
        with api.engine.connect() as conn, pytest.raises(DatabaseError, match="append-only"):
            conn.execute(text(statement))
