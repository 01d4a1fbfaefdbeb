from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest

from schemas import SchemaValidationError, WorkEvent, validate
from schemas.guidance import Finding, GuidanceReport, Severity
from schemas.work import ActorKind, Claimed, ReplyFailed, ReplySubmitted

ITEM = uuid.UUID("00000000-0000-4000-8000-000000000001")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _event(command: uuid.UUID, detail: Claimed | ReplySubmitted | ReplyFailed) -> WorkEvent:
    return WorkEvent.create(
        item_event_id=ITEM,
        channel_id="twitter:hee_kss",
        queue="local:kss",
        actor_kind=ActorKind.USER,
        actor="press.officer@example.org",
        command_id=command,
        detail=detail,
        occurred_at=NOW,
    )


def test_a_retried_command_is_the_same_event_and_another_command_is_not() -> None:
    command = uuid.uuid4()
    assert _event(command, Claimed()).event_id == _event(command, Claimed()).event_id
    assert _event(uuid.uuid4(), Claimed()).event_id != _event(command, Claimed()).event_id


def test_detail_round_trips_by_its_type() -> None:
    reply = ReplySubmitted(
        reply_id=uuid.uuid4(),
        text="Thank you",
        verdict=Severity.WARN,
        findings=[
            Finding(
                check="acronym",
                severity=Severity.WARN,
                match="HEE",
                start=0,
                end=3,
                message="spell out HEE: Health Education England",
            )
        ],
        acknowledged=["acronym"],
    )
    event = _event(uuid.uuid4(), reply)
    back = validate(event.to_bytes(), WorkEvent)
    assert isinstance(back.detail, ReplySubmitted)
    assert back.action == "reply_submitted"
    assert back == event


def test_unknown_action_is_refused() -> None:
    raw = _event(uuid.uuid4(), Claimed()).model_dump(mode="json")
    raw["detail"] = {"type": "teleported"}
    with pytest.raises(SchemaValidationError):
        validate(json.dumps(raw).encode(), WorkEvent)


def test_verdict_is_the_most_severe_finding() -> None:
    def finding(severity: Severity, start: int) -> Finding:
        return Finding(
            check="x", severity=severity, match="a", start=start, end=start + 1, message="m"
        )

    report = GuidanceReport.of(
        [finding(Severity.INFO, 5), finding(Severity.APPROVAL, 1), finding(Severity.WARN, 3)]
    )
    assert report.verdict is Severity.APPROVAL
    assert [f.start for f in report.findings] == [1, 3, 5]
    assert GuidanceReport.of([]).verdict is Severity.OK
