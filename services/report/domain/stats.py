"""Summary statistics with stated definitions, rounded for people (pure)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def median(values: Sequence[float]) -> float | None:
    """The middle value (mean of the two middle ones for an even count); None when empty."""
    return round(statistics.median(values), 2) if values else None


def p90(values: Sequence[float]) -> float | None:
    """The 90th percentile by nearest rank: the ceil(0.9 n)-th smallest; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[math.ceil(0.9 * len(ordered)) - 1], 2)


def percent(part: int, whole: int) -> float | None:
    """100 * part / whole to one decimal; None when whole is 0."""
    return round(100 * part / whole, 1) if whole else None
