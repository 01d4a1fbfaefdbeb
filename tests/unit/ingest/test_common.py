from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas import Platform
from schemas.registry import ChannelRegistry
from services.ingest.domain import UnknownPlatformError, parse_platform
from services.ingest.domain.readers import (
    Context,
    channel_fields,
    hashtags,
    iso_time,
    mentions,
    plain_text,
    unix_time,
)


@pytest.fixture
def ctx(registry: ChannelRegistry) -> Context:
    return Context(platform=Platform.TWITTER, registry=registry)


def test_plain_text_unescapes_after_stripping_tags() -> None:
    assert plain_text("a &lt;b&gt; <i>c</i> &amp; d") == "a <b> c & d"
    assert plain_text("line<br>two<br/>three") == "line\ntwo\nthree"
    # Surrogate pairs and ZWJ sequences survive untouched.
    assert plain_text("👩‍⚕️ &#128512;") == "👩‍⚕️ 😀"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("[url=https://x.org/a]label[/url]", "label (https://x.org/a)"),
        ("[url]https://x.org/b[/url]", "https://x.org/b"),
        ("see [https://www.flickr.com/photos/a/1/]", "see https://www.flickr.com/photos/a/1/"),
    ],
)
def test_flickr_markup(raw: str, expected: str) -> None:
    assert plain_text(raw, flickr_markup=True) == expected


def test_hashtags_and_mentions() -> None:
    text = "#NHS careers @hee_kss, @nhs.hee. mail a@b.com &#39; #NHS #Ärzte"
    assert hashtags(text) == ["NHS", "Ärzte"]
    assert mentions(text) == ["hee_kss", "nhs.hee"]


@pytest.mark.parametrize(
    ("value", "millis", "expected"),
    [
        (1642535233, False, datetime(2022, 1, 18, 19, 47, 13, tzinfo=UTC)),
        ("1141841470", False, datetime(2006, 3, 8, 18, 11, 10, tzinfo=UTC)),
        (1581637414939, True, datetime(2020, 2, 13, 23, 43, 34, 939000, tzinfo=UTC)),
        # Meta sends some entry times in milliseconds without saying so.
        (1457764198246, False, datetime(2016, 3, 12, 6, 29, 58, 246000, tzinfo=UTC)),
        (0, False, datetime(1970, 1, 1, tzinfo=UTC)),
    ],
)
def test_unix_time(ctx: Context, value: object, millis: bool, expected: datetime) -> None:
    assert unix_time(ctx, value, "t", millis=millis) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-02-23T21:32:16+0000", datetime(2018, 2, 23, 21, 32, 16, tzinfo=UTC)),
        ("2021-05-13T20:09:03.000Z", datetime(2021, 5, 13, 20, 9, 3, tzinfo=UTC)),
        ("2026-03-29T01:30:00+01:00", datetime(2026, 3, 29, 0, 30, tzinfo=UTC)),
    ],
)
def test_iso_time(ctx: Context, value: str, expected: datetime) -> None:
    assert iso_time(ctx, value, "t") == expected


@pytest.mark.parametrize("value", [None, -5, True, "soon", 1.5e30])
def test_bad_unix_time_names_the_field(ctx: Context, value: object) -> None:
    with pytest.raises(ValueError, match=r"^twitter: a\.b: "):
        unix_time(ctx, value, "a.b")


def test_unknown_account_is_lowercased_and_flagged(ctx: Context) -> None:
    fields = channel_fields(ctx, "@Some_Other_Trust")
    assert fields == {
        "channel_id": "unknown:twitter:@some_other_trust",
        "channel_known": False,
        "addressed_account": "@Some_Other_Trust",
    }
    known = channel_fields(ctx, "https://twitter.com/HEE_KSS")
    assert known["channel_id"] == "twitter:hee_kss" and known["channel_known"] is True


def test_parse_platform() -> None:
    assert parse_platform(" YouTube ") is Platform.YOUTUBE
    with pytest.raises(UnknownPlatformError, match="unknown platform 'myspace'"):
        parse_platform("myspace")
