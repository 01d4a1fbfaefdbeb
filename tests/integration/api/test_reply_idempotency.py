"""Idempotency-Key on POST /v1/items/{id}/reply: a client retry never publishes twice."""

from __future__ import annotations

import uuid

from schemas.events import Reply
from schemas.topics import OUTBOX_REPLIES
from schemas.validation import validate
from tests.fixtures.api.events import inbox_item, routed
from tests.integration.api.conftest import Api
from tests.support.kafka import KafkaRecorder

KSS = "twitter:hee_kss"


def _replies_until(api: Api, marker: str) -> list[Reply]:
    """Replies on this module's outbox topic up to the one whose reply_id is `marker`."""
    with KafkaRecorder.of(api.kafka, OUTBOX_REPLIES) as recorder:
        found = recorder.until(
            lambda r: r.value is not None and str(validate(r.value, Reply).reply_id) == marker
        )
    return [validate(r.value or b"", Reply) for r in found]


def _reply(api: Api, item: uuid.UUID, text: str, key: str | None, who: str = "kss") -> dict:  # type: ignore[type-arg]
    headers = api.auth(who) | ({"Idempotency-Key": key} if key else {})
    r = api.client.post(f"/v1/items/{item}/reply", json={"text": text}, headers=headers)
    body = r.json()
    return {**body, "status": r.status_code, "reply_status": body.get("status")}


def test_retry_with_same_key_returns_first_reply_and_publishes_once(api: Api) -> None:
    item, other = inbox_item(1, channel=KSS), inbox_item(2, channel=KSS)
    api.route(routed(item), routed(other))
    key, text = f"k-{uuid.uuid4()}", f"Thanks, see the FAQ ({uuid.uuid4()})"
    first = _reply(api, item.event_id, text, key)
    again = _reply(api, item.event_id, text, key)
    assert first["status"] == again["status"] == 200
    assert (again["reply_id"], again["event_id"]) == (first["reply_id"], first["event_id"])
    kinds = [h["kind"] for h in again["item"]["history"]]
    assert kinds.count("reply_submitted") == 1

    clash = _reply(api, item.event_id, "a different text", key)
    assert clash["status"] == 409 and "Idempotency-Key" in clash["detail"]
    elsewhere = _reply(api, other.event_id, text, key)
    assert elsewhere["status"] == 409  # same key, another item: a different request

    marker = _reply(api, other.event_id, "marker", None)
    assert marker["status"] == 200
    published = _replies_until(api, marker["reply_id"])
    # Item ids repeat across the SQLite and PostgreSQL runs on this module's topic; texts do not.
    on_item = [r for r in published if r.text == text]
    assert [str(r.reply_id) for r in on_item] == [first["reply_id"]]


def test_keys_are_per_caller_and_optional(api: Api) -> None:
    item = inbox_item(3, channel=KSS)
    api.route(routed(item))
    mine = _reply(api, item.event_id, "hello", "shared-key", who="admin")
    theirs = _reply(api, item.event_id, "hello", "shared-key", who="kss")
    assert mine["status"] == theirs["status"] == 200
    assert mine["reply_id"] != theirs["reply_id"]
    no_key_1 = _reply(api, item.event_id, "hello", None)
    no_key_2 = _reply(api, item.event_id, "hello", None)
    assert no_key_1["reply_id"] != no_key_2["reply_id"]
    too_long = _reply(api, item.event_id, "hello", "k" * 201)
    assert too_long["status"] == 422
