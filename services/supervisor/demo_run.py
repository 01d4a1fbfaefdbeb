"""What `switchboard up` does once every service is ready: a token, and the demo feed."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
import yaml

from services.common.clock import utc_now
from services.ingest.signatures import meta_signature, x_signature
from services.supervisor.clock import ClockFile
from services.supervisor.demo import CAMPAIGN_HASHTAG, DEMO_ACCOUNT_IDS, Delivery, demo_stream
from services.supervisor.demo_users import ensure_demo_users
from services.supervisor.process import ServiceFailedError
from services.supervisor.run import CHILD
from services.supervisor.settings import UpSettings

logger = logging.getLogger(__name__)


def write_demo_registry(*, base: Path, run_dir: Path) -> Path:
    """The shipped registry plus the demo's placeholder platform ids, for this run only."""
    raw = yaml.safe_load(base.read_text())
    for channel in raw["channels"]:
        channel["account_ids"] = sorted(
            {*channel.get("account_ids", []), *DEMO_ACCOUNT_IDS.get(channel["id"], [])}
        )
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / "channels.demo.yaml"
    path.write_text("# Generated for the local demo; do not edit.\n" + yaml.safe_dump(raw))
    return path


def _cli(args: list[str], env: dict[str, str]) -> str:
    proc = subprocess.run(  # noqa: S603 - our own CLI
        [*CHILD, *args], env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"`switchboard {' '.join(args)}` failed: {proc.stderr.strip()}")
    return proc.stdout


class DemoFeeder:
    """Delivers the demo stream through the real ingest edge."""

    def __init__(self, *, ingest_url: str, env: dict[str, str], run_dir: Path) -> None:
        self.ingest_url, self.env, self.run_dir = ingest_url, env, run_dir
        self.client = httpx.Client(timeout=30)

    def post(self, delivery: Delivery) -> int:
        """Sign and POST a webhook delivery; returns the HTTP status."""
        body = (
            delivery.payload.encode()
            if isinstance(delivery.payload, str)
            else json.dumps(delivery.payload).encode()
        )
        if delivery.platform == "twitter":
            secret = self.env["SWITCHBOARD_X_CONSUMER_SECRET"]
            headers = {"x-twitter-webhooks-signature": x_signature(secret, body)}
        else:
            secret = self.env["SWITCHBOARD_META_APP_SECRET"]
            headers = {"X-Hub-Signature-256": meta_signature(secret, body)}
        headers["Content-Type"] = "application/json"
        url = f"{self.ingest_url}/webhooks/{delivery.platform}"
        return self.client.post(url, content=body, headers=headers).status_code

    def replay(self, deliveries: list[Delivery]) -> str:
        """Polled platforms go through `switchboard ingest replay`; returns its summary."""
        path = self.run_dir / "demo-replay.jsonl"
        with path.open("w") as f:
            for d in deliveries:
                line = {"platform": d.platform, "payload": d.payload, "channel": d.channel}
                f.write(json.dumps(line) + "\n")
        return _cli(["ingest", "replay", str(path)], self.env).strip().splitlines()[-1]

    def feed(self, stream: list[Delivery]) -> str:
        """Deliver everything; return a one-line account of it."""
        statuses: dict[int, int] = {}
        for d in (d for d in stream if d.via == "webhook"):
            code = self.post(d)
            statuses[code] = statuses.get(code, 0) + 1
        replayed = self.replay([d for d in stream if d.via == "replay"])
        codes = ", ".join(f"{n} x HTTP {c}" for c, n in sorted(statuses.items()))
        return f"{len(stream)} payloads: webhooks {codes}; replay: {replayed}"


def ready_actions(
    *,
    up: UpSettings,
    env: dict[str, str],
    run_dir: Path,
    demo: bool,
    seed: int,
    clock: ClockFile | None,
) -> Callable[[], list[str]]:
    """The on-ready step of `switchboard up`: lines to print under the ready line."""
    api = f"http://{up.host}:{up.api_port}"

    def act() -> list[str]:
        try:
            return _act()
        except (httpx.HTTPError, RuntimeError) as err:
            raise ServiceFailedError(f"the on-ready step (token, demo feed) failed: {err}") from err

    def _act() -> list[str]:
        stamp = utc_now()
        name = f"local-admin-{stamp:%Y%m%d-%H%M%S}"
        token = _cli(["tokens", "create", "--name", name, "--role", "admin"], env).strip()
        lines = [f"Web: {api}/"]
        if demo:
            people = ensure_demo_users(run_dir=run_dir, cli=lambda args: _cli(args, env))
            email, password = people["press"]
            lines += [
                f"Sign in: {email} / {password}",
                f"  Other demo users (digital, lead, approver, admin): "
                f"{run_dir / 'demo-users.json'}",
            ]
        lines += [
            f"  API docs:    {api}/docs",
            f"  Webhooks:    http://{up.host}:{up.ingest_port}/webhooks/{{twitter,facebook,instagram}}",
            f"  Sandbox:     http://{up.host}:{up.sandbox_port}/_sandbox/posts"
            "   (replies go here: our own platform stand-in, not the platforms)",
            f"  Admin token: {token}   (token '{name}', shown once)",
            f'  Try:         curl -H "Authorization: Bearer {token}" {api}/v1/queues/press/items',
            "  Stop:        Ctrl-C here, or `make stop` in another terminal",
        ]
        if demo:
            start = clock.now() if clock else stamp
            feeder = DemoFeeder(
                ingest_url=f"http://{up.host}:{up.ingest_port}", env=env, run_dir=run_dir
            )
            campaign = {
                "campaign_id": "nhs-careers",
                "name": "NHS Careers",
                "hashtag": CAMPAIGN_HASHTAG,
                "owner_queue": "digital",
                "start_date": start.date().replace(day=1).isoformat(),
            }
            created = httpx.post(
                f"{api}/v1/campaigns",
                json=campaign,
                timeout=30,
                headers={"Authorization": f"Bearer {token}"},
            )
            if created.status_code not in (201, 409):  # 409: tracked since an earlier run
                raise RuntimeError(f"demo campaign: HTTP {created.status_code} {created.text}")
            summary = feeder.feed(demo_stream(seed=seed, start=start))
            lines.insert(0, f"  Demo:        seed {seed}, {summary}")
            threading.Thread(target=_trickle, args=(feeder, seed, clock), daemon=True).start()
        return lines

    return act


def _trickle(feeder: DemoFeeder, seed: int, clock: ClockFile | None) -> None:
    """Keep a live stream flowing: a new webhook delivery every 10 s, for an hour."""
    pause = threading.Event()
    for n in range(360):
        if pause.wait(10):
            return
        now = clock.now() if clock else utc_now()
        fresh = demo_stream(seed=seed + n + 1, start=now, count=1, first_id=100_000 + n,
                            extras=False, spread=timedelta(0))  # fmt: skip
        try:
            if fresh[0].via == "webhook":
                feeder.post(fresh[0])
            else:
                feeder.replay(fresh)
        except (httpx.HTTPError, RuntimeError) as err:
            logger.info("demo feed ended: %s", err)  # e.g. ingest stopping with the run
            return
