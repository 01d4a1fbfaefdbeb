"""Channel polling, campaigns, replies (through the real broker) and the health routes."""

from __future__ import annotations

import uuid
from datetime import timedelta

from schemas.enums import RoutedStatus
from schemas.events import Campaign, Reply
from schemas.topics import INBOX_CAMPAIGNS, OUTBOX_REPLIES, TopicSpec
from schemas.validation import validate
from services.common.settings import KafkaSettings
from tests.fixtures.api.events import T0, inbox_item, routed
from tests.integration.api.conftest import Api
from tests.support.kafka import KafkaRecorder

KSS = "twitter:hee_kss"


def _consume(kafka: KafkaSettings, spec: TopicSpec, marker: bytes) -> list[tuple[bytes, bytes]]:
    """Records of `spec` up to the first whose value contains `marker`."""
    with KafkaRecorder.of(kafka, spec) as recorder:
        found = recorder.until(lambda r: r.value is not None and marker in r.value)
    return [(r.key or b"", r.value or b"") for r in found]


def test_channels_list_per_role(api: Api) -> None:
    lead = api.client.get("/v1/channels", headers=api.auth("kss")).json()["channels"]
    assert lead == [
        {
            "id": KSS,
            "platform": "twitter",
            "kind": "local",
            "name": lead[0]["name"],
            "handle": lead[0]["handle"],
            "queue": "local:kent-surrey-sussex",
        }
    ]
    press = {
        c["id"]
        for c in api.client.get("/v1/channels", headers=api.auth("press")).json()["channels"]
    }
    assert press == {"twitter:nhs_healthedeng", "facebook:nhshee"}
    admin = api.client.get("/v1/channels", headers=api.auth("admin")).json()["channels"]
    assert len(admin) == 21


def test_channel_feed_cursor_and_etag(api: Api) -> None:
    a, b = inbox_item(1, channel=KSS), inbox_item(2, channel=KSS, at=T0 + timedelta(minutes=1))
    api.route(routed(a), routed(b), routed(inbox_item(3)))
    h = api.auth("kss")
    first = api.client.get(f"/v1/channels/{KSS}/items", headers=h)
    assert first.status_code == 200
    body = first.json()
    assert [i["id"] for i in body["items"]] == [str(a.event_id), str(b.event_id)]
    assert body["has_more"] is False
    etag = first.headers["etag"]

    # Nothing changed since the cursor: same ETag, 304 with If-None-Match.
    params = {"since": body["cursor"]}
    quiet = api.client.get(f"/v1/channels/{KSS}/items", params=params, headers=h)
    assert quiet.json()["items"] == [] and quiet.json()["cursor"] == body["cursor"]
    cached = api.client.get(
        f"/v1/channels/{KSS}/items",
        params=params,
        headers={**h, "If-None-Match": quiet.headers["etag"]},
    )
    assert cached.status_code == 304 and cached.content == b""
    assert etag != quiet.headers["etag"]

    # A claim changes item a: it reappears after the cursor, and the ETag no longer matches.
    api.client.post(f"/v1/items/{a.event_id}/claim", headers=h)
    changed = api.client.get(
        f"/v1/channels/{KSS}/items",
        params=params,
        headers={**h, "If-None-Match": quiet.headers["etag"]},
    )
    assert changed.status_code == 200
    assert [(i["id"], i["status"]) for i in changed.json()["items"]] == [
        (str(a.event_id), "claimed")
    ]


def test_channel_feed_pages_with_has_more(api: Api) -> None:
    api.route(*(routed(inbox_item(n, channel=KSS)) for n in range(5)))
    h, cursor, seen = api.auth("kss"), None, []
    while True:
        params = {"limit": 2, **({"since": cursor} if cursor else {})}
        body = api.client.get(f"/v1/channels/{KSS}/items", params=params, headers=h).json()
        seen += [i["id"] for i in body["items"]]
        cursor = body["cursor"]
        if not body["has_more"]:
            break
    assert len(seen) == len(set(seen)) == 5


def test_channel_feed_scope_and_bad_cursor(api: Api) -> None:
    r = api.client.get("/v1/channels/twitter:hee_wessex/items", headers=api.auth("kss"))
    assert (r.status_code, r.json()) == (403, {"detail": "channel not found in your scope"})
    r = api.client.get("/v1/channels/twitter:nope/items", headers=api.auth("kss"))
    assert (r.status_code, r.json()) == (403, {"detail": "channel not found in your scope"})
    assert (
        api.client.get("/v1/channels/twitter:nope/items", headers=api.auth("admin")).status_code
        == 404
    )
    r = api.client.get(
        f"/v1/channels/{KSS}/items", params={"since": "zzz"}, headers=api.auth("kss")
    )
    assert r.status_code == 400 and r.json()["detail"].startswith("since: ")
    r = api.client.get(f"/v1/channels/{KSS}/items", params={"limit": 501}, headers=api.auth("kss"))
    assert r.status_code == 422


