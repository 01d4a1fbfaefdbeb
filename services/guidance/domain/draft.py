"""What every check is given, and how a check writes a finding."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from schemas.enums import Platform
from schemas.guidance import Finding, Severity
from services.guidance.domain.rules import Rules

MAX_DRAFT_CHARS = 20_000
"""Longest draft the checks accept: twice YouTube's limit, so the length check still reports."""

MAX_FINDINGS_PER_CHECK = 25
"""A check reports at most this many spans: ten checks stay inside a report's 500 findings."""

_MAX_MATCH = 2_000  # Finding.match's bound


class DraftTooLongError(ValueError):
    """The draft is longer than MAX_DRAFT_CHARS."""


@dataclass(frozen=True)
class Draft:
    """A draft reply in context: where it goes, what it answers, and when it is checked."""

    text: str
    platform: Platform
    now: datetime
    thread_text: str | None = None

    def __post_init__(self) -> None:
        if len(self.text) > MAX_DRAFT_CHARS:
            raise DraftTooLongError(
                f"draft is {len(self.text)} characters; at most {MAX_DRAFT_CHARS} are checked"
            )
        if self.now.tzinfo is None:
            raise ValueError("now must be timezone-aware")


Check = Callable[[Draft, Rules], list[Finding]]


def finding(
    check: str, severity: Severity, draft: Draft, span: tuple[int, int], message: str
) -> Finding:
    """A finding on `span` of the draft; the match is the spanned text (cut to 2,000)."""
    start, end = span
    return Finding(
        check=check,
        severity=severity,
        match=draft.text[start:end][:_MAX_MATCH],
        start=start,
        end=end,
        message=message[:1000],
    )


def capped(findings: Iterable[Finding]) -> list[Finding]:
    """At most MAX_FINDINGS_PER_CHECK findings, the first in the text."""
    out: list[Finding] = []
    for f in findings:
        if len(out) == MAX_FINDINGS_PER_CHECK:
            break
        out.append(f)
    return out
