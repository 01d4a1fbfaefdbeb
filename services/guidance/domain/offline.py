"""A suggestion to take the conversation offline (information only).

The guidance: "take difficult conversations offline". Fires when the draft asks for personal
details in public, or when the thread it answers reads as negative.
"""

from __future__ import annotations

from schemas.guidance import Finding, Severity
from services.guidance.domain.draft import Draft, finding
from services.guidance.domain.rules import Rules


def _gives_route(draft: Draft, rules: Rules) -> bool:
    # Already taking it offline: the reply names the route or one of the team's addresses.
    text = draft.text.lower()
    return rules.contact_route.lower() in text or any(a in text for a in rules.email_allowlist)


def offline(draft: Draft, rules: Rules) -> list[Finding]:
    """At most one finding per reason; a finding about the whole reply has an empty span at 0."""
    found = []
    route = rules.contact_route
    asks = rules.detail_requests.search(draft.text) if rules.detail_requests else None
    if asks is not None:
        found.append(
            finding(
                "offline",
                Severity.INFO,
                draft,
                asks.span(),
                f"do not ask for personal details in public: take it offline ({route})",
            )
        )
    thread = draft.thread_text or ""
    negative = [thread[a:b] for a, b in rules.negative.finditer(thread)][:3]
    negative += [thread[a:b] for a, b in rules.swearing.finditer(thread)][: 3 - len(negative)]
    if negative and not _gives_route(draft, rules):
        words = ", ".join(repr(w) for w in negative)
        found.append(
            finding(
                "offline",
                Severity.INFO,
                draft,
                (0, 0),
                f"the conversation reads as negative ({words}): suggest taking it offline "
                f"({route})",
            )
        )
    return found
