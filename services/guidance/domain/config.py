"""The shape of the guidance lists (deploy/config/guidance.yaml), validated on load.

Pure data: the loader reads the file; these models say what a valid file is and name the
entry at fault when it is not.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from schemas.enums import Platform

ACRONYM_PATTERN = r"^[A-Z][A-Za-z0-9&]*[A-Za-z0-9]$"
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")

Acronym = Annotated[str, Field(pattern=ACRONYM_PATTERN, max_length=12)]
Phrase = Annotated[str, Field(min_length=1, max_length=100)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _no_duplicates(values: list[str], *, what: str) -> list[str]:
    seen: set[str] = set()
    for v in values:
        key = " ".join(v.lower().split())
        if key in seen:
            raise ValueError(f"{what} {v!r} is listed twice")
        seen.add(key)
    return values


class AcronymRules(_Strict):
    """Acronyms to spell out, and the well-known ones that never need it."""

    glossary: dict[Acronym, Annotated[list[Phrase], Field(min_length=1)]] = Field(
        description="Acronym -> its expansions (the first is suggested). Written in the same "
        "reply, any expansion counts as spelled out."
    )
    well_known: list[Acronym] = Field(
        default_factory=list, description="Acronyms everyone knows (NHS, UK, GP...): never flagged."
    )

    @field_validator("glossary", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        # `HEE: Health Education England` reads better in YAML than a one-item list.
        if isinstance(value, dict):
            return {k: [v] if isinstance(v, str) else v for k, v in value.items()}
        return value

    @model_validator(mode="after")
    def _disjoint(self) -> AcronymRules:
        _no_duplicates(self.well_known, what="well-known acronym")
        both = sorted(set(self.glossary) & set(self.well_known))
        if both:
            raise ValueError(f"acronym {both[0]!r} is both in the glossary and well-known")
        return self


class PiiRules(_Strict):
    """What personal-information checks let through: the organisation's own public contacts."""

    phone_allowlist: list[Phrase] = Field(
        default_factory=list,
        description="The organisation's published phone numbers, as written or E.164; "
        "a draft may give these.",
    )
    email_allowlist: list[Phrase] = Field(
        default_factory=list,
        description="The organisation's public team addresses; a draft may give these.",
    )

    @field_validator("phone_allowlist")
    @classmethod
    def _phones(cls, values: list[str]) -> list[str]:
        for v in values:
            try:
                number = phonenumbers.parse(v, "GB")
            except phonenumbers.NumberParseException as err:
                raise ValueError(f"phone number {v!r} cannot be read: {err}") from err
            if not phonenumbers.is_valid_number(number):
                raise ValueError(f"phone number {v!r} is not a valid number")
        return _no_duplicates(values, what="phone number")

    @field_validator("email_allowlist")
    @classmethod
    def _emails(cls, values: list[str]) -> list[str]:
        for v in values:
            if not _EMAIL.match(v):
                raise ValueError(f"email address {v!r} is not an address")
        return _no_duplicates(values, what="email address")


class LanguageRules(_Strict):
    """The organisation's own additions to, and exemptions from, the packaged word list."""

    blocked_words: list[Phrase] = Field(
        default_factory=list, description="Words and phrases never posted, beyond the package's."
    )
    allowed_words: list[Phrase] = Field(
        default_factory=list,
        description="Words the packaged list has that are ordinary in a health-education "
        "reply (anatomy, sexual health, everyday words, names): never flagged.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> LanguageRules:
        _no_duplicates(self.blocked_words, what="blocked word")
        _no_duplicates(self.allowed_words, what="allowed word")
        both = sorted(
            {w.lower() for w in self.blocked_words} & {w.lower() for w in self.allowed_words}
        )
        if both:
            raise ValueError(f"word {both[0]!r} is both blocked and allowed")
        return self


class WatchTerm(_Strict):
    """A watched political term; `case_sensitive` tells the party Labour from labour wards."""

    term: Phrase
    case_sensitive: bool = False


class ElectionPeriod(_Strict):
    """A pre-election period: both dates included, in the political rules' timezone."""

    name: Phrase
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> ElectionPeriod:
        if self.end < self.start:
            raise ValueError(f"election period {self.name!r} ends before it starts")
        return self


class PoliticalRules(_Strict):
    """Party and election vocabulary, named parties and politicians, and election periods."""

    watch_list: list[WatchTerm] = Field(description="Terms to warn on (approval in a period).")
    timezone: str = Field(default="Europe/London", description="Where period dates are dates.")
    election_periods: list[ElectionPeriod] = Field(default_factory=list)

    @field_validator("watch_list", mode="before")
    @classmethod
    def _plain_terms(cls, value: object) -> object:
        if isinstance(value, list):
            return [{"term": v} if isinstance(v, str) else v for v in value]
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as err:
            raise ValueError(f"unknown timezone {value!r}") from err
        return value

    @model_validator(mode="after")
    def _unique(self) -> PoliticalRules:
        _no_duplicates([t.term for t in self.watch_list], what="watch-list term")
        _no_duplicates([p.name for p in self.election_periods], what="election period")
        return self


class OfflineRules(_Strict):
    """When to suggest taking a conversation offline, and where to."""

    contact_route: Phrase = Field(description="How people reach the team privately.")
    negative_words: list[Phrase] = Field(
        description="Words that make a thread read as negative (complaint, appalling...)."
    )
    personal_detail_requests: list[Phrase] = Field(
        description="Phrases by which a draft asks for personal details (your address...)."
    )

    @model_validator(mode="after")
    def _unique(self) -> OfflineRules:
        _no_duplicates(self.negative_words, what="negative word")
        _no_duplicates(self.personal_detail_requests, what="personal-detail request")
        return self


class GuidanceConfig(_Strict):
    """The whole file."""

    version: int = Field(default=1, ge=1, le=1)
    limits: dict[Platform, Annotated[int, Field(ge=1, le=100_000)]] = Field(
        description="Longest reply per platform (X: weighted characters; others: characters)."
    )
    acronyms: AcronymRules
    pii: PiiRules
    language: LanguageRules
    political: PoliticalRules
    offline: OfflineRules

    @field_validator("limits")
    @classmethod
    def _every_platform(cls, value: dict[Platform, int]) -> dict[Platform, int]:
        missing = [p.value for p in Platform if p not in value]
        if missing:
            raise ValueError(f"no limit for platform {missing[0]!r}")
        return value
