"""Lenient accessors for optional parts of a payload (absent or the wrong type: empty)."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]


def sub(parent: Any, key: str) -> Json:
    """An optional nested object, or {} when it is absent or not an object."""
    value = parent.get(key) if isinstance(parent, dict) else None
    return value if isinstance(value, dict) else {}


def sub_list(parent: Any, key: str) -> list[Any]:
    """An optional nested array, or [] when it is absent or not an array."""
    value = parent.get(key) if isinstance(parent, dict) else None
    return value if isinstance(value, list) else []
