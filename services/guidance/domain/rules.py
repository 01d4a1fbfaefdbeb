"""The guidance lists compiled once for fast checking: sets, regexes, normalised forms.

Built from a validated GuidanceConfig and the packaged swear-word list (read by the loader),
then shared read-only by every check of every draft.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import phonenumbers

from schemas.enums import Platform
from services.guidance.domain.config import ElectionPeriod, GuidanceConfig

_WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    """Lower case, whitespace runs as one space: how phrases are compared."""
    return " ".join(text.lower().split())


def phrase_pattern(phrases: Iterable[str], *, flags: int = re.IGNORECASE) -> re.Pattern[str] | None:
    """One regex matching any phrase as whole words (any whitespace between its words)."""
    parts = sorted(
        {normalise(p) if flags & re.IGNORECASE else " ".join(p.split()) for p in phrases}
    )
    if not parts:
        return None
    # Longest first, so "general election" wins over "election" at the same place.
    alts = [
        r"\s+".join(re.escape(w) for w in p.split(" "))
        for p in sorted(parts, key=len, reverse=True)
    ]
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", flags)


@dataclass(frozen=True)
class WordList:
    """Words matched as whole tokens (a set lookup) plus phrases matched by one regex."""

    words: frozenset[str]
    phrases: re.Pattern[str] | None

    @classmethod
    def of(cls, entries: Iterable[str]) -> WordList:
        """Split entries into single words (set) and anything with spaces or punctuation."""
        words, phrases = set(), set()
        for entry in entries:
            e = normalise(entry)
            if _WORD.fullmatch(e):
                words.add(e)
            elif e:
                phrases.add(e)
        return cls(frozenset(words), phrase_pattern(phrases))

    def finditer(self, text: str) -> Iterable[tuple[int, int]]:
        """Spans of every listed word or phrase in `text`, in text order."""
        spans = [m.span() for m in _WORD.finditer(text) if m.group().lower() in self.words]
        if self.phrases is not None:
            spans += [m.span() for m in self.phrases.finditer(text)]
        return sorted(spans)


@dataclass(frozen=True)
class Rules:
    """Everything the checks consult, compiled."""

    limits: dict[Platform, int]
    glossary: dict[str, tuple[str, ...]]
    expansions: dict[str, tuple[str, ...]]  # normalised, for "spelled out in the same reply"
    phone_allowlist: frozenset[str]  # E.164
    email_allowlist: frozenset[str]  # lower case
    swearing: WordList
    watch_any_case: re.Pattern[str] | None
    watch_exact_case: re.Pattern[str] | None
    election_zone: ZoneInfo
    election_periods: tuple[ElectionPeriod, ...]
    contact_route: str
    negative: WordList
    detail_requests: re.Pattern[str] | None

    @classmethod
    def build(cls, config: GuidanceConfig, *, profanity_words: Iterable[str]) -> Rules:
        """Compile `config`; `profanity_words` is the packaged list the org's lists amend."""
        lang = config.language
        allowed = {normalise(w) for w in lang.allowed_words}
        swear = [w for w in profanity_words if normalise(w) not in allowed]
        pol = config.political
        return cls(
            limits=dict(config.limits),
            glossary={k: tuple(v) for k, v in config.acronyms.glossary.items()},
            expansions={
                k: tuple(normalise(e) for e in v) for k, v in config.acronyms.glossary.items()
            },
            phone_allowlist=frozenset(
                phonenumbers.format_number(
                    phonenumbers.parse(p, "GB"), phonenumbers.PhoneNumberFormat.E164
                )
                for p in config.pii.phone_allowlist
            ),
            email_allowlist=frozenset(e.lower() for e in config.pii.email_allowlist),
            swearing=WordList.of([*swear, *lang.blocked_words]),
            watch_any_case=phrase_pattern(t.term for t in pol.watch_list if not t.case_sensitive),
            watch_exact_case=phrase_pattern(
                (t.term for t in pol.watch_list if t.case_sensitive), flags=0
            ),
            election_zone=ZoneInfo(pol.timezone),
            election_periods=tuple(pol.election_periods),
            contact_route=config.offline.contact_route,
            negative=WordList.of(config.offline.negative_words),
            detail_requests=phrase_pattern(config.offline.personal_detail_requests),
        )
