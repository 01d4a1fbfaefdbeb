"""Signed webhooks in at the ingest edge; queues, statuses and reasons out at the API."""

from __future__ import annotations

import itertools
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from schemas import INBOX_DEADLETTER, DeadLetter, ItemAction, Platform, inbox_event_id, validate
from services.demo import payloads
from services.supervisor.demo import DEMO_ACCOUNT_IDS
from tests.e2e.conftest import MONDAY_OPEN, Pipeline
from tests.support.kafka import KafkaRecorder
from tests.support.waiting import eventually

SATURDAY = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
NEXT_MONDAY_OPENING = datetime(2026, 11, 30, 9, 0, 1, tzinfo=UTC)
_ids = itertools.count(1)


def _tweet(handle: str, text: str, at: datetime = MONDAY_OPEN) -> tuple[dict[str, Any], str]:
    tweet_id = str(1870000000000000000 + next(_ids) + uuid.uuid4().int % 10**9)
    body = payloads.twitter_mention_webhook(
        for_user_id="900002", addressed_handle=handle, tweet_id=tweet_id, text=text,
        created_at=at, author_id="31001", author_handle="amira_k", author_name="Amira K",
    )  # fmt: skip
    channel = f"twitter:{handle.lower()}"
    return body, str(
        inbox_event_id(Platform.TWITTER, tweet_id, ItemAction.CREATED, channel_id=channel)
    )


def _item(p: Pipeline, item_id: str, token: str | None = None) -> dict[str, Any] | None:
    r = p.get(f"/v1/items/{item_id}", token)
    return r.json() if r.status_code == 200 else None


def _wait_item(p: Pipeline, item_id: str) -> dict[str, Any]:
    def probe() -> dict[str, Any] | None:
        return _item(p, item_id)

    return eventually(probe, what=f"item {item_id}")


@pytest.fixture(autouse=True)
def office_open(pipeline: Pipeline) -> None:
    pipeline.set_clock(MONDAY_OPEN)


def test_items_reach_the_right_queue_with_status_and_reason(pipeline: Pipeline) -> None:
    tweet, tweet_id = _tweet("HEE_KSS", "When do allocations come out?")
    page = DEMO_ACCOUNT_IDS["facebook:nhshee"][0]
    comment_id = f"{uuid.uuid4().int % 10**9}_1"
    fb = payloads.facebook_comment_webhook(
        page_id=page, post_id=f"{page}_77", comment_id=comment_id, text="Is the portal down?",
        created_at=MONDAY_OPEN, author_id="31002", author_name="Tom B",
    )  # fmt: skip
    ig_comment = str(17950000000000000 + uuid.uuid4().int % 10**9)
    ig = payloads.instagram_comment_webhook(
        account_id=DEMO_ACCOUNT_IDS["instagram:nhshee"][0], comment_id=ig_comment,
        media_id="17900000000000042", text="Love this 💙 #NHSCareers", author_id="31003",
        author_handle="nursejo", sent_at=MONDAY_OPEN,
    )  # fmt: skip
    for platform, body in (("twitter", tweet), ("facebook", fb), ("instagram", ig)):
        response = pipeline.post_webhook(platform, body)
        assert response.status_code == 200, response.text
        assert response.json()["produced"] == 1

    expected = {
        tweet_id: ("local:kent-surrey-sussex", "channel-owner:twitter:hee_kss"),
        str(inbox_event_id(Platform.FACEBOOK, comment_id, ItemAction.CREATED,
                           channel_id="facebook:nhshee")): (
            "press", "corporate-platform:facebook"),
        str(inbox_event_id(Platform.INSTAGRAM, ig_comment, ItemAction.CREATED,
                           channel_id="instagram:nhshee")): (
            "digital", "corporate-platform:instagram"),
    }  # fmt: skip
    for item_id, (queue, rule) in expected.items():
        item = _wait_item(pipeline, item_id)
        assert item["queue"] == queue
        assert item["status"] == "open"
        assert item["routing_status"] == "queued"
        assert item["rule"] == rule
        assert "open" in item["reason"].lower()
        listed = pipeline.get(f"/v1/queues/{queue}/items", status="open").json()["items"]
        assert item_id in {i["id"] for i in listed}


