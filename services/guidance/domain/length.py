"""Longer than the platform takes: X by weighted characters, the others by characters."""

from __future__ import annotations

from schemas.enums import Platform
from schemas.guidance import Finding, Severity
from services.guidance.domain.draft import Draft, finding
from services.guidance.domain.rules import Rules
from services.guidance.domain.twitter_length import weigh


def length(draft: Draft, rules: Rules) -> list[Finding]:
    """One finding spanning the part past the limit."""
    limit = rules.limits[draft.platform]
    text = draft.text
    if draft.platform is Platform.TWITTER:
        weighed = weigh(text, limit=limit)
        if weighed.over_at is None:
            return []
        size = str(weighed.weight) if weighed.exact else f"more than {weighed.weight}"
        message = (
            f"too long for X: {size} weighted characters, the limit is {limit} (links count "
            "23, emoji and CJK characters 2); shorten the reply or move detail to a link"
        )
        return [finding("length", Severity.BLOCK, draft, (weighed.over_at, len(text)), message)]
    if len(text) <= limit:
        return []
    message = (
        f"too long for {draft.platform.value}: {len(text):,} characters, the limit is "
        f"{limit:,}; cut {len(text) - limit:,} characters"
    )
    return [finding("length", Severity.BLOCK, draft, (limit, len(text)), message)]
