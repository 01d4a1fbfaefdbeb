"""The reply-guidance port of the API: which `schemas.guidance.ReplyChecker` replies go through.

`default_checker()` is the ONE place the real checker is wired. Until the guidance service
(`services/guidance`, issue 13) is merged it returns a checker that finds nothing, so every
reply's verdict is `ok`; at merge it is replaced by the real checker. Tests pass their own
checkers (fakes that block, warn or ask for approval) through `ApiContext(checker=...)`.
"""

from __future__ import annotations

from schemas.guidance import GuidanceReport, ReplyChecker


class NothingFoundChecker:
    """A checker that finds nothing: the stand-in until services/guidance is merged."""

    def check(
        self,
        *,
        channel_id: str,
        text: str,
        thread_text: str | None = None,
    ) -> GuidanceReport:
        """Always an `ok` verdict with no findings."""
        return GuidanceReport.of([])


def default_checker() -> ReplyChecker:
    """The checker the API uses by default. REPLACED AT MERGE by services/guidance's checker."""
    return NothingFoundChecker()
