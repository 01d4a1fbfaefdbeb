"""`switchboard down`: stop a running `switchboard up`, and anything it left behind."""

from __future__ import annotations

import os
import signal
import time

from services.common.local_kafka import LocalKafka
from services.common.settings import LocalBrokerSettings, PathSettings
from services.supervisor.run import children_file, pid_file, running_pid


def _wait_gone(pid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def stop_everything(paths: PathSettings, *, timeout_s: float = 60.0) -> list[str]:
    """Stop the supervisor (it stops its children), orphans, then the broker. Idempotent."""
    said = []
    pid = running_pid(paths)
    if pid is not None:
        os.kill(pid, signal.SIGTERM)
        said.append(
            f"stopped switchboard up (pid {pid})"
            if _wait_gone(pid, timeout_s)
            else f"switchboard up (pid {pid}) did not stop within {timeout_s:.0f}s"
        )
    pid_file(paths).unlink(missing_ok=True)
    try:
        orphans = [int(p) for p in children_file(paths).read_text().split()]
    except (OSError, ValueError):
        orphans = []
    for pgid in orphans:  # only after a supervisor crash: its children's process groups
        try:
            os.killpg(pgid, signal.SIGKILL)
            said.append(f"killed leftover process group {pgid}")
        except ProcessLookupError:
            pass
    children_file(paths).unlink(missing_ok=True)
    broker = LocalKafka(home=paths.data_dir / "kafka", settings=LocalBrokerSettings())
    if broker.down():
        said.append("stopped Kafka")
    return said or ["nothing was running"]
