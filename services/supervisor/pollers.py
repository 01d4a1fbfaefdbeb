"""How `switchboard up` runs the ingest pollers: against the local platform sandbox only.

Locally the only platform is the sandbox (`services/sandbox`), which `up` already runs for
the publisher; the pollers read it (or the loopback one SWITCHBOARD_INGEST_SANDBOX_URL
names) with `ingest poll`:
the configured SWITCHBOARD_INGEST_POLL_TARGETS, or with the demo one target per platform.
Unset credentials become a placeholder the sandbox accepts; they never leave loopback.
Whenever the pollers cannot run, `up` prints a line saying why, never silently.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from services.supervisor.process import ServiceSpec
from services.supervisor.settings import UpSettings

_LOOPBACK = ("127.", "localhost", "::1")
_CREDENTIALS = ("X_BEARER_TOKEN", "FACEBOOK_PAGE_TOKEN", "INSTAGRAM_TOKEN", "YOUTUBE_API_KEY",
                "LINKEDIN_TOKEN", "FLICKR_API_KEY")  # fmt: skip
# One target per platform for the demo registry (its placeholder account ids).
DEMO_TARGETS = [
    {"platform": "twitter", "channel": "twitter:hee_kss", "target": "900002"},
    {"platform": "facebook", "channel": "facebook:nhshee", "target": "104000000000001"},
    {"platform": "instagram", "channel": "instagram:nhshee", "target": "17841400000000001"},
    {"platform": "youtube", "channel": "youtube:healtheducationengland",
     "target": "UCdemo0000000000000000001"},
    {"platform": "linkedin", "channel": "linkedin:health-education-england",
     "target": "urn:li:activity:1000001"},
    {"platform": "flickr", "channel": "flickr:nhshealtheducationengland", "target": "10000001"},
]  # fmt: skip


@dataclass(frozen=True)
class PollerPlan:
    """The services to start for polling (none: disabled), and the line `up` prints."""

    line: str
    specs: list[ServiceSpec] = field(default_factory=list)


def _sandbox_available() -> bool:
    return importlib.util.find_spec("services.sandbox.reads") is not None


def poller_plan(
    env: Mapping[str, str], *, up: UpSettings, demo: bool, health_file: Path
) -> PollerPlan:
    """The sandbox (unless one is given) and `ingest poll` against it, or why not."""
    given = env.get("SWITCHBOARD_INGEST_SANDBOX_URL", "").strip()
    if given and not (urlsplit(given).hostname or "").startswith(_LOOPBACK):
        return PollerPlan(
            f"pollers   | disabled: {given} is not on loopback; locally the "
            "pollers read only the platform sandbox"
        )
    if not given and not _sandbox_available():
        return PollerPlan(
            "pollers   | disabled: no local platform sandbox (services/sandbox) "
            "to poll; set SWITCHBOARD_INGEST_SANDBOX_URL to one on loopback"
        )
    targets = env.get("SWITCHBOARD_INGEST_POLL_TARGETS", "").strip()
    if targets in ("", "[]"):
        if not demo:
            return PollerPlan(
                "pollers   | disabled: no poll targets (set "
                "SWITCHBOARD_INGEST_POLL_TARGETS, or run with the demo)"
            )
        targets = json.dumps(DEMO_TARGETS)
    # `up` runs the sandbox itself (service "sandbox" on up.sandbox_port) for the publisher.
    url = given or f"http://{up.host}:{up.sandbox_port}"
    child = {
        "SWITCHBOARD_INGEST_SANDBOX_URL": url,
        "SWITCHBOARD_INGEST_POLL_TARGETS": targets,
        "SWITCHBOARD_INGEST_POLL_INTERVAL_S": env.get("SWITCHBOARD_INGEST_POLL_INTERVAL_S", "15"),
    }
    for name in _CREDENTIALS:
        key = f"SWITCHBOARD_INGEST_{name}"
        child[key] = env.get(key) or "sandbox-credential"
    health_file.unlink(missing_ok=True)
    spec = ServiceSpec(
        "pollers",
        [sys.executable, "-m", "services", "ingest", "poll"],
        # Ready once the first round has written its health (success or failure).
        ready=health_file.exists,
        env=child,
        ready_timeout_s=up.ready_timeout_s,
    )
    count = len(json.loads(targets))
    return PollerPlan(
        f"pollers   | polling the platform sandbox at {url} ({count} targets, every "
        f"{child['SWITCHBOARD_INGEST_POLL_INTERVAL_S']}s; add comments with POST "
        f"{url}/_sandbox/inbound)",
        [spec],
    )