def test_out_of_hours_item_is_held_then_released_at_opening(pipeline: Pipeline) -> None:
    pipeline.set_clock(SATURDAY)
    tweet, item_id = _tweet("nhs_healthedeng", "Anyone there at the weekend?", at=SATURDAY)
    assert pipeline.post_webhook("twitter", tweet).status_code == 200

    held = eventually(
        lambda: (i := _item(pipeline, item_id)) and i["status"] == "held" and i, what="held"
    )
    assert held["queue"] == "press"
    assert "held until" in held["reason"].lower()
    held_list = pipeline.get("/v1/queues/press/items", status="held").json()["items"]
    assert item_id in {i["id"] for i in held_list}

    pipeline.set_clock(NEXT_MONDAY_OPENING)
    released = eventually(
        lambda: (i := _item(pipeline, item_id)) and i["status"] == "open" and i, what="release"
    )
    assert released["routing_status"] == "released"
    kinds = [h["kind"] for h in released["history"]]
    assert kinds.index("held") < kinds.index("released")


def test_malformed_payload_is_dead_lettered_with_its_error(pipeline: Pipeline) -> None:
    marker = uuid.uuid4().hex
    bad = json.dumps({"for_user_id": "900002", "tweet_create_events": [{"id_str": marker}]})
    response = pipeline.post_webhook("twitter", bad.encode())
    assert response.status_code == 202
    answer = response.json()
    assert answer["status"] == "dead-lettered"
    assert answer["error"]

    topic = f"{pipeline.topic_prefix}{INBOX_DEADLETTER.name}"
    with KafkaRecorder(pipeline.bootstrap, topic) as recorder:
        found = recorder.collect(count=0, idle_s=20)  # all of it: a duplicate would show
    letters = [validate(r.value, DeadLetter) for r in found if r.value is not None]
    ours = [d for d in letters if marker in d.payload]
    assert len(ours) == 1
    assert ours[0].source == "ingest.webhook.twitter"
    assert str(ours[0].event_id) == answer["dead_letter_event_id"]
    assert ours[0].error == answer["error"]


def test_local_lead_sees_only_their_channel(pipeline: Pipeline) -> None:
    ours, ours_id = _tweet("HEE_KSS", "A question for KSS")
    theirs, theirs_id = _tweet("HEE_NWest", "A question for the North West")
    for body in (ours, theirs):
        assert pipeline.post_webhook("twitter", body).status_code == 200
    eventually(lambda: _item(pipeline, ours_id) and _item(pipeline, theirs_id), what="both")

    lead = pipeline.cli("tokens", "create", "--name", f"kss-lead-{uuid.uuid4().hex[:6]}",
                        "--channel", "twitter:hee_kss")  # fmt: skip
    feed = pipeline.get("/v1/channels/twitter:hee_kss/items", lead)
    assert feed.status_code == 200
    seen = {i["id"] for i in feed.json()["items"]}
    assert ours_id in seen
    assert theirs_id not in seen
    assert _item(pipeline, ours_id, lead) is not None
    other = pipeline.get(f"/v1/items/{theirs_id}", lead)
    missing = pipeline.get(f"/v1/items/{uuid.uuid4()}", lead)
    assert other.status_code == missing.status_code  # leaks nothing, not even existence
    assert other.status_code in (403, 404)
    assert pipeline.get("/v1/channels/twitter:hee_nwest/items", lead).status_code == 403
    assert pipeline.get("/v1/queues/press/items", lead).status_code == 403


def test_duplicate_webhook_delivery_produces_one_item(pipeline: Pipeline) -> None:
    tweet, item_id = _tweet("UKFPO", "Posted twice by a retrying webhook")
    first = pipeline.post_webhook("twitter", tweet)
    second = pipeline.post_webhook("twitter", tweet)
    assert first.status_code == second.status_code == 200
    assert first.json()["event_ids"] == second.json()["event_ids"] == [item_id]
    # A later item on the same channel (same partition, so processed after both copies).
    sentinel, sentinel_id = _tweet("UKFPO", "Sentinel after the duplicate")
    assert pipeline.post_webhook("twitter", sentinel).status_code == 200
    eventually(lambda: _item(pipeline, sentinel_id), what="sentinel")

    listed = pipeline.get("/v1/queues/programme:ukfpo/items", status="open").json()["items"]
    assert [i["id"] for i in listed].count(item_id) == 1
    history = _item(pipeline, item_id)
    assert history is not None
    assert [h["kind"] for h in history["history"]].count("routed") == 1
