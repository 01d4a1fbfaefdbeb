"""A dead letter always fits in one Kafka message, whatever it carries."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime

import pytest

from schemas import DeadLetter, validate
from schemas.events import DEAD_LETTER_MAX_BYTES

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
MIB = 1024 * 1024


@pytest.mark.parametrize(
    "raw",
    [
        b"\x01" * MIB,  # each control byte is escaped to six: the worst case
        b'"' * MIB,
        ("\u00e9" * (MIB // 2)).encode(),  # two-byte characters
        b"\xff" * MIB,  # not UTF-8: base64, a third larger
        b"{" + b"x" * (MIB - 1),
    ],
    ids=["control", "quotes", "accents", "binary", "plain"],
)
def test_a_one_mib_body_gives_a_letter_that_fits_and_says_it_was_cut(raw: bytes) -> None:
    letter = DeadLetter.from_error(
        source="ingest.webhook.twitter", error=ValueError("bad"), raw=raw, now=NOW
    )
    wire = letter.to_bytes()
    assert len(wire) <= DEAD_LETTER_MAX_BYTES < 1_048_576
    assert letter.payload_truncated
    assert letter.payload_size == len(raw)
    assert letter.payload_sha256 == hashlib.sha256(raw).hexdigest()
    assert letter.event_id == DeadLetter.event_id_for("ingest.webhook.twitter", raw)
    kept = (
        base64.b64decode(letter.payload)
        if letter.payload_encoding == "base64"
        else letter.payload.encode()
    )
    assert raw.startswith(kept) and len(kept) > 100_000
    assert validate(wire, DeadLetter) == letter


def test_a_small_body_is_carried_verbatim() -> None:
    letter = DeadLetter.from_error(source="router", error=ValueError("bad"), raw=b"{x", now=NOW)
    assert (letter.payload, letter.payload_truncated, letter.payload_size) == ("{x", False, 2)
