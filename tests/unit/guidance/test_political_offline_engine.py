"""Political watch list and election periods (now injected), offline suggestions, verdicts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from schemas.enums import Platform
from schemas.guidance import Severity
from services.guidance.domain.draft import (
    MAX_DRAFT_CHARS,
    MAX_FINDINGS_PER_CHECK,
    Draft,
    DraftTooLongError,
)
from services.guidance.domain.rules import Rules
from tests.unit.guidance.conftest import of, report

# The shipped period: 2027-03-25 to 2027-05-06 inclusive, Europe/London dates.
BEFORE = datetime(2027, 3, 24, 23, 59, tzinfo=UTC)  # still the 24th in London (GMT)
FIRST = datetime(2027, 3, 25, 0, 0, tzinfo=UTC)
LAST = datetime(2027, 5, 6, 22, 59, tzinfo=UTC)  # 23:59 BST on the 6th
AFTER = datetime(2027, 5, 6, 23, 0, tzinfo=UTC)  # 00:00 BST on the 7th


@pytest.mark.parametrize(
    ("now", "severity"),
    [
        (datetime(2026, 12, 1, tzinfo=UTC), Severity.WARN),
        (BEFORE, Severity.WARN),
        (FIRST, Severity.APPROVAL),
        (datetime(2027, 4, 20, 9, tzinfo=timezone(timedelta(hours=1))), Severity.APPROVAL),
        (LAST, Severity.APPROVAL),
        (AFTER, Severity.WARN),
    ],
)
def test_election_period_on_and_off(rules: Rules, now: datetime, severity: Severity) -> None:
    [f] = of(rules, "political", "Nothing to say about the general election", now=now)
    assert (f.match, f.severity) == ("general election", severity)
    assert ("approver" in f.message) is (severity is Severity.APPROVAL)


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("Ask your MP or the Labour Party", ["MP", "Labour Party"]),
        ("Labour says so", ["Labour"]),
        ("Keir Starmer and Nigel Farage", ["Keir Starmer", "Nigel Farage"]),
        ("on government policy we cannot comment", ["government policy"]),
        ("Midwives support women in labour on the labour ward", []),
        ("Our electronic portfolio (ePortfolio) electionless", []),
        ("Mpumalanga and AMPs", []),
    ],
)
def test_watch_list(rules: Rules, text: str, matches: list[str]) -> None:
    assert [f.match for f in of(rules, "political", text)] == matches


def test_offline_when_the_draft_asks_for_details(rules: Rules) -> None:
    [f] = of(rules, "offline", "Can you send us your date of birth and address?")
    assert (f.severity, f.match) == (Severity.INFO, "your date of birth")
    assert "communications@hee.nhs.uk" in f.message


@pytest.mark.parametrize(
    ("thread", "draft", "fires"),
    [
        ("This service is appalling and I want to complain", "Sorry to hear that", True),
        ("What a crap reply", "Sorry", True),  # swearing in the thread is negative too
        ("Thanks, that was helpful!", "Glad to help", False),
        (None, "Glad to help", False),
        ("Absolutely disgraceful", "Please email communications@hee.nhs.uk", False),
    ],
)
def test_offline_when_the_thread_is_negative(
    rules: Rules, thread: str | None, draft: str, fires: bool
) -> None:
    found = of(rules, "offline", draft, thread=thread)
    assert bool(found) is fires
    if fires:
        assert (found[0].start, found[0].end, found[0].match) == (0, 0, "")


def test_verdict_is_the_most_severe_and_findings_in_text_order(rules: Rules) -> None:
    r = report(
        rules,
        "Your ARCP is 943 476 5919 and the election",
        platform=Platform.TWITTER,
        thread="appalling",
    )
    assert r.verdict is Severity.BLOCK
    assert [f.check for f in r.findings] == ["offline", "acronym", "pii.nhs_number", "political"]
    assert [f.start for f in r.findings] == sorted(f.start for f in r.findings)


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("Thanks!", Severity.OK),
        ("Thanks! Ask your MP.", Severity.WARN),
        ("Your ARCP results", Severity.WARN),  # on X
    ],
)
def test_verdicts(rules: Rules, text: str, verdict: Severity) -> None:
    assert report(rules, text, platform=Platform.TWITTER).verdict is verdict


def test_findings_per_check_are_capped(rules: Rules) -> None:
    r = report(rules, "HEE " * 2000)
    assert len([f for f in r.findings if f.check == "acronym"]) == MAX_FINDINGS_PER_CHECK


def test_draft_bounds() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    Draft(text="x" * MAX_DRAFT_CHARS, platform=Platform.YOUTUBE, now=now)
    with pytest.raises(DraftTooLongError):
        Draft(text="x" * (MAX_DRAFT_CHARS + 1), platform=Platform.YOUTUBE, now=now)
    with pytest.raises(ValueError, match="timezone-aware"):
        Draft(text="x", platform=Platform.YOUTUBE, now=datetime(2026, 12, 1))
