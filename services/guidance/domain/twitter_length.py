"""X's weighted length (twitter-text rules) with the twitter-text-parser package.

The package's `parse_tweet` matches its emoji regex (every emoji sequence, one alternation)
at every position of the text, which costs about 10 microseconds a character: 20 ms for a
2,000-character draft. So a draft is weighed in pieces cut at spaces, where weights simply
add up (no link, emoji or line ending spans a space), and weighing stops at the first piece
past the limit (the weight is then a lower bound, and the overflow starts in that piece):
- a word with an emoji code point, a carriage return or anything NFC would change goes
  through `parse_tweet` (with its neighbours of the same kind);
- one long word with emoji (over four times the limit) is first given a cheap lower bound
  (characters outside links; emoji code points at 2 per longest sequence), which is
  usually enough to say it is over;
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
_LONGEST_EMOJI = max(len(e.emoji) for e in _emoji_list)
_KEYCAP_BASES = frozenset("0123456789#*")


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


def _weigh_plain(piece: str, *, room: int) -> tuple[int, int, bool]:
    """A plain piece's weight, where in it the weight passes `room`, and whether exact.

    Weighing stops once past `room` (the rest cannot bring it back): then a lower bound.
    """
    links = {u["indices"][0]: u["indices"][1] for u in extract_urls_with_indices(piece)}
    budget = room * _SCALE
    total, i = 0, 0
    ascii_only = piece.isascii()
    while i < len(piece):
        end = links.get(i)
        if end is not None:
            total += _URL_WEIGHT
        else:
            end = i + 1
            total += _SCALE if ascii_only else _char_weight(piece[i])
        if total > budget:
            return total // _SCALE, i, end == len(piece)
        i = end
    return total // _SCALE, len(piece), True


def _weigh_parsed(piece: str, *, room: int) -> tuple[int, int, bool]:
    """parse_tweet's weight of a piece, and where in it the weight passes `room`.

    twitter-text counts a text's first character as valid even when it alone is over; a
    leading space (weight 1, and no link or emoji reads differently after one) keeps the
    piece's own first character honest, so one parse gives both answers.
    """
    padded = " " + piece
    result = parse_tweet(padded, {**_DEFAULTS, "max_weighted_tweet_length": room + 1})
    weight = result.weightedLength - 1
    if weight <= room:
        return weight, len(piece), True
    # The offsets are of the NFC, \n-only text: exact when that is the piece itself.
    if room <= 0 or "\r" in piece or not unicodedata.is_normalized("NFC", piece):
        return weight, 0, True
    return weight, _index_of_utf16(padded, result.validRangeEnd + 1) - 1, True


def _lower_bound(piece: str) -> int:
    """A weight `piece` cannot be under, cheaply: what parse_tweet would take long to say.

    Outside links, a character no emoji uses weighs at least 1, and emoji code points weigh
    at least 2 per longest emoji sequence's length. Keycap bases (digits, # and *) count 0.
    """
    links = sorted(tuple(u["indices"]) for u in extract_urls_with_indices(piece))
    outside, pos = [], 0
    for start, end in links:
        outside.append(piece[pos:start])
        pos = end
    outside.append(piece[pos:])
    rest = "".join(outside)
    emoji = sum(1 for c in rest if c in _EMOJI_CODE_POINTS)
    other = len(rest) - emoji - sum(1 for c in rest if c in _KEYCAP_BASES)
    return other + 2 * emoji // _LONGEST_EMOJI


def weigh(text: str, *, limit: int) -> Weighed:
    """Weighted length of `text` against `limit`; a lower bound once a piece is over."""
    total = 0
    for start, piece, plain in _pieces(text, size=limit // 2):
        if not plain and len(piece) > 4 * limit and "\r" not in piece:
            # One long word with emoji: parse_tweet would take ~10 us a character, so when
            # a lower bound already says "over", the span starts with this word.
            floor = _lower_bound(unicodedata.normalize("NFC", piece))
            if total + floor > limit:
                return Weighed(weight=total + floor, exact=False, over_at=start)
        weigher = _weigh_plain if plain else _weigh_parsed
        weight, within, whole = weigher(piece, room=limit - total)
        total += weight
        if total > limit:
            exact = whole and start + len(piece) == len(text)
            return Weighed(weight=total, exact=exact, over_at=start + within)
    return Weighed(weight=total, exact=True, over_at=None)
