"""The guidance lists compiled once for fast checking: sets, regexes, normalised forms.

Built from a validated GuidanceConfig and the packaged swear-word list (read by the loader),
then shared read-only by every check of every draft.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import phonenumbers

from schemas.enums import Platform
from services.guidance.domain.config import ElectionPeriod, GuidanceConfig

_WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    """Lower case, whitespace runs as one space: how phrases are compared."""
    return " ".join(text.lower().split())


def outermost(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in text order, dropping any that overlaps an earlier or longer one."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not out or start >= out[-1][1]:
            out.append((start, end))
    return out


@lru_cache(maxsize=4096)
def _whole_word(word: str, flags: int) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)", flags)


@dataclass(frozen=True)
class Lexicon:
    """Words and phrases found as whole words.

    A draft's words are collected once (one C-level scan) and intersected with the listed
    words and the phrases' first words; usually nothing is shared and the draft is done.
    Only the words it does share are then searched for, to get their spans.
    """

    case_sensitive: bool
    words: frozenset[str]
    starts: dict[str, re.Pattern[str]]  # first word -> a pattern of the phrases it starts

    @classmethod
    def of(cls, entries: Iterable[str], *, case_sensitive: bool = False) -> Lexicon:
        """Index `entries`; each must start with a letter or digit (the config checks)."""
        words: set[str] = set()
        phrases: dict[str, set[str]] = {}
        for entry in entries:
            text = " ".join(entry.split())
            key = text if case_sensitive else text.lower()
            first = _WORD.match(key)
            if first is None:
                raise ValueError(f"{entry!r} does not start with a letter or digit")
            if first.end() == len(key):
                words.add(key)
            else:
                phrases.setdefault(first.group(), set()).add(key)
        flags = 0 if case_sensitive else re.IGNORECASE
        starts = {
            first: re.compile(
                r"(?<!\w)(?:"
                + "|".join(
                    r"\s+".join(re.escape(w) for w in p.split(" "))
                    for p in sorted(group, key=len, reverse=True)  # longest wins
                )
                + r")(?!\w)",
                flags,
            )
            for first, group in phrases.items()
        }
        return cls(case_sensitive, frozenset(words), starts)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Every listed word or phrase in `text`, in text order, overlaps dropped."""
        tokens = set(_WORD.findall(text if self.case_sensitive else text.lower()))
        words = tokens & self.words
        starts = tokens & self.starts.keys()
        if not words and not starts:
            return []
        flags = 0 if self.case_sensitive else re.IGNORECASE
        spans = [m.span() for w in words for m in _whole_word(w, flags).finditer(text)]
        spans += [m.span() for k in starts for m in self.starts[k].finditer(text)]
        return outermost(spans)


@dataclass(frozen=True)
class Rules:
    """Everything the checks consult, compiled."""

    limits: dict[Platform, int]
    glossary: dict[str, tuple[str, ...]]
    expansions: dict[str, tuple[str, ...]]  # normalised, for "spelled out in the same reply"
    phone_allowlist: frozenset[str]  # E.164
    email_allowlist: frozenset[str]  # lower case
    swearing: Lexicon
    watch_any_case: Lexicon
    watch_exact_case: Lexicon
    election_zone: ZoneInfo
    election_periods: tuple[ElectionPeriod, ...]
    contact_route: str
    negative: Lexicon
    detail_requests: Lexicon

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
            swearing=Lexicon.of([*swear, *lang.blocked_words]),
            watch_any_case=Lexicon.of(t.term for t in pol.watch_list if not t.case_sensitive),
            watch_exact_case=Lexicon.of(
                (t.term for t in pol.watch_list if t.case_sensitive), case_sensitive=True
            ),
            election_zone=ZoneInfo(pol.timezone),
            election_periods=tuple(pol.election_periods),
            contact_route=config.offline.contact_route,
            negative=Lexicon.of(config.offline.negative_words),
            detail_requests=Lexicon.of(config.offline.personal_detail_requests),
        )
