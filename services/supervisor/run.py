"""`switchboard up`: broker, topics and every service on loopback, stopped together.

Services start in dependency order and each must pass a real readiness probe before the
next starts. Nothing is restarted silently: if any service exits, the whole run stops with
that service's last log lines. Ctrl-C, SIGTERM or `switchboard down` stop every process this
run started, the broker too if this run started it.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import TextIO

from services.common.kafka_admin import (
    BrokerUnavailableError,
    create_topics,
    group_has_members,
)
from services.common.local_kafka import LocalKafka, LocalKafkaError
from services.common.settings import KafkaSettings, LocalBrokerSettings, PathSettings
from services.supervisor.pollers import poller_plan
from services.supervisor.process import ManagedProcess, ServiceFailedError, ServiceSpec, http_ok
from services.supervisor.settings import UpSettings

logger = logging.getLogger(__name__)

CHILD = [sys.executable, "-m", "services"]


class StopRequestedError(Exception):
    """SIGTERM (e.g. from `switchboard down`) asks the run to stop cleanly."""


def service_specs(
    up: UpSettings,
    *,
    env: dict[str, str],
    bootstrap: str,
    projector_group: str,
    publisher_group: str = "switchboard-publisher",
) -> list[ServiceSpec]:
    """The services in start order, each with its readiness probe.

    The projector is ready when the API can read its lag and its consumer group has a live
    member: /readyz alone may report a lag recorded by an earlier run's projector. The
    publisher, likewise, once its group has a live member; the sandbox it posts to, on
    /healthz.
    """
    h, api, ingest, web = up.host, up.api_port, up.ingest_port, up.router_web_port
    sandbox = up.sandbox_port
    t = up.ready_timeout_s
    sla_env = {**env, "SWITCHBOARD_SLA_WEB_PORT": str(up.sla_port)}
    # One clock for the run: a router on a demo or test clock (set here or inherited) gets
    # an SLA timer on the same one, unless the SLA's own is set.
    seen = {**os.environ, **env}
    if "SWITCHBOARD_ROUTER_CLOCK_FILE" in seen and "SWITCHBOARD_SLA_CLOCK_FILE" not in seen:
        sla_env["SWITCHBOARD_SLA_CLOCK_FILE"] = seen["SWITCHBOARD_ROUTER_CLOCK_FILE"]

    def projector_ready() -> bool:
        return http_ok(f"http://{h}:{api}/readyz") and group_has_members(bootstrap, projector_group)

    return [
        ServiceSpec("api", [*CHILD, "api", "serve", "--host", h, "--port", str(api)],
                    ready=lambda: http_ok(f"http://{h}:{api}/healthz"), env=env,
                    ready_timeout_s=t),
        ServiceSpec("projector", [*CHILD, "api", "project"], ready=projector_ready, env=env,
                    ready_timeout_s=t),
        # The relay's only probe is being alive: it has nothing to answer until rows commit.
        ServiceSpec("relay", [*CHILD, "api", "relay"], ready=lambda: True, env=env,
                    ready_timeout_s=t),
        ServiceSpec("router", [*CHILD, "router", "worker"],
                    ready=lambda: http_ok(f"http://127.0.0.1:{web}/ready"),
                    env={**env, "SWITCHBOARD_ROUTER_WEB_PORT": str(web)}, ready_timeout_s=t),
        # Ready once it has read the routed and work topics to their end.
        ServiceSpec("sla", [*CHILD, "sla", "run"],
                    ready=lambda: http_ok(f"http://127.0.0.1:{up.sla_port}/ready"),
                    env=sla_env, ready_timeout_s=t),
        ServiceSpec("ingest", [*CHILD, "ingest", "serve", "--host", h, "--port", str(ingest)],
                    ready=lambda: http_ok(f"http://{h}:{ingest}/healthz"), env=env,
                    ready_timeout_s=t),
        ServiceSpec("sandbox", [*CHILD, "sandbox", "serve", "--host", h, "--port", str(sandbox)],
                    ready=lambda: http_ok(f"http://{h}:{sandbox}/healthz"), env=env,
                    ready_timeout_s=t),
        ServiceSpec("publisher", [*CHILD, "publisher", "run"],
                    ready=lambda: group_has_members(bootstrap, publisher_group), env=env,
                    ready_timeout_s=t),
    ]  # fmt: skip


def pid_file(paths: PathSettings) -> Path:
    """Where a running `switchboard up` records its pid."""
    return paths.data_dir / "run" / "up.pid"


def children_file(paths: PathSettings) -> Path:
    """Where it records its children's process groups, for `down` after a hard crash."""
    return paths.data_dir / "run" / "children"


