"""The one reading of a hashtag in free text, shared by ingest's normalisers and the router.

A '#' counts only at a word start: not inside a word, not in an HTML entity (`&#39;`) and not
after '/', where it is a URL fragment (`example.org/page#top`), not a tag.
"""

from __future__ import annotations

import re

HASHTAG = re.compile(r"(?<![\w&/])#(\w+)")


def hashtags_in(text: str) -> list[str]:
    """Hashtags written in `text`, without '#', in order, as written (repeats kept)."""
    return HASHTAG.findall(text)
