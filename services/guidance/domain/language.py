"""Swearing and offensive terms: a packaged word list plus the organisation's own words.

The guidance: "no personal attacks, tasteless or offensive remarks". Matched as whole words,
so place names that contain a listed word (Scunthorpe, Penistone, Essex) never fire.
"""

from __future__ import annotations

from schemas.guidance import Finding, Severity
from services.guidance.domain.draft import Draft, capped, finding
from services.guidance.domain.rules import Rules


def language(draft: Draft, rules: Rules) -> list[Finding]:
    """Every listed word or phrase in the draft."""
    return capped(
        finding(
            "language",
            Severity.BLOCK,
            draft,
            span,
            f"reword without {draft.text[span[0] : span[1]]!r}: be polite and professional, "
            "no offensive or tasteless remarks",
        )
        for span in rules.swearing.finditer(draft.text)
    )