def test_reply_is_published_on_outbox_and_recorded(api: Api) -> None:
    item = inbox_item(1, channel=KSS)
    api.route(routed(item))
    r = api.client.post(
        f"/v1/items/{item.event_id}/reply",
        json={"text": "Thanks — see our FAQ"},
        headers=api.auth("kss"),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["event_id"] == str(Reply.event_id_for(uuid.UUID(body["reply_id"])))
    assert body["item"]["history"][-1]["kind"] == "reply_submitted"
    records = _consume(api.kafka, OUTBOX_REPLIES, body["reply_id"].encode())
    replies = [(k, validate(v, Reply)) for k, v in records]
    mine = [(k, e) for k, e in replies if str(e.reply_id) == body["reply_id"]]
    assert len(mine) == 1
    key, event = mine[0]
    assert key == KSS.encode()
    assert (event.item_event_id, event.in_reply_to, event.author) == (
        item.event_id,
        item.platform_item_id,
        "kss",
    )
    assert event.text == "Thanks — see our FAQ"


def test_reply_refused_when_claimed_by_someone_else_or_unknown_channel(api: Api) -> None:
    item = inbox_item(1)
    unknown = inbox_item(2, channel="unknown:twitter:someone")
    api.route(routed(item), routed(unknown, queue="triage"))
    api.client.post(f"/v1/items/{item.event_id}/claim", headers=api.auth("press2"))
    r = api.client.post(
        f"/v1/items/{item.event_id}/reply", json={"text": "hi"}, headers=api.auth("press")
    )
    assert (r.status_code, r.json()["holder"]) == (409, "press2")
    r = api.client.post(
        f"/v1/items/{unknown.event_id}/reply", json={"text": "hi"}, headers=api.auth("admin")
    )
    assert r.status_code == 409 and "not in the registry" in r.json()["detail"]


def test_campaigns_create_publish_list(api: Api) -> None:
    body = {
        "campaign_id": "nhs-careers",
        "name": "NHS Careers week",
        "hashtag": "#NHSCareers",
        "owner_queue": "digital",
        "start_date": "2026-11-23",
        "end_date": "2026-11-30",
    }
    r = api.client.post("/v1/campaigns", json=body, headers=api.auth("digital"))
    assert r.status_code == 201, r.text
    assert r.json()["hashtag"] == "NHSCareers" and r.json()["created_by"] == "digital"
    again = api.client.post("/v1/campaigns", json=body, headers=api.auth("digital"))
    assert again.status_code == 409
    assert api.client.post("/v1/campaigns", json=body, headers=api.auth("press")).status_code == 403
    listed = api.client.get("/v1/campaigns", headers=api.auth("digital")).json()["campaigns"]
    assert [c["campaign_id"] for c in listed] == ["nhs-careers"]
    assert api.client.get("/v1/campaigns", headers=api.auth("press")).json()["campaigns"] == []
    events = [
        (k, validate(v, Campaign)) for k, v in _consume(api.kafka, INBOX_CAMPAIGNS, b"nhs-careers")
    ]
    assert [(k, e.campaign_id, e.hashtag) for k, e in events if e.campaign_id == "nhs-careers"] == [
        (b"nhs-careers", "nhs-careers", "NHSCareers")
    ]


def test_campaign_validation(api: Api) -> None:
    base = {
        "campaign_id": "c1",
        "name": "n",
        "hashtag": "x",
        "owner_queue": "press",
        "start_date": "2026-11-23",
    }
    for change in (
        {"campaign_id": "Bad Id"},
        {"hashtag": "two words"},
        {"owner_queue": "nowhere"},
        {"owner_queue": "local:nowhere"},
        {"end_date": "2026-11-01"},
        {"start_date": "not a date"},
        {"name": "\x00"},
    ):
        r = api.client.post("/v1/campaigns", json={**base, **change}, headers=api.auth("admin"))
        assert r.status_code == 422, (change, r.text)


def test_health_ready_metrics(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    not_ready = api.client.get("/readyz")
    assert not_ready.status_code == 503 and not_ready.json()["database"] == "ok"
    from sqlmodel import Session

    from services.api.models import ProjectorOffset

    with Session(api.engine) as session:
        session.add(
            ProjectorOffset(
                topic="t", partition=0, position=5, end_offset=7, updated_at=api.clock.now
            )
        )
        session.commit()
    ready = api.client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["projector_lag"] == 2
    # A projector that stopped recording its position is not ready, however small its lag.
    api.clock.now += timedelta(seconds=31)
    stale = api.client.get("/readyz")
    assert stale.status_code == 503 and "silent" in stale.json()["detail"]
    api.clock.now -= timedelta(seconds=31)
    with Session(api.engine) as session:
        row = session.get(ProjectorOffset, ("t", 0))
        assert row is not None
        row.end_offset = 20_000
        session.add(row)
        session.commit()
    behind = api.client.get("/readyz")
    assert behind.status_code == 503 and "behind" in behind.json()["detail"]
    with Session(api.engine) as session:
        row = session.get(ProjectorOffset, ("t", 0))
        assert row is not None
        row.end_offset = 7
        session.add(row)
        session.commit()

    api.route(routed(inbox_item(1)), routed(inbox_item(2), RoutedStatus.HELD))
    api.client.get("/v1/queues", headers=api.auth("press"))
    text = api.client.get("/metrics").text
    assert 'switchboard_items{queue="press",status="open"} 1' in text
    assert 'switchboard_items{queue="press",status="held"} 1' in text
    assert 'switchboard_projector_lag{topic="t",partition="0"} 2' in text
    latency = "switchboard_api_request_duration_seconds_count"
    assert f'{latency}{{route="/v1/queues",method="GET",status="200"}} 1' in text
