"""Whether `switchboard up` runs the ingest pollers, and the line it prints when it does not.

Pollers read platform APIs, and locally the only platform is a sandbox on loopback: they
run when SWITCHBOARD_INGEST_SANDBOX_URL names one on this machine and poll targets
are configured. Otherwise they stay off, and `up` says so and why (never silently).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from services.supervisor.process import ServiceSpec

_LOOPBACK = ("127.", "localhost", "[::1]", "::1")


@dataclass(frozen=True)
class PollerPlan:
    """The poller service to start, or the reason there is none."""

    spec: ServiceSpec | None
    line: str


def poller_plan(env: Mapping[str, str], *, health_file: Path, ready_timeout_s: float) -> PollerPlan:
    """Start `ingest poll` against a loopback sandbox, or say why not."""
    base = env.get("SWITCHBOARD_INGEST_SANDBOX_URL", "").strip()
    targets = env.get("SWITCHBOARD_INGEST_POLL_TARGETS", "").strip()
    host = urlsplit(base).hostname or ""
    if not base:
        return PollerPlan(
            None,
            "pollers   | disabled: no local platform sandbox to poll "
            "(set SWITCHBOARD_INGEST_SANDBOX_URL to one on loopback, "
            "and SWITCHBOARD_INGEST_POLL_TARGETS)",
        )
    if not host.startswith(_LOOPBACK):
        return PollerPlan(
            None,
            f"pollers   | disabled: {base} is not on loopback; locally pollers read only "
            "the platform sandbox",
        )
    if targets in ("", "[]"):
        return PollerPlan(
            None, "pollers   | disabled: no poll targets (set SWITCHBOARD_INGEST_POLL_TARGETS)"
        )
    health_file.unlink(missing_ok=True)
    spec = ServiceSpec(
        "pollers",
        [sys.executable, "-m", "services", "ingest", "poll"],
        # Ready once the first round has written its health (success or failure).
        ready=health_file.exists,
        ready_timeout_s=ready_timeout_s,
    )
    return PollerPlan(spec, f"pollers   | polling {base}")
