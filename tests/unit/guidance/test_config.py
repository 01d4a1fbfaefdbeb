"""The guidance file: the shipped one loads; a bad entry fails with a message naming it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from services.guidance.loader import (
    DEFAULT_GUIDANCE_PATH,
    GuidanceConfigError,
    load_guidance,
    packaged_profanity,
    parse_guidance,
)

SHIPPED: dict[str, Any] = yaml.safe_load(DEFAULT_GUIDANCE_PATH.read_text(encoding="utf-8"))


def test_shipped_file_loads_with_what_the_issue_names() -> None:
    config = load_guidance()
    glossary = config.acronyms.glossary
    assert {"HEE", "UKFPO", "ARCP", "CPD", "GMC", "TEL", "KSS"} <= set(glossary)
    assert glossary["ARCP"] == ["Annual Review of Competence Progression"]
    assert {"NHS", "UK", "GP", "A&E"} <= set(config.acronyms.well_known)
    assert set(config.pii.email_allowlist) == {
        "communications@hee.nhs.uk",
        "digital.communications@hee.nhs.uk",
        "digital.communication@hee.nhs.uk",
    }
    assert {p.value: n for p, n in config.limits.items()} == {
        "twitter": 280,
        "instagram": 2200,
        "linkedin": 1250,
        "facebook": 8000,
        "youtube": 10000,
        "flickr": 4000,
    }


def test_packaged_word_list_is_read() -> None:
    words = packaged_profanity()
    assert len(words) > 500
    assert "fuck" in words


def _mutated(path: tuple[str, ...], value: object) -> str:
    data = yaml.safe_load(yaml.safe_dump(SHIPPED))
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return yaml.safe_dump(data)


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("limits", "flickr"), _DELETE, "no limit for platform 'flickr'"),
        (("limits", "twitter"), 0, "limits.twitter"),
        (("limits", "myspace"), 100, "limits.myspace"),
        (
            ("acronyms", "well_known"),
            ["NHS", "HEE"],
            "'HEE' is both in the glossary and well-known",
        ),
        (("acronyms", "glossary", "arcp"), "lower case", "acronyms.glossary.arcp"),
        (("acronyms", "glossary", "XYZ"), [], "acronyms.glossary.XYZ"),
        (("pii", "phone_allowlist"), ["not a number"], "phone number 'not a number'"),
        (("pii", "phone_allowlist"), ["0113 000"], "phone number '0113 000'"),
        (("pii", "email_allowlist"), ["comms.hee.nhs.uk"], "'comms.hee.nhs.uk' is not an address"),
        (
            ("pii", "email_allowlist"),
            ["a@b.uk", "A@B.uk"],
            "email address 'A@B.uk' is listed twice",
        ),
        (("language", "blocked_words"), ["crap", "penis"], "'penis' is both blocked and allowed"),
        (("political", "timezone"), "Mars/Olympus", "unknown timezone 'Mars/Olympus'"),
        (
            ("political", "election_periods"),
            [{"name": "Backwards", "start": "2027-05-06", "end": "2027-03-25"}],
            "'Backwards' ends before it starts",
        ),
        (("political", "watch_list"), ["Tory", "tory"], "'tory' is listed twice"),
        (("offline", "contact_route"), "", "offline.contact_route"),
        (("offline", "surprise"), 1, "offline.surprise"),
    ],
)
def test_bad_entry_is_named(path: tuple[str, ...], value: object, message: str) -> None:
    with pytest.raises(GuidanceConfigError) as err:
        parse_guidance(_mutated(path, value), source="guidance.yaml")
    assert str(err.value).startswith("guidance.yaml: guidance config is invalid")
    assert message in str(err.value)


def test_unreadable_and_not_yaml(tmp_path: Path) -> None:
    with pytest.raises(GuidanceConfigError, match="cannot read guidance config"):
        load_guidance(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("limits: [unclosed", encoding="utf-8")
    with pytest.raises(GuidanceConfigError, match="not valid YAML"):
        load_guidance(bad)
