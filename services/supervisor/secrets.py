"""Webhook secrets for local runs: random per data folder, never in the repo.

A local run needs *some* Meta app secret and X consumer secret so the webhook receiver can
verify signatures (it fails closed without them), and the demo feeder must sign with the same
ones. Real deployments set SWITCHBOARD_META_APP_SECRET etc. in the environment, which wins.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

LOCAL_SECRET_VARS = (
    "SWITCHBOARD_META_APP_SECRET",
    "SWITCHBOARD_META_VERIFY_TOKEN",
    "SWITCHBOARD_X_CONSUMER_SECRET",
)


def local_webhook_secrets(run_dir: Path) -> dict[str, str]:
    """Secrets from the environment, else from (or newly into) run_dir/webhook-secrets.json."""
    path = run_dir / "webhook-secrets.json"
    stored: dict[str, str] = {}
    if path.exists():
        stored = json.loads(path.read_text())
    missing = [v for v in LOCAL_SECRET_VARS if v not in stored]
    if missing:
        stored.update({v: secrets.token_urlsafe(32) for v in missing})
        run_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(stored, f)
    return {v: os.environ.get(v) or stored[v] for v in LOCAL_SECRET_VARS}
