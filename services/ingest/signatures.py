"""Webhook signatures: Meta's X-Hub-Signature-256 and X's CRC and payload signatures.

Pure functions of the secret and the bytes; comparisons are constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


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
