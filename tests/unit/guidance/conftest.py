"""The shipped guidance lists, compiled once, and a helper that checks one draft."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.enums import Platform
from schemas.guidance import Finding, GuidanceReport
from services.guidance.domain.draft import Draft
from services.guidance.domain.engine import check_draft
from services.guidance.domain.rules import Rules
from services.guidance.loader import compile_rules, load_guidance

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)  # outside any shipped election period


@pytest.fixture(scope="session")
def rules() -> Rules:
    """The rules compiled from deploy/config/guidance.yaml."""
    return compile_rules(load_guidance())


def report(
    rules: Rules,
    text: str,
    *,
    platform: Platform = Platform.FACEBOOK,
    thread: str | None = None,
    now: datetime = NOW,
) -> GuidanceReport:
    """The whole report on one draft."""
    return check_draft(Draft(text=text, platform=platform, now=now, thread_text=thread), rules)


def of(rules: Rules, check: str, text: str, **kwargs: object) -> list[Finding]:
    """The findings of one check on one draft."""
    return [f for f in report(rules, text, **kwargs).findings if f.check == check]  # type: ignore[arg-type]
