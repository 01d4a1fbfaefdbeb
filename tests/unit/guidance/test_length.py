"""Length per platform; X's weighted length through twitter-text, and its two shortcuts."""

from __future__ import annotations

import unicodedata
import warnings

import pytest

from schemas.enums import Platform
from services.guidance.domain.rules import Rules
from services.guidance.domain.twitter_length import weigh
from tests.unit.guidance.conftest import of

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from twitter_text import parse_tweet


@pytest.mark.parametrize(
    ("platform", "limit"),
    [
        (Platform.INSTAGRAM, 2200),
        (Platform.LINKEDIN, 1250),
        (Platform.FACEBOOK, 8000),
        (Platform.YOUTUBE, 10000),
        (Platform.FLICKR, 4000),
    ],
)
def test_character_limits(rules: Rules, platform: Platform, limit: int) -> None:
    assert of(rules, "length", "a" * limit, platform=platform) == []
    [f] = of(rules, "length", "a" * (limit + 7), platform=platform)
    assert (f.start, f.end) == (limit, limit + 7)
    assert "cut 7 characters" in f.message


@pytest.mark.parametrize(
    ("text", "over"),
    [
        ("a" * 280, False),
        ("a" * 281, True),
        ("日" * 140, False),  # CJK weighs 2
        ("日" * 141, True),
        ("😀" * 140, False),  # emoji weigh 2
        ("👩‍⚕️" * 140, False),  # a ZWJ sequence is one emoji
        ("👩‍⚕️" * 141, True),
        ("https://www.hee.nhs.uk/" + "/x" * 300 + " " + "a" * 256, False),  # a link is 23
        ("https://hee.nhs.uk " * 11, False),  # 11 * (23 + 1 space) = 264
        ("https://hee.nhs.uk " * 12, True),  # 288
    ],
)
def test_x_weighted_length(rules: Rules, text: str, over: bool) -> None:
    assert (parse_tweet(text).weightedLength > 280) is over  # the table agrees with the library
    assert bool(of(rules, "length", text, platform=Platform.TWITTER)) is over


def test_x_overflow_span_starts_at_the_first_character_past_the_limit(rules: Rules) -> None:
    text = "a" * 278 + "日日" + "tail"
    [f] = of(rules, "length", text, platform=Platform.TWITTER)
    assert f.start == 279  # "a"*278 + one 日 = 280
    assert f.end == len(text)


SAMPLES = [
    "plain ascii " * 30,
    "Curly \u2019quotes\u2019 and £50 fees, café " * 12,
    "Mixed 😀 emoji and 日本語 and https://example.com/path?q=1 links " * 8,
    "keycap 1️⃣ and flags 🇬🇧 and © ® ™ " * 15,
    "x" * 700,  # no space to cut at
    ("word " * 100) + "https://" + "a" * 600 + ".com",
    "short",
    "hi😀there friend, " * 30,
    "double  spaces   and\r\nline endings\n" * 20,
    " leading space and 🇬🇧🇬🇧 flags " * 12,
    "😀" * 200,
    "a" * 278 + " 日日 tail",
    "See https://www.hee.nhs.uk/a/very/long/path and hee.nhs.uk too " * 20,
    "日本語のテキスト、café \u2019quoted\u2019 " * 40,
    "a" * 270 + " https://hee.nhs.uk/x tail",  # the link itself crosses the limit
    "a" * 258 + " https://hee.nhs.uk/x tail",  # 259 + 23 = 282
    "e\u0301 combining accents, not NFC " * 20,
    "a" * 279 + "\U0001d400" + " astral letter",
    "😀" * 5000,  # one long word: the lower bound decides
    ("a" * 50 + "😀") * 100,
    ("👩‍⚕️" * 300) + " end",
    "1️⃣" * 1500,  # keycaps: digits count nothing in the bound
]


@pytest.mark.parametrize("text", SAMPLES)
def test_shortcuts_weigh_as_the_library_does(text: str) -> None:
    exact = parse_tweet(text).weightedLength
    w = weigh(text, limit=280)
    if w.exact:
        assert w.weight == exact
    else:
        assert 280 < w.weight <= exact  # a lower bound, past the limit
    assert (w.over_at is not None) is (exact > 280)
    if w.over_at is not None and "\r" not in text and unicodedata.is_normalized("NFC", text):
        # The overflow starts where the library's own valid range ends (for text that NFC
        # leaves alone; otherwise the piece it is in is the span). A long word with emoji
        # that the lower bound decided spans from its start: never after the overflow.
        end = parse_tweet(text).validRangeEnd
        before = len(text[: w.over_at].encode("utf-16-le")) // 2
        if any(len(word) > 4 * 280 for word in text.split(" ")):
            assert before <= end + 1
        else:
            assert before == end + 1


@pytest.mark.parametrize("text", SAMPLES)
def test_lower_bound_never_exceeds_the_weight(text: str) -> None:
    from services.guidance.domain.twitter_length import _lower_bound

    normal = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    assert _lower_bound(normal) <= parse_tweet(text).weightedLength
