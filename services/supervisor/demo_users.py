"""The demo's people: one of each kind, created through `switchboard users create`.

Passwords are generated (never in the repo) and kept in <data>/run/demo-users.json (0600), so
a second `make run` on the same data folder signs in with the same ones.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

DEMO_USERS = [
    ("press", "press.officer@demo.switchboard.test", "Priya (press officer)", ["--queue", "press"]),
    ("digital", "digital.officer@demo.switchboard.test", "Dev (digital officer)",
     ["--queue", "digital"]),
    ("lead", "kss.lead@demo.switchboard.test", "Kim (Kent, Surrey and Sussex lead)",
     ["--channel", "twitter:hee_kss"]),
    ("approver", "approver@demo.switchboard.test", "Ada (press approver)",
     ["--approver", "press"]),
    ("admin", "admin@demo.switchboard.test", "Ali (admin)", ["--role", "admin"]),
]  # fmt: skip


def ensure_demo_users(*, run_dir: Path, cli: Callable[[list[str]], str]) -> dict[str, list[str]]:
    """Create the demo users not yet created; returns {kind: [email, password]} for all."""
    path = run_dir / "demo-users.json"
    known: dict[str, list[str]] = json.loads(path.read_text()) if path.exists() else {}
    for kind, email, name, scope in DEMO_USERS:
        if kind in known:
            continue
        args = ["users", "create", "--email", email, "--name", name, *scope]
        known[kind] = [email, cli([*args, "--generate-password"]).strip()]
    run_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(known, f, indent=2)
    return known
