"""Acronyms (spell out, by platform) and language (whole words, the org's own lists)."""

from __future__ import annotations

import pytest

from schemas.enums import Platform
from schemas.guidance import Severity
from services.guidance.domain.rules import Rules
from tests.unit.guidance.conftest import of


@pytest.mark.parametrize(
    ("platform", "severity"),
    [
        (Platform.TWITTER, Severity.WARN),
        (Platform.FACEBOOK, Severity.BLOCK),
        (Platform.LINKEDIN, Severity.BLOCK),
        (Platform.YOUTUBE, Severity.BLOCK),
        (Platform.INSTAGRAM, Severity.BLOCK),
        (Platform.FLICKR, Severity.BLOCK),
    ],
)
def test_acronym_severity_by_platform(rules: Rules, platform: Platform, severity: Severity) -> None:
    [f] = of(rules, "acronym", "Book your ARCP now", platform=platform)
    assert (f.match, f.start, f.end, f.severity) == ("ARCP", 10, 14, severity)
    assert f.message.startswith("spell out ARCP: Annual Review of Competence Progression")


@pytest.mark.parametrize(
    "text",
    [
        "Your Annual Review of Competence Progression (ARCP) is booked; ARCP forms are online.",
        "ARCP (annual review of competence  progression) dates",  # any case, any spacing
        "KSS trainees: Kent Surrey and Sussex",  # a listed alternative expansion
        "Kent, Surrey and Sussex (KSS) covers Crawley",  # the expansion has commas in it
        "See the NHS, UK, GP and A&E pages",  # well-known: never flagged
        "Thanks @HEE_KSS and #HEE for sharing",  # handles and hashtags are names
        "hee and arcp in lower case are not acronyms",
        "Tel: 0113, tel. is short for telephone",  # TEL is only TEL
    ],
)
def test_acronym_not_flagged(rules: Rules, text: str) -> None:
    assert of(rules, "acronym", text) == []


def test_an_expansion_with_commas_is_one_expansion(rules: Rules) -> None:
    # A YAML flow list split "Kent, Surrey and Sussex" at its commas once: "Kent" alone
    # then counted as spelling KSS out.
    [f] = of(rules, "acronym", "KSS covers Kent", platform=Platform.FACEBOOK)
    assert f.message.startswith("spell out KSS: Kent, Surrey and Sussex")


def test_each_unexpanded_acronym_is_a_finding(rules: Rules) -> None:
    found = of(rules, "acronym", "HEE and GMC; HEE again. FY1 posts.")
    assert [f.match for f in found] == ["HEE", "GMC", "HEE", "FY1"]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("That is crap, sorry", "crap"),
        ("What the FUCK", "FUCK"),
        ("don't be a wanker.", "wanker"),
        ("this is bloody annoying", "bloody"),  # the organisation's own blocked word
        ("Please sod off", "sod off"),  # an own phrase
        ("a blow job joke", "blow job"),  # a packaged phrase
        ("you mother fucker", "mother fucker"),  # a phrase, not also its last word
    ],
)
def test_language_found(rules: Rules, text: str, match: str) -> None:
    [f] = of(rules, "language", text)
    assert (f.match, f.severity) == (match, Severity.BLOCK)
    assert text[f.start : f.end] == match


@pytest.mark.parametrize(
    "text",
    [
        "Welcome to Scunthorpe General Hospital",
        "Trainees in Penistone, Essex and Sussex",
        "Your assessment is in the classroom at Middlesex",
        "A cocktail of passion and skill; analysis of the shitake mushroom market",
        "Breast screening and cervical screening save lives",
        "Sexual health services and HIV testing are free",
        "Stroke and organ donation training",
        "Saturated fat and a Cornish pasty",
        "hello, shell, Hellenic",
    ],
)
def test_language_false_positives(rules: Rules, text: str) -> None:
    assert of(rules, "language", text) == []
