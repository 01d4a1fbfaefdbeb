"""X's weighted length (twitter-text rules) through the twitter-text-parser package.

Two shortcuts keep a long draft cheap without changing the answer:
- the package's emoji matching is its slow part; a text with no code point any emoji uses
  is parsed with emoji matching off, which weighs it the same;
- weights only add up, so when a prefix cut at a space already weighs more than the limit,
  the whole text does too, and the rest is not parsed.
"""

from __future__ import annotations

import unicodedata
import warnings
from dataclasses import dataclass

with warnings.catch_warnings():
    # twitter-text-parser 3.0.0 loads its emoji data through setuptools' deprecated
    # pkg_resources (setuptools is pinned below 81 for it); the warning says nothing to users.
    warnings.filterwarnings("ignore", message=".*pkg_resources is deprecated", category=UserWarning)
    from twitter_text import parse_tweet
    from twitter_text.config import config as _tt_config
    from twitter_text.regexp.emoji import emoji_list as _emoji_list

_DEFAULTS = dict(_tt_config["defaults"])
_NO_EMOJI = {**_DEFAULTS, "emoji_parsing_enabled": False}
_EMOJI_CODE_POINTS = frozenset(c for e in _emoji_list for c in e.emoji if ord(c) >= 0x80)
# Every emoji sequence has a non-ASCII code point (keycaps end in U+20E3); if one did not,
# the first shortcut would be unsafe, so it is only taken while this holds.
_SHORTCUT_SAFE = all(any(ord(c) >= 0x80 for c in e.emoji) for e in _emoji_list)


@dataclass(frozen=True)
class Weighed:
    """A text's weighted length, or a lower bound of it, and where the limit is crossed."""

    weight: int
    exact: bool
    over_at: int | None  # index of the first character past the limit, None if within


def _options(text: str) -> dict[str, object]:
    if _SHORTCUT_SAFE and _EMOJI_CODE_POINTS.isdisjoint(text):
        return _NO_EMOJI
    return _DEFAULTS


def _index_of_utf16(text: str, units: int) -> int:
    # twitter-text counts UTF-16 code units; Python indexes code points.
    n = 0
    for i, ch in enumerate(text):
        if n >= units:
            return i
        n += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def _parse(text: str, limit: int) -> tuple[int, int | None]:
    options = {**_options(text), "max_weighted_tweet_length": limit}
    result = parse_tweet(text, options)
    if result.weightedLength <= limit:
        return result.weightedLength, None
    # The offsets are of the NFC, \n-only text; when that is the text itself, they are exact
    # (else the whole text is the span).
    exact = "\r" not in text and unicodedata.is_normalized("NFC", text)
    over_at = _index_of_utf16(text, result.validRangeEnd + 1) if exact else 0
    return result.weightedLength, over_at


def weigh(text: str, *, limit: int) -> Weighed:
    """Weighted length of `text` against `limit`; a lower bound once a prefix is over."""
    window = limit + 40
    if len(text) > 2 * window:
        cut = text.find(" ", window)
        if cut > 0:
            weight, over_at = _parse(text[:cut], limit)
            if over_at is not None:
                return Weighed(weight=weight, exact=False, over_at=over_at)
    weight, over_at = _parse(text, limit)
    return Weighed(weight=weight, exact=True, over_at=over_at)
