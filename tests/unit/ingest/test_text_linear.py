"""Text cleaning is linear: crafted markup without closing tags cannot make it quadratic.

Timing is compared within the run (8x the input must cost under half of 64x, the quadratic
figure), never against a wall-clock threshold.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from services.ingest.domain.readers import hashtags, mentions, plain_text

CRAFTED: dict[str, Callable[[int], str]] = {
    "unclosed url labels": lambda n: "[url=a]" * n,
    "unclosed url": lambda n: "[url]" * n,
    "unclosed thumbnails": lambda n: "[http://a" * n,
    "nested url starts": lambda n: "[url=[url=" * n,
    "closing first": lambda n: "[/url]" + "[url=a]x" * n,
    "unclosed tags": lambda n: "<" * n,
    "guillemets": lambda n: "\u2039" * n,
}


def _cost(clean: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        clean(text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.timeout(60)  # quadratic cleaning of the large input takes minutes
@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_cleaning_crafted_flickr_text_scales_linearly(name: str) -> None:
    make = CRAFTED[name]
    small, large = make(20_000), make(160_000)

    def clean(text: str) -> object:
        return plain_text(text, flickr_markup=True), hashtags(text), mentions(text)

    clean(small)  # warm up the regex cache
    ratio = _cost(clean, large) / max(_cost(clean, small), 1e-6)
    assert ratio < 32, f"{name}: 8x the input cost {ratio:.1f}x (quadratic would be 64x)"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("see [url=https://x.org/a]the page[/url]!", "see the page (https://x.org/a)!"),
        (
            "[URL]https://y.org[/URL] and [https://z.org/p.jpg]",
            "https://y.org and https://z.org/p.jpg",
        ),
        ("a<br/>b <i>c</i>", "a\nb c"),
        ("[url=a]x", "[url=a]x"),
        ("<<b>bold", "<bold"),
        (
            "[url=https://a.org]one[/url] [url=https://b.org]two[/url]",
            "one (https://a.org) two (https://b.org)",
        ),
        ("&lt;b&gt; typed", "<b> typed"),
    ],
)
def test_cleaning_still_reads_flickr_markup(raw: str, expected: str) -> None:
    assert plain_text(raw, flickr_markup=True) == expected
