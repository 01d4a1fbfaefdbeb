"""Delivery over the real SQLite store with a scripted platform: crash recovery and retries."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from pydantic import SecretStr

from schemas.enums import Platform
from schemas.events import DeadLetter
from schemas.work import FailureClass, ReplyFailed, ReplyPublished, WorkEvent
from services.publisher.adapters.credentials import AccountCredentials
from services.publisher.adapters.http import NoAnswerError
from services.publisher.adapters.store import AttemptStore
from services.publisher.delivery import UNKNOWN_ID, Delivery, DeliveryConfig, Source
from services.publisher.domain.backoff import Backoff
from services.publisher.domain.model import Answer, PlatformRequest
from tests.fixtures.publisher.harness import reply

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


class Scripted:
    """A platform port answering from a script; records what it was sent."""

    def __init__(self, *answers: Answer | Exception) -> None:
        self.answers = list(answers)
        self.sent: list[PlatformRequest] = []

    async def send(self, request: PlatformRequest, creds: AccountCredentials) -> Answer:  # noqa: ARG002 - the PlatformClient protocol signature
        self.sent.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def aclose(self) -> None:
        return None


class Collect:
    def __init__(self) -> None:
        self.events: list[WorkEvent] = []
        self.dead: list[DeadLetter] = []

    async def work(self, event: WorkEvent) -> None:
        self.events.append(event)

    async def dead_letter(self, letter: DeadLetter) -> None:
        self.dead.append(letter)


def _delivery(store: AttemptStore, port: Scripted, out: Collect, sleeps: list[float]) -> Delivery:
    async def sleep(s: float) -> None:
        sleeps.append(s)

    creds = AccountCredentials(access_token=SecretStr("t" * 24))
    return Delivery(
        clients=dict.fromkeys(Platform, port),
        credentials={
            "twitter:nhs_healthedeng": creds,
            "facebook:nhshee": creds,
            "linkedin:health-education-england": creds.model_copy(
                update={"actor_urn": "urn:li:organization:1"}
            ),
        },
        store=store,
        outbox=out,
        config=DeliveryConfig(backoff=Backoff(base_s=1, cap_s=8, rand=lambda: 0.0)),
        clock=lambda: NOW,
        sleep=sleep,
        queue_of=lambda _r: "press",
    )


def _events(out: Collect) -> list[object]:
    return [e.detail for e in out.events]


def test_a_reply_left_in_flight_by_a_crash_is_not_posted_blindly(tmp_path: Path) -> None:
    store = AttemptStore(tmp_path / "p.db")
    li, x = reply(Platform.LINKEDIN), reply(Platform.TWITTER)
    for r in (li, x):  # as a crash would leave them: counted, sent, never answered
        store.register(reply_id=str(r.reply_id), reply_json=r.model_dump_json(), queue="press",
                       now=NOW)  # fmt: skip
        store.begin_request(str(r.reply_id), now=NOW)
    duplicate = Answer(403, {}, {"detail": "You are not allowed to create a Tweet with "
                                 "duplicate content."})  # fmt: skip
    port, out, sleeps = Scripted(duplicate), Collect(), list[float]()
    delivery = _delivery(store, port, out, sleeps)
    asyncio.run(delivery.reply(li, source=Source(raw=li.to_bytes())))
    asyncio.run(delivery.reply(x, source=Source(raw=x.to_bytes())))
    li_outcome, x_outcome = _events(out)
    assert isinstance(li_outcome, ReplyFailed) and li_outcome.failure is FailureClass.UNAVAILABLE
    assert isinstance(x_outcome, ReplyPublished) and x_outcome.platform_reply_id == UNKNOWN_ID
    assert len(port.sent) == 1  # only X was asked again
    assert not out.dead


def test_an_unanswered_request_is_looked_up_then_sent_again_after_the_backoff(
    tmp_path: Path,
) -> None:
    store = AttemptStore(tmp_path / "p.db")
    fb = reply(Platform.FACEBOOK)
    busy = Answer(500, {}, {"error": {"code": 2, "message": "Service temporarily unavailable"}})
    listed = Answer(200, {}, {"data": [{"id": "1_1", "message": "someone else's"}]})
    port = Scripted(busy, NoAnswerError("x"), listed, Answer(200, {}, {"id": "1_2"}))
    out, sleeps = Collect(), list[float]()
    asyncio.run(_delivery(store, port, out, sleeps).reply(fb, source=Source(raw=b"")))
    (outcome,) = _events(out)
    assert isinstance(outcome, ReplyPublished) and outcome.platform_reply_id == "1_2"
    assert outcome.attempts == 3 and sleeps == [0.5, 1.0]
    assert [r.method for r in port.sent] == ["POST", "POST", "GET", "POST"]
    assert port.sent[2].path.endswith(f"/{fb.in_reply_to}/comments")


def test_a_reply_found_in_the_list_is_published_without_posting_again(tmp_path: Path) -> None:
    store = AttemptStore(tmp_path / "p.db")
    fb = reply(Platform.FACEBOOK)
    store.register(reply_id=str(fb.reply_id), reply_json=fb.model_dump_json(), queue="press",
                   now=NOW)  # fmt: skip
    store.begin_request(str(fb.reply_id), now=NOW)  # a crash mid-request
    port = Scripted(Answer(200, {}, {"data": [{"id": "1_9", "message": fb.text}]}))
    out, sleeps = Collect(), list[float]()
    asyncio.run(_delivery(store, port, out, sleeps).reply(fb, source=Source(raw=b"")))
    (outcome,) = _events(out)
    assert isinstance(outcome, ReplyPublished) and outcome.platform_reply_id == "1_9"
    assert [r.method for r in port.sent] == ["GET"]


def test_a_recorded_outcome_is_announced_again_not_posted(tmp_path: Path) -> None:
    store = AttemptStore(tmp_path / "p.db")
    x = reply(Platform.TWITTER)
    port, out, sleeps = Scripted(Answer(201, {}, {"data": {"id": "19"}})), Collect(), list[float]()
    delivery = _delivery(store, port, out, sleeps)
    asyncio.run(delivery.reply(x, source=Source(raw=b"")))
    asyncio.run(delivery.reply(x, source=Source(raw=b"")))
    first, second = out.events
    assert first == second and len(port.sent) == 1
