"""Acronyms from the glossary that the reply does not spell out.

The guidance: "please do use full spelling on Facebook, LinkedIn, YouTube or other
non-Twitter channels" (on Twitter only where possible): block elsewhere, warn on X.
"""

from __future__ import annotations

import re

from schemas.enums import Platform
from schemas.guidance import Finding, Severity
from services.guidance.domain.draft import Draft, capped, finding
from services.guidance.domain.rules import Rules, normalise

# A capitalised token, not part of a handle, hashtag, path or longer word: "A&E", "FY1", "HEE".
_TOKEN = re.compile(r"(?<![\w@#&/])[A-Z][A-Za-z0-9&]*[A-Za-z0-9](?![\w&])")


def acronym(draft: Draft, rules: Rules) -> list[Finding]:
    """Glossary acronyms whose expansion is nowhere in the same reply."""
    severity = Severity.WARN if draft.platform is Platform.TWITTER else Severity.BLOCK
    where = "on X where you can" if severity is Severity.WARN else "on this channel"
    spelled: dict[str, bool] = {}
    found = []
    for m in _TOKEN.finditer(draft.text):
        token = m.group()
        expansions = rules.expansions.get(token)
        if expansions is None:
            continue
        if token not in spelled:
            text = normalise(draft.text)
            spelled[token] = any(e in text for e in expansions)
        if spelled[token]:
            continue
        found.append(
            finding(
                "acronym",
                severity,
                draft,
                m.span(),
                f"spell out {token}: {rules.glossary[token][0]} (use full spelling {where})",
            )
        )
    return capped(found)
