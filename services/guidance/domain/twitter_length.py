"""X's weighted length (twitter-text rules) with the twitter-text-parser package.

The package's `parse_tweet` matches its emoji regex (every emoji sequence, one alternation)
at every position of the text, which costs about 10 microseconds a character: 20 ms for a
2,000-character draft. So a draft is weighed in pieces cut at spaces, where weights simply
add up (no link, emoji or line ending spans a space), and weighing stops at the first piece
past the limit (the weight is then a lower bound, and the overflow starts in that piece):
- a word with an emoji code point, a carriage return or anything NFC would change goes
  through `parse_tweet` (with its neighbours of the same kind);
- any other piece is weighed with the package's own rules, config and link extraction
  (`extract_urls_with_indices`): each link counts `transformed_url_length`, every other
  character its range's weight. The unit tests hold both paths to `parse_tweet`'s answer.
"""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

with warnings.catch_warnings():
    # twitter-text-parser 3.0.0 loads its emoji data through setuptools' deprecated
    # pkg_resources (setuptools is pinned below 81 for it); the warning says nothing to users.
    warnings.filterwarnings("ignore", message=".*pkg_resources is deprecated", category=UserWarning)
    from twitter_text import extract_urls_with_indices, parse_tweet
    from twitter_text.config import config as _tt_config
    from twitter_text.regexp.emoji import emoji_list as _emoji_list

_DEFAULTS = dict(_tt_config["defaults"])
_SCALE: int = _DEFAULTS["scale"]
_URL_WEIGHT: int = _DEFAULTS["transformed_url_length"] * _SCALE
_DEFAULT_WEIGHT: int = _DEFAULTS["default_weight"]
_RANGES = tuple((r["start"], r["end"], r["weight"]) for r in _DEFAULTS["ranges"])
_EMOJI_CODE_POINTS = frozenset(c for e in _emoji_list for c in e.emoji if ord(c) >= 0x80)
# Every emoji sequence has a non-ASCII code point (keycaps end in U+20E3); were one all
# ASCII, any piece could hold an emoji, and every piece goes through parse_tweet.
_SHORTCUT_SAFE = all(any(ord(c) >= 0x80 for c in e.emoji) for e in _emoji_list)


@dataclass(frozen=True)
class Weighed:
    """A text's weighted length, or a lower bound of it, and where the limit is crossed."""

    weight: int
    exact: bool
    over_at: int | None  # index of the first character past the limit, None if within


@lru_cache(maxsize=4096)
def _char_weight(ch: str) -> int:
    cp = ord(ch)
    return next((w for lo, hi, w in _RANGES if lo <= cp <= hi), _DEFAULT_WEIGHT)


def _plain(piece: str) -> bool:
    """Whether the package's rules can be applied without parse_tweet."""
    if not _SHORTCUT_SAFE or "\r" in piece:
        return False
    return piece.isascii() or (
        _EMOJI_CODE_POINTS.isdisjoint(piece) and unicodedata.is_normalized("NFC", piece)
    )


def _pieces(text: str, *, size: int) -> Iterator[tuple[int, str, bool]]:
    """(start, piece, plain): runs of whole words of one kind, each word with its space.

    An emoji's word goes through parse_tweet alone (with neighbours of its kind); pieces are
    about `size` characters at most.
    """
    start = pos = 0
    kind = True
    for word in text.split(" "):
        plain = _plain(word)
        if pos > start and (plain != kind or pos - start >= size):
            yield start, text[start:pos], kind
            start = pos
        if pos == start:
            kind = plain
        pos += len(word) + 1
    if start < len(text):
        yield start, text[start:], kind


def _index_of_utf16(text: str, units: int) -> int:
    # twitter-text counts UTF-16 code units; Python indexes code points.
    n = 0
    for i, ch in enumerate(text):
        if n >= units:
            return i
        n += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def _weigh_plain(piece: str, *, room: int) -> tuple[int, int]:
    """The weight (scaled) of a plain piece, and where in it the weight passes `room`."""
    links = {u["indices"][0]: u["indices"][1] for u in extract_urls_with_indices(piece)}
    budget = room * _SCALE
    total, i, over = 0, 0, len(piece)
    ascii_only = piece.isascii()
    while i < len(piece):
        end = links.get(i)
        if end is not None:
            total += _URL_WEIGHT
        else:
            end = i + 1
            total += _SCALE if ascii_only else _char_weight(piece[i])
        if total > budget and over == len(piece):
            over = i
        i = end
    return total // _SCALE, over


def _weigh_parsed(piece: str, *, room: int) -> tuple[int, int]:
    """parse_tweet's weight of a piece, and where in it the weight passes `room`.

    twitter-text counts a text's first character as valid even when it alone is over; a
    leading space (weight 1, and no link or emoji reads differently after one) keeps the
    piece's own first character honest, so one parse gives both answers.
    """
    padded = " " + piece
    result = parse_tweet(padded, {**_DEFAULTS, "max_weighted_tweet_length": room + 1})
    weight = result.weightedLength - 1
    if weight <= room:
        return weight, len(piece)
    # The offsets are of the NFC, \n-only text: exact when that is the piece itself.
    if room <= 0 or "\r" in piece or not unicodedata.is_normalized("NFC", piece):
        return weight, 0
    return weight, _index_of_utf16(padded, result.validRangeEnd + 1) - 1


def weigh(text: str, *, limit: int) -> Weighed:
    """Weighted length of `text` against `limit`; a lower bound once a piece is over."""
    total = 0
    for start, piece, plain in _pieces(text, size=limit // 2):
        weigher = _weigh_plain if plain else _weigh_parsed
        weight, within = weigher(piece, room=limit - total)
        total += weight
        if total > limit:
            exact = start + len(piece) == len(text)
            return Weighed(weight=total, exact=exact, over_at=start + within)
    return Weighed(weight=total, exact=True, over_at=None)
