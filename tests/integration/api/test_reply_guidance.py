"""Replies through the guidance port: block, warn (acknowledge), approval (approve/reject),
retry of a failed reply, and moderation requests; on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlmodel import Session, col, select

from schemas.topics import INBOX_WORK, OUTBOX_REPLIES
from schemas.work import ActorKind, FailureClass, ReplyFailed, WorkEvent
from services.api.db import next_change
from services.api.guidance_port import default_checker
from services.api.models import AuditEvent, OutboxRow, ReplyRow
from services.api.work_apply import apply_work
from tests.fixtures.api.events import T0, inbox_item, routed
from tests.integration.api.conftest import Api

KSS = "twitter:hee_kss"


def _item(api: Api, n: int) -> str:
    item = inbox_item(n, channel=KSS)
    api.route(routed(item))
    return str(item.event_id)


def _outbox(api: Api, topic: str) -> list[OutboxRow]:
    with Session(api.engine) as s:
        return list(s.exec(select(OutboxRow).where(OutboxRow.topic == topic)))


def _reply(api: Api, item: str, text: str, who: str = "kss", **extra: object) -> dict:  # type: ignore[type-arg]
    r = api.client.post(
        f"/v1/items/{item}/reply", json={"text": text, **extra}, headers=api.auth(who)
    )
    return {"http": r.status_code, **r.json()}


def test_block_is_422_with_findings_and_stores_nothing(api: Api) -> None:
    item = _item(api, 1)
    out = _reply(api, item, "Your number is [block] 943 476 5919")
    assert out["http"] == 422 and out["verdict"] == "block"
    assert [f["check"] for f in out["findings"]] == ["pii.nhs_number"]
    assert _outbox(api, OUTBOX_REPLIES.name) == []
    with Session(api.engine) as s:
        assert list(s.exec(select(ReplyRow))) == []
        assert (
            s.exec(select(AuditEvent).where(AuditEvent.action == "reply_submitted")).first() is None
        )


def test_warn_needs_every_warned_check_acknowledged(api: Api) -> None:
    item = _item(api, 2)
    out = _reply(api, item, "See the [warn] and [warn2] notes")
    assert out["http"] == 422 and out["unacknowledged"] == ["acronym", "length"]
    out = _reply(api, item, "See the [warn] and [warn2] notes", acknowledge=["acronym"])
    assert out["http"] == 422 and out["unacknowledged"] == ["length"]
    assert _outbox(api, OUTBOX_REPLIES.name) == []
    ok = _reply(api, item, "See the [warn] and [warn2] notes", acknowledge=["length", "acronym"])
    assert ok["http"] == 200 and ok["status"] == "queued" and ok["verdict"] == "warn"
    submitted = [h for h in ok["item"]["history"] if h["kind"] == "reply_submitted"]
    assert submitted[0]["detail"]["acknowledged"] == ["acronym", "length"]
    assert [r.event_id for r in _outbox(api, OUTBOX_REPLIES.name)] == [uuid.UUID(ok["event_id"])]


def test_approval_holds_the_reply_until_an_approver_decides(api: Api) -> None:
    item = _item(api, 3)
    held = _reply(api, item, "[approval] Take two paracetamol")
    assert held["http"] == 200 and held["status"] == "pending_approval"
    assert _outbox(api, OUTBOX_REPLIES.name) == []
    base = f"/v1/items/{item}/replies/{held['reply_id']}"
    # The author's lead token is no approver; an approver without a reason cannot reject.
    assert api.client.post(f"{base}/approve", headers=api.auth("kss")).status_code == 403
    r = api.client.post(f"{base}/reject", json={}, headers=api.auth("kss-approver"))
    assert r.status_code == 422
    r = api.client.post(f"{base}/approve", headers=api.auth("kss-approver"))
    assert r.status_code == 200, r.text
    reply = r.json()["replies"][0]
    assert (reply["status"], reply["decided_by"]) == ("queued", "kss-approver")
    assert [r.event_id for r in _outbox(api, OUTBOX_REPLIES.name)] == [uuid.UUID(held["event_id"])]
    again = api.client.post(f"{base}/approve", headers=api.auth("admin"))
    assert again.status_code == 409  # no longer pending

    other = _reply(api, item, "[approval] Or ibuprofen")
    r = api.client.post(
        f"/v1/items/{item}/replies/{other['reply_id']}/reject",
        json={"reason": "clinical advice: refer to 111"},
        headers=api.auth("admin"),
    )
    assert r.status_code == 200
    states = {x["reply_id"]: x["status"] for x in r.json()["replies"]}
    assert states[other["reply_id"]] == "rejected"
    assert len(_outbox(api, OUTBOX_REPLIES.name)) == 1  # the rejected one is never sent
    missing = api.client.post(
        f"/v1/items/{item}/replies/{uuid.uuid4()}/approve", headers=api.auth("admin")
    )
    assert missing.status_code == 404


def test_retry_of_a_failed_reply_emits_reply_retried(api: Api) -> None:
    item = _item(api, 4)
    sent = _reply(api, item, "Thanks")
    reply_id = uuid.UUID(sent["reply_id"])
    url = f"/v1/items/{item}/replies/{reply_id}/retry"
    assert api.client.post(url, headers=api.auth("kss")).status_code == 409  # not failed
    failure = WorkEvent.create(
        item_event_id=uuid.UUID(item), channel_id=KSS, queue="local:kent-surrey-sussex",
        actor_kind=ActorKind.SERVICE, actor="publisher", command_id=uuid.uuid4(),
        detail=ReplyFailed(reply_id=reply_id, failure=FailureClass.UNAVAILABLE, error="503",
                           retryable=True, attempts=3),
        occurred_at=T0 + timedelta(hours=2),
    )  # fmt: skip
    with Session(api.engine) as s, s.begin():
        apply_work(s, event=failure, seq=next_change(s), now=T0 + timedelta(hours=2))
    api.clock.now = T0 + timedelta(hours=3)
    r = api.client.post(url, headers=api.auth("kss"))
    assert r.status_code == 200, r.text
    assert r.json()["replies"][0]["status"] == "queued"
    work = [WorkEvent.model_validate_json(o.payload) for o in _outbox(api, INBOX_WORK.name)]
    retried = [e for e in work if e.action == "reply_retried"]
    assert len(retried) == 1 and retried[0].detail.attempt == 4  # type: ignore[union-attr]


def test_moderation_request_names_the_platform_comment(api: Api) -> None:
    item = _item(api, 5)
    r = api.client.post(
        f"/v1/items/{item}/moderate",
        json={"operation": "hide", "reason": "abuse"},
        headers=api.auth("kss"),
    )
    assert r.status_code == 200, r.text
    (req,) = r.json()["moderation"]["requests"].values()
    assert (req["operation"], req["status"]) == ("hide", "requested")
    with Session(api.engine) as s:
        rows = s.exec(select(OutboxRow).where(col(OutboxRow.topic) == INBOX_WORK.name)).all()
    events = [WorkEvent.model_validate_json(o.payload) for o in rows]
    mod = [e for e in events if e.action == "moderation_requested"]
    assert mod[0].detail.platform_item_id == f"{KSS}-5"  # type: ignore[union-attr]
    assert mod[0].actor_kind is ActorKind.TOKEN
    bad = api.client.post(
        f"/v1/items/{item}/moderate", json={"operation": "ban"}, headers=api.auth("kss")
    )
    assert bad.status_code == 422


def test_the_default_checker_finds_nothing() -> None:
    report = default_checker().check(channel_id=KSS, text="anything at all")
    assert (report.verdict.value, report.findings) == ("ok", [])
