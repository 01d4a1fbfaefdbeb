"""Run every check on a draft; the verdict is the most severe finding."""

from __future__ import annotations

from schemas.guidance import GuidanceReport
from services.guidance.domain import acronym, language, length, offline, pii, political
from services.guidance.domain.draft import Check, Draft
from services.guidance.domain.rules import Rules

CHECKS: tuple[tuple[str, Check], ...] = (
    ("pii.nhs_number", pii.nhs_number),
    ("pii.phone", pii.phone),
    ("pii.email", pii.email),
    ("pii.postcode", pii.postcode),
    ("pii.date_of_birth", pii.date_of_birth),
    ("acronym", acronym.acronym),
    ("length", length.length),
    ("language", language.language),
    ("political", political.political),
    ("offline", offline.offline),
)
"""Every check by name, in the order the docs list them."""


def check_draft(draft: Draft, rules: Rules) -> GuidanceReport:
    """The report on `draft`: every check's findings, in text order."""
    return GuidanceReport.of([f for _name, check in CHECKS for f in check(draft, rules)])
