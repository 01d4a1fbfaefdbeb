"""The local run's publisher points at the sandbox, with demo credentials made per data folder.

Nothing here is a real credential: the sandbox accepts any well-formed bearer token and the
OAuth 1.0a keys it is started with. Both are random per data folder, written under
.local/run/ (git-ignored, mode 0600), never into the repository.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from schemas.enums import Platform
from schemas.registry import ChannelRegistry

SANDBOX_KEY, SANDBOX_TOKEN = "sandbox-flickr-key", "sandbox-flickr-token"
_PREFIXES = {
    Platform.TWITTER: "x",
    Platform.FACEBOOK: "facebook",
    Platform.INSTAGRAM: "instagram",
    Platform.YOUTUBE: "google",
    Platform.LINKEDIN: "linkedin",
    Platform.FLICKR: "flickr",
}
_BASE_VARS = {
    Platform.TWITTER: "X",
    Platform.FACEBOOK: "FACEBOOK",
    Platform.INSTAGRAM: "INSTAGRAM",
    Platform.YOUTUBE: "YOUTUBE",
    Platform.LINKEDIN: "LINKEDIN",
    Platform.FLICKR: "FLICKR",
}


def _write_private(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f)


def _sandbox_secrets(run_dir: Path) -> dict[str, str]:
    path = run_dir / "sandbox-secrets.json"
    if path.exists():
        stored: dict[str, str] = json.loads(path.read_text())
        return stored
    made = {"consumer_secret": secrets.token_urlsafe(24), "token_secret": secrets.token_urlsafe(24),
            "bearer": secrets.token_urlsafe(32)}  # fmt: skip
    _write_private(path, made)
    return made


def demo_credentials(registry: ChannelRegistry, keys: dict[str, str]) -> dict[str, Any]:
    """Credentials the sandbox accepts, for every account in the registry."""
    accounts: dict[str, Any] = {}
    for channel in registry:
        platform = Platform(channel.spec.platform)
        if platform is Platform.FLICKR:
            accounts[channel.id] = {
                "consumer_key": SANDBOX_KEY,
                "consumer_secret": keys["consumer_secret"],
                "token": SANDBOX_TOKEN,
                "token_secret": keys["token_secret"],
            }
        elif platform is Platform.LINKEDIN:
            orgs = [a for a in channel.spec.account_ids if a.startswith("urn:li:organization:")]
            org = orgs[0] if orgs else "urn:li:organization:1000001"
            accounts[channel.id] = {"access_token": keys["bearer"], "actor_urn": org}
        else:
            accounts[channel.id] = {"access_token": keys["bearer"]}
    return {"accounts": accounts}


def local_publisher_env(
    *, run_dir: Path, sandbox_url: str, registry: ChannelRegistry
) -> dict[str, str]:
    """Environment for the local sandbox and a publisher pointed at it."""
    keys = _sandbox_secrets(run_dir)
    creds = run_dir / "publisher-credentials.json"
    _write_private(creds, demo_credentials(registry, keys))
    env = {
        "SWITCHBOARD_SANDBOX_FLICKR_CONSUMER_KEY": SANDBOX_KEY,
        "SWITCHBOARD_SANDBOX_FLICKR_TOKEN": SANDBOX_TOKEN,
        "SWITCHBOARD_SANDBOX_FLICKR_CONSUMER_SECRET": keys["consumer_secret"],
        "SWITCHBOARD_SANDBOX_FLICKR_TOKEN_SECRET": keys["token_secret"],
        "SWITCHBOARD_PUBLISHER_SECRETS_FILE": str(creds),
        "SWITCHBOARD_PUBLISHER_PERMALINK_BASE": f"{sandbox_url}/_sandbox/p",
    }
    for platform, prefix in _PREFIXES.items():
        env[f"SWITCHBOARD_PUBLISHER_{_BASE_VARS[platform]}_API_BASE"] = f"{sandbox_url}/{prefix}"
    return env