def running_pid(paths: PathSettings) -> int | None:
    """Pid of a live `switchboard up`, if any."""
    try:
        pid = int(pid_file(paths).read_text())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


@contextmanager
def _sigterm_stops() -> Iterator[None]:
    def _raise(_signum: int, _frame: FrameType | None) -> None:
        raise StopRequestedError

    previous = signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class Supervisor:
    """Runs one local Switchboard until interrupted or a service fails."""

    def __init__(
        self,
        *,
        up: UpSettings,
        paths: PathSettings,
        kafka: KafkaSettings,
        env: dict[str, str],
        projector_group: str,
        publisher_group: str = "switchboard-publisher",
        manage_broker: bool = True,
        demo: bool = False,
        out: TextIO = sys.stdout,
    ) -> None:
        self.up, self.paths, self.kafka, self.env, self.out = up, paths, kafka, env, out
        self.projector_group = projector_group
        self.publisher_group = publisher_group
        self.manage_broker = manage_broker
        self.demo = demo
        self.broker = LocalKafka(home=paths.data_dir / "kafka", settings=LocalBrokerSettings())
        self.children: list[ManagedProcess] = []
        self.started_broker = False

    def say(self, text: str) -> None:
        """Supervisor's own lines, unprefixed, so scripts can grep them."""
        self.out.write(text + "\n")
        self.out.flush()

    def run(self, *, on_ready: Callable[[], list[str]]) -> int:
        """Start everything, call on_ready (demo, token) and print its lines; wait; stop."""
        pid_path = pid_file(self.paths)
        pid_path.parent.mkdir(parents=True, exist_ok=True)
        pid_path.write_text(str(os.getpid()))
        children_file(self.paths).unlink(missing_ok=True)
        began = time.monotonic()
        try:
            with _sigterm_stops():
                self._start_all()
                lines = on_ready()
                self.say(f"Switchboard is ready: http://{self.up.host}:{self.up.api_port} "
                         f"(in {time.monotonic() - began:.1f}s)")  # fmt: skip
                for line in lines:
                    self.say(line)
                return self._watch()
        except (ServiceFailedError, LocalKafkaError, BrokerUnavailableError) as err:
            self.say(f"error: {err}")
            return 1
        except (KeyboardInterrupt, StopRequestedError):
            self.say("stopping Switchboard...")
            return 0
        finally:
            self._stop_all()
            pid_path.unlink(missing_ok=True)

    def _start_all(self) -> None:
        if self.manage_broker:
            status, self.started_broker = self.broker.up()
            how = "started" if self.started_broker else "already running"
            self.say(f"kafka     | {how} on {status.bootstrap}")
        topics = create_topics(
            self.kafka.bootstrap_servers,
            prefix=self.kafka.topic_prefix,
            replication_factor=self.kafka.replication_factor,
        )
        created = sum(t.created for t in topics)
        self.say(f"topics    | {created} created, {len(topics) - created} already there")
        specs = service_specs(
            self.up,
            env=self.env,
            bootstrap=self.kafka.bootstrap_servers,
            projector_group=self.projector_group,
            publisher_group=self.publisher_group,
        )
        child_env = {**os.environ, **self.env}
        health_dir = child_env.get("SWITCHBOARD_INGEST_HEALTH_DIR") or str(
            self.paths.data_dir / "ingest" / "health"
        )
        pollers = poller_plan(
            child_env,
            up=self.up,
            demo=self.demo,
            health_file=Path(health_dir) / "poll.json",
        )
        self.say(pollers.line)
        specs += [replace(s, env={**self.env, **s.env}) for s in pollers.specs]
        for index, spec in enumerate(specs):
            child = ManagedProcess(spec, index=index, out=self.out)
            self.children.append(child)
            child.start()
            with children_file(self.paths).open("a") as f:
                f.write(f"{child.pid}\n")
            took = child.wait_ready()
            self.say(f"{spec.name:<9} | ready in {took:.1f}s")

    def _watch(self) -> int:
        while True:
            for child in self.children:
                if child.exit_code is not None:
                    raise ServiceFailedError(
                        f"{child.spec.name} exited with code {child.exit_code}; stopping "
                        f"everything (nothing is restarted silently):\n{child.tail()}"
                    )
            time.sleep(0.5)

    def _stop_all(self) -> None:
        for child in reversed(self.children):
            child.stop()
        children_file(self.paths).unlink(missing_ok=True)
        if self.started_broker:
            self.broker.down()
        self.say("Switchboard stopped")
