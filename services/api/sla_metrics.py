"""SLA flags of stored items, counted for /metrics (the SLA timer's events, as folded)."""

from __future__ import annotations

from collections import Counter
from enum import StrEnum

from sqlalchemy import ColumnElement, String, cast
from sqlmodel import Session, col, select

from services.api.metrics import _labels
from services.api.models import Item


class SlaState(StrEnum):
    """An SLA target's state on an item."""

    WARNING = "warning"
    BREACHED = "breached"


def sla_state_filter(state: str) -> ColumnElement[bool]:
    """Items with some target in `state`, matched in the JSON column's text.

    The column is written by json.dumps (`{"first_response": {"state": "breached", ...}}`),
    the same text on SQLite and PostgreSQL; a breach is never downgraded to a warning.
    """
    return cast(col(Item.sla), String).like(f'%"state": "{SlaState(state).value}"%')


def sla_counts(session: Session) -> dict[tuple[str, str, str, str], int]:
    """Items by queue, status, target and SLA state (warning or breached)."""
    flagged = cast(col(Item.sla), String).like('%"state"%')
    rows = session.exec(select(Item.queue, Item.status, Item.sla).where(flagged))
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for queue, status, sla in rows:
        for target, value in sorted((sla or {}).items()):
            if isinstance(value, dict) and value.get("state"):
                counts[(queue, status, target, str(value["state"]))] += 1
    return dict(counts)


def render_sla(counts: dict[tuple[str, str, str, str], int]) -> list[str]:
    """Exposition lines: switchboard_items_sla{queue,status,target,state}."""
    lines = [
        "# HELP switchboard_items_sla Items with an SLA warning or breach, by queue, status, "
        "target and state.",
        "# TYPE switchboard_items_sla gauge",
    ]
    for (queue, status, target, state), n in sorted(counts.items()):
        pairs = [("queue", queue), ("status", status), ("target", target), ("state", state)]
        lines.append(f"switchboard_items_sla{_labels(pairs)} {n}")
    return lines
