"""Reply-guidance results as they travel in events and API answers.

The checks themselves live in `services/guidance` (pure, no I/O); this module is only the
shape of their answer, shared by the API, the web page, the CLI and the work events.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    """How much a finding holds a reply back, least to most."""

    OK = "ok"  # nothing found
    INFO = "info"  # a suggestion; sending is not held back
    WARN = "warn"  # sent only with an explicit acknowledgement
    APPROVAL = "approval"  # sent only after an approver for the queue approves it
    BLOCK = "block"  # never sent as written

    @property
    def rank(self) -> int:
        """Order of severity: the verdict is the finding with the highest rank."""
        return _RANK[self]


_RANK = {s: i for i, s in enumerate(Severity)}


class Finding(BaseModel):
    """One rule that fired on a draft: which rule, on which span of the text, and the fix."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    check: str = Field(
        min_length=1,
        max_length=100,
        pattern=r"^[a-z][a-z0-9_.]*$",
        description="Check name, e.g. pii.nhs_number, acronym, length.",
    )
    severity: Severity = Field(description="What this finding does to the reply.")
    match: str = Field(max_length=2000, description="The text that fired, as in the draft.")
    start: int = Field(ge=0, description="Start of the span (Python str index, inclusive).")
    end: int = Field(ge=0, description="End of the span (exclusive).")
    message: str = Field(
        min_length=1, max_length=1000, description="What is wrong and how to fix it."
    )


class GuidanceReport(BaseModel):
    """The verdict on one draft and every finding behind it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    verdict: Severity = Field(description="The most severe finding's severity; ok when none.")
    findings: list[Finding] = Field(
        default_factory=list, max_length=500, description="Findings, in text order."
    )

    @classmethod
    def of(cls, findings: list[Finding]) -> GuidanceReport:
        """A report whose verdict is the most severe of `findings`."""
        ordered = sorted(findings, key=lambda f: (f.start, f.end, f.check))
        verdict = max((f.severity for f in ordered), key=lambda s: s.rank, default=Severity.OK)
        return cls(verdict=verdict, findings=ordered)


class ReplyChecker(Protocol):
    """The port through which commands and pages ask for a verdict on a draft reply."""

    def check(
        self, *, channel_id: str, text: str, thread_text: str | None = None
    ) -> GuidanceReport:
        """Check `text`, to be posted from `channel_id`, optionally answering `thread_text`."""
        ...
