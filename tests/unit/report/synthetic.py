"""A synthetic November 2026 whose every figure is worked out by hand (see test_figures.py).

November 2026 is all GMT (the clocks went back on 25 Oct). Office: Mon-Fri 09:00-17:00.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from schemas.enums import RoutedStatus
from schemas.envelope import make_event_id
from schemas.events import Campaign, DeadLetter
from schemas.guidance import Finding, Severity
from schemas.work import (
    FailureClass,
    ReplyApproved,
    ReplyFailed,
    ReplyPublished,
    ReplySubmitted,
    Resolved,
    WorkDetail,
    WorkEvent,
)
from services.report.domain.figures import ReportInput
from tests.unit.sla.builders import inbox, routed, withdrawn, work

HELD, RELEASED = RoutedStatus.HELD, RoutedStatus.RELEASED


def _finding(check: str, severity: Severity) -> Finding:
    return Finding(check=check, severity=severity, match="x", start=0, end=1, message="fix it")


def _reply(n: int, *findings: Finding, approval: bool = False) -> ReplySubmitted:
    return ReplySubmitted(reply_id=uuid.UUID(int=n), text="Thank you", verdict=Severity.OK,
                          findings=list(findings), needs_approval=approval)  # fmt: skip


def _published(n: int) -> ReplyPublished:
    return ReplyPublished(reply_id=uuid.UUID(int=n), platform_reply_id=f"p{n}", attempts=1)


def _campaign(cid: str, name: str, start: str, end: str | None, *, active: bool = True,
              registered: str) -> Campaign:  # fmt: skip
    return Campaign(
        event_id=make_event_id("campaign", cid, registered),
        occurred_at=datetime.fromisoformat(registered),
        campaign_id=cid,
        name=name,
        hashtag="NHSCareers" if cid == "careers" else cid,
        owner_queue="digital",
        start_date=date.fromisoformat(start),
        end_date=date.fromisoformat(end) if end else None,
        active=active,
    )


def _letter(source: str, error: Exception, when: str) -> DeadLetter:
    return DeadLetter.from_error(source=source, error=error, raw=f"{source}{when}".encode(),
                                 now=datetime.fromisoformat(when))  # fmt: skip


def november() -> ReportInput:
    a = inbox("facebook:nhshee", created="2026-11-02T10:00:00+00:00", hashtags=["nhscareers"])
    b = inbox("twitter:nhs_healthedeng", created="2026-11-02T15:00:00+00:00", kind="mention")
    c = inbox("twitter:hee_kss", created="2026-11-07T10:00:00+00:00")
    d = inbox("instagram:nhshee", created="2026-11-14T20:00:00+00:00")
    e = inbox("facebook:nhshee", created="2026-11-18T10:00:00+00:00", hashtags=["NHSCareers"])
    f = inbox("twitter:hee_kss", created="2026-11-19T16:00:00+00:00", hashtags=["nhsCAREERS"])
    g = inbox("facebook:nhshee", created="2026-11-20T10:00:00+00:00")
    i = inbox("facebook:nhshee", created="2026-11-30T23:59:59+00:00")
    october = inbox("facebook:nhshee", created="2026-10-31T23:00:00+00:00")
    december = inbox("facebook:nhshee", created="2026-12-01T00:00:00+00:00")
    kss = "local:kent-surrey-sussex"
    routed_events = [
        routed(a, when="2026-11-02T10:00:00+00:00"),
        routed(b, when="2026-11-02T15:00:00+00:00"),
        routed(c, when="2026-11-07T10:00:00+00:00", queue=kss, status=HELD,
               hold_until="2026-11-09T09:00:00+00:00"),
        routed(c, when="2026-11-09T09:00:00+00:00", queue=kss, status=RELEASED,
               hold_until="2026-11-09T09:00:00+00:00"),
        routed(d, when="2026-11-14T20:00:00+00:00", queue="digital", status=HELD,
               hold_until="2026-11-16T09:00:00+00:00"),
        routed(d, when="2026-11-16T09:00:00+00:00", queue="digital", status=RELEASED,
               hold_until="2026-11-16T09:00:00+00:00"),
        routed(e, when="2026-11-18T10:00:00+00:00"),
        routed(f, when="2026-11-19T16:00:00+00:00", queue=kss, campaigns=["nhscareers"]),
        routed(g, when="2026-11-20T10:00:00+00:00"),
        withdrawn(g, when="2026-11-20T10:30:00+00:00"),
        routed(i, when="2026-11-30T23:59:59+00:00"),
        routed(october, when="2026-10-31T23:00:00+00:00"),
        routed(december, when="2026-12-01T00:00:00+00:00"),
    ]  # fmt: skip
    failure = ReplyFailed(reply_id=uuid.UUID(int=3), failure=FailureClass.UNAVAILABLE,
                          error="503 from the platform", retryable=True, attempts=3)  # fmt: skip
    steps: list[tuple[object, WorkDetail, str, str]] = [
        (a, _reply(1, _finding("acronym", Severity.WARN), _finding("length", Severity.INFO)),
         "2026-11-02T11:30:00+00:00", "press"),
        (a, _published(1), "2026-11-02T11:31:00+00:00", "press"),
        (a, Resolved(), "2026-11-02T12:00:00+00:00", "press"),
        (b, _reply(2, _finding("tone", Severity.APPROVAL), approval=True),
         "2026-11-03T11:00:00+00:00", "press"),
        (b, ReplyApproved(reply_id=uuid.UUID(int=2)), "2026-11-03T11:10:00+00:00", "press"),
        (b, _published(2), "2026-11-03T11:11:00+00:00", "press"),
        (b, Resolved(), "2026-11-04T10:00:00+00:00", "press"),
        (c, _reply(3), "2026-11-09T15:00:00+00:00", kss),
        (c, failure, "2026-11-09T15:05:00+00:00", kss),
        (d, _reply(4), "2026-11-14T21:00:00+00:00", "digital"),
        (d, _published(4), "2026-11-14T21:01:00+00:00", "digital"),
        (d, Resolved(), "2026-11-16T09:30:00+00:00", "digital"),
        (f, _reply(6), "2026-11-20T16:00:00+00:00", kss),
        (f, _published(6), "2026-11-20T16:01:00+00:00", kss),
        (october, _reply(9, _finding("acronym", Severity.WARN)), "2026-10-31T23:30:00+00:00",
         "press"),
    ]  # fmt: skip
    work_events: list[WorkEvent] = [
        work(it, detail, when=when, queue=queue)  # type: ignore[arg-type]
        for it, detail, when, queue in steps
    ]
    campaigns = [
        _campaign("careers", "Careers week", "2026-11-16", None,
                  registered="2026-11-19T12:00:00+00:00"),
        _campaign("careers", "NHS Careers month", "2026-11-16", None,
                  registered="2026-11-20T12:00:00+00:00"),  # an update: the latest counts
        _campaign("oldcamp", "Old", "2026-09-01", "2026-10-31",
                  registered="2026-09-01T09:00:00+00:00"),
        _campaign("pulled", "Pulled", "2026-11-01", None, active=False,
                  registered="2026-11-01T09:00:00+00:00"),
    ]  # fmt: skip
    letters = [
        _letter("ingest.webhook.facebook", ValueError("bad"), "2026-11-05T10:00:00+00:00"),
        _letter("router", KeyError("queue"), "2026-11-25T03:00:00+00:00"),
        _letter("router", KeyError("queue"), "2026-10-25T03:00:00+00:00"),
    ]
    return ReportInput(routed=routed_events, work=work_events, campaigns=campaigns,
                       dead_letters=letters)  # fmt: skip
