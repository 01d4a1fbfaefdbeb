"""Platform edits, deletions and hides through signed webhooks change their item; one post
addressed to two of our accounts is one item per account, linked; retries stay duplicates."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from schemas import ItemAction, Platform, inbox_event_id
from services.api.db import make_engine
from services.demo import payloads
from services.supervisor.demo import DEMO_ACCOUNT_IDS, X_USER_IDS
from tests.e2e.conftest import MONDAY_OPEN, Pipeline
from tests.fixtures.api.snapshot import snapshot
from tests.support.waiting import eventually

SATURDAY = datetime(2026, 11, 28, 13, 0, tzinfo=UTC)
NEXT_MONDAY_OPENING = datetime(2026, 11, 30, 9, 0, 1, tzinfo=UTC)
PAGE = DEMO_ACCOUNT_IDS["facebook:nhshee"][0]


@pytest.fixture(autouse=True)
def office_open(pipeline: Pipeline) -> None:
    pipeline.set_clock(MONDAY_OPEN)


def _item(p: Pipeline, item_id: str) -> dict[str, Any] | None:
    r = p.get(f"/v1/items/{item_id}")
    return r.json() if r.status_code == 200 else None


def _until(p: Pipeline, item_id: str, what: str, ok: Any) -> dict[str, Any]:
    return eventually(lambda: (i := _item(p, item_id)) and ok(i) and i, what=what)


def _fb(comment_id: str, verb: str, text: str, at: datetime) -> dict[str, Any]:
    body = payloads.facebook_comment_webhook(
        page_id=PAGE, post_id=f"{PAGE}_88", comment_id=comment_id, text=text,
        created_at=MONDAY_OPEN, author_id="31009", author_name="Sam P", verb=verb,
    )  # fmt: skip
    body["entry"][0]["time"] = int(at.timestamp())  # the change happens at delivery time
    return body


def _kinds(item: dict[str, Any]) -> list[str]:
    return [h["kind"] for h in item["history"]]


def test_edit_hide_unhide_delete_change_the_item(pipeline: Pipeline) -> None:
    comment = f"{uuid.uuid4().int % 10**9}_2"
    item_id = str(inbox_event_id(Platform.FACEBOOK, comment, ItemAction.CREATED,
                                 channel_id="facebook:nhshee"))  # fmt: skip
    sent = pipeline.post_webhook("facebook", _fb(comment, "add", "Is it open?", MONDAY_OPEN))
    assert sent.status_code == 200, sent.text
    _until(pipeline, item_id, "the comment", lambda i: i["status"] == "open")

    edit_at = MONDAY_OPEN + timedelta(minutes=5)
    edit = _fb(comment, "edited", "Is it open on Sunday?", edit_at)
    assert pipeline.post_webhook("facebook", edit).status_code == 200
    edited = _until(pipeline, item_id, "the edit", lambda i: i["text"] == "Is it open on Sunday?")
    (entry,) = [h for h in edited["history"] if h["kind"] == "edited"]
    assert entry["detail"]["previous_text"] == "Is it open?"
    edit_id = inbox_event_id(Platform.FACEBOOK, comment, ItemAction.EDITED,
                             channel_id="facebook:nhshee", edited_at=edit_at)  # fmt: skip
    assert pipeline.get(f"/v1/items/{edit_id}").status_code == 404  # no new queue item

    at = MONDAY_OPEN + timedelta(minutes=6)
    assert pipeline.post_webhook("facebook", _fb(comment, "hide", "", at)).status_code == 200
    hidden = _until(pipeline, item_id, "the hide", lambda i: "hidden" in _kinds(i))
    assert hidden["moderation"]["platform"]["hidden"] is True
    at += timedelta(minutes=1)
    assert pipeline.post_webhook("facebook", _fb(comment, "unhide", "", at)).status_code == 200
    shown = _until(pipeline, item_id, "the unhide", lambda i: "unhidden" in _kinds(i))
    assert shown["moderation"]["platform"]["hidden"] is False

    at += timedelta(minutes=1)
    assert pipeline.post_webhook("facebook", _fb(comment, "remove", "", at)).status_code == 200
    gone = _until(pipeline, item_id, "the deletion", lambda i: i["status"] == "withdrawn")
    assert _kinds(gone)[-1] == "deleted" and gone["text"] == "Is it open on Sunday?"
    listed = pipeline.get("/v1/queues/press/items", status="open").json()["items"]
    assert item_id not in {i["id"] for i in listed}


def _tweet(handle: str, tweet_id: str, text: str, at: datetime) -> dict[str, Any]:
    return payloads.twitter_mention_webhook(
        for_user_id=X_USER_IDS[handle], addressed_handle=handle, tweet_id=tweet_id, text=text,
        created_at=at, author_id="31010", author_handle="pat_q", author_name="Pat Q",
    )  # fmt: skip


def test_a_held_item_deleted_before_opening_is_not_released(pipeline: Pipeline) -> None:
    pipeline.set_clock(SATURDAY)
    tweet_id = str(1880000000000000000 + uuid.uuid4().int % 10**9)
    body = _tweet("nhs_healthedeng", tweet_id, "Weekend question", SATURDAY)
    assert pipeline.post_webhook("twitter", body).status_code == 200
    item_id = str(inbox_event_id(Platform.TWITTER, tweet_id, ItemAction.CREATED,
                                 channel_id="twitter:nhs_healthedeng"))  # fmt: skip
    _until(pipeline, item_id, "held", lambda i: i["status"] == "held")
    delete = payloads.twitter_delete_webhook(
        for_user_id=X_USER_IDS["nhs_healthedeng"], tweet_id=tweet_id, author_id="31010",
        deleted_at=SATURDAY + timedelta(hours=1),
    )  # fmt: skip
    assert pipeline.post_webhook("twitter", delete).status_code == 200
    _until(pipeline, item_id, "withdrawn", lambda i: i["status"] == "withdrawn")

    pipeline.set_clock(NEXT_MONDAY_OPENING)
    after = _until(pipeline, item_id, "the release", lambda i: i["routing_status"] == "released")
    assert after["status"] == "withdrawn"
    listed = pipeline.get("/v1/queues/press/items", status="open").json()["items"]
    assert item_id not in {i["id"] for i in listed}


def test_one_post_to_two_accounts_is_two_linked_items(pipeline: Pipeline) -> None:
    tweet_id = str(1890000000000000000 + uuid.uuid4().int % 10**9)
    text = "@HEE_KSS @HEE_NWest which deanery covers Crawley?"
    for handle in ("HEE_KSS", "HEE_NWest", "HEE_KSS"):  # the last one is a webhook retry
        sent = pipeline.post_webhook("twitter", _tweet(handle, tweet_id, text, MONDAY_OPEN))
        assert sent.status_code == 200, sent.text
    kss, nwest = (
        str(inbox_event_id(Platform.TWITTER, tweet_id, ItemAction.CREATED, channel_id=c))
        for c in ("twitter:hee_kss", "twitter:hee_nwest")
    )
    a = _until(pipeline, kss, "the KSS copy", lambda i: len(i["linked"]) == 1)
    b = _until(pipeline, nwest, "the North West copy", lambda i: len(i["linked"]) == 1)
    assert a["linked"][0]["id"] == nwest and b["linked"][0]["id"] == kss
    assert a["queue"] != b["queue"]
    routed = [h for h in a["history"] if h["kind"] == "routed"]
    assert len(routed) == 1  # the retry was a duplicate


def _settled(p: Pipeline) -> bool:
    ready = httpx.get(f"{p.api}/readyz", timeout=10).json()
    return bool(ready.get("outbox_backlog") == 0 and ready.get("projector_lag") == 0)


def test_rebuild_from_the_log_equals_the_live_database(pipeline: Pipeline, tmp_path: Path) -> None:
    """Runs last in this module: the traffic above, plus actions, then `api rebuild`."""
    tweet_id = str(1900000000000000000 + uuid.uuid4().int % 10**9)
    body = _tweet("HEE_KSS", tweet_id, "@HEE_KSS a question to work", MONDAY_OPEN)
    assert pipeline.post_webhook("twitter", body).status_code == 200
    item = str(inbox_event_id(Platform.TWITTER, tweet_id, ItemAction.CREATED,
                              channel_id="twitter:hee_kss"))  # fmt: skip
    _until(pipeline, item, "the item", lambda i: i["status"] == "open")
    auth = {"Authorization": f"Bearer {pipeline.admin_token}"}
    for path, payload in (
        ("claim", None), ("notes", {"note": "phoned"}), ("tags", {"add": ["crawley"]}),
        ("reply", {"text": "Kent, Surrey and Sussex (KSS) covers Crawley"}),
        ("resolve", {"note": "answered"}),
    ):  # fmt: skip
        r = httpx.post(f"{pipeline.api}/v1/items/{item}/{path}", json=payload, headers=auth)
        assert r.status_code == 200, (path, r.text)
    eventually(lambda: _settled(pipeline), what="relay and projector to settle")
    time.sleep(1.5)  # the projector's next round sees the relay's last events
    eventually(lambda: _settled(pipeline), what="relay and projector to settle")

    target = f"sqlite:///{tmp_path / 'rebuilt.db'}"
    counts = json.loads(pipeline.cli("api", "rebuild", "--database-url", target))
    assert counts["items"] == 5 and counts["dead_letters"] == 0
    live, rebuilt = make_engine(pipeline.env["SWITCHBOARD_DATABASE_URL"]), make_engine(target)
    try:
        before, after = snapshot(live), snapshot(rebuilt)
    finally:
        live.dispose()
        rebuilt.dispose()
    assert before["items"][item]["status"] == "resolved"
    for part in before:
        assert after[part] == before[part], part
