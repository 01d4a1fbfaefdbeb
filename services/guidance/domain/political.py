"""Politics: parties, politicians and election vocabulary from the watch list.

The guidance: "avoid commenting on politically controversial issues and never on government
policy without authorisation". A warning normally; in a configured pre-election period, an
approver must approve the reply.
"""

from __future__ import annotations

from datetime import date

from schemas.guidance import Finding, Severity
from services.guidance.domain.config import ElectionPeriod
from services.guidance.domain.draft import Draft, capped, finding
from services.guidance.domain.rules import Rules


def election_period(rules: Rules, *, on: date) -> ElectionPeriod | None:
    """The pre-election period `on` falls in (both ends included), if any."""
    return next((p for p in rules.election_periods if p.start <= on <= p.end), None)


def political(draft: Draft, rules: Rules) -> list[Finding]:
    """Watch-list terms; `approval` while an election period runs at `draft.now`."""
    spans = []
    for pattern in (rules.watch_any_case, rules.watch_exact_case):
        if pattern is not None:
            spans += [m.span() for m in pattern.finditer(draft.text)]
    if not spans:
        return []
    period = election_period(rules, on=draft.now.astimezone(rules.election_zone).date())
    if period is None:
        severity = Severity.WARN
        tail = "avoid politically controversial issues; government policy needs authorisation"
    else:
        severity = Severity.APPROVAL
        tail = (
            f"pre-election period ({period.name}, {period.start:%d %b %Y} to "
            f"{period.end:%d %b %Y}): an approver must approve this reply"
        )
    return capped(
        finding(
            "political",
            severity,
            draft,
            span,
            f"political term {draft.text[span[0] : span[1]]!r}: {tail}",
        )
        for span in sorted(spans)
    )
