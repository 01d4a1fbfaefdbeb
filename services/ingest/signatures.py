"""Webhook signatures: Meta's X-Hub-Signature-256 and X's CRC and payload signatures.

Pure functions of the secret and the bytes; comparisons are constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re

# What X sends as crc_token: a short random token in a base64 alphabet (standard or
# URL-safe, optional padding). Whitespace, quotes and braces are never in it, so a signed
# token can never be a JSON object: the CRC answer cannot double as the signature of a
# forged delivery.
_CRC_TOKEN = re.compile(r"[A-Za-z0-9_\-+/]{1,200}={0,2}")


def meta_signature(secret: str, body: bytes) -> str:
    """The X-Hub-Signature-256 header Meta sends: 'sha256=' + hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def x_signature(secret: str, message: bytes) -> str:
    """X's signature: 'sha256=' + base64 HMAC-SHA256 (CRC response token and payload header)."""
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode()


def signature_matches(expected: str, given: str) -> bool:
    """Constant-time comparison, so response time does not leak how much of a guess was right."""
    return hmac.compare_digest(expected.encode(), given.strip().encode())


def crc_token_problem(token: str | None) -> str | None:
    """Why `token` is not a crc_token X would send, or None when it is one.

    Any string that parses as JSON (a number, true, null) is refused too: the POST route
    parses its body as JSON, and nothing it would parse may ever be signed on request.
    """
    if not token:
        return "missing crc_token"
    if not _CRC_TOKEN.fullmatch(token):
        return "crc_token must be 1-200 base64 characters (A-Z a-z 0-9 + / - _, = padding)"
    try:
        json.loads(token)
    except ValueError:
        return None
    return "crc_token must not be a JSON value"
