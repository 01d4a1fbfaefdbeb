"""A real single-node KRaft Kafka broker for local runs and tests, assembled from Maven Central.

Jars come from `deploy/local/pom.xml` (copied once into `<data_dir>/kafka/lib`), storage is
formatted once, and the broker runs as a detached JVM whose pid is kept in a file. Up, down
and status are idempotent. Readiness is a successful admin call, not an open port.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from string import Template

from services.common.kafka_admin import broker_ready
from services.common.settings import REPO_ROOT, LocalBrokerSettings

logger = logging.getLogger(__name__)

DEPLOY_LOCAL = REPO_ROOT / "deploy" / "local"
POM = DEPLOY_LOCAL / "pom.xml"
TEMPLATE = DEPLOY_LOCAL / "server.properties.template"
LOG4J = DEPLOY_LOCAL / "log4j2.properties"


class LocalKafkaError(RuntimeError):
    """The local broker could not be assembled, started or stopped; the message says why."""


@dataclass(frozen=True)
class BrokerStatus:
    """What `status` found."""

    running: bool
    ready: bool
    pid: int | None
    bootstrap: str
    home: Path


class LocalKafka:
    """Manages the broker under `home` (jars in lib/, data in data/, logs in logs/)."""

    def __init__(self, *, home: Path, settings: LocalBrokerSettings) -> None:
        self.home = home
        self.settings = settings
        self.lib = home / "lib"
        self.data = home / "data"
        self.logs = home / "logs"
        self.pid_file = home / "kafka.pid"
        self.config_file = home / "server.properties"

    @property
    def bootstrap(self) -> str:
        """Where clients connect."""
        return f"127.0.0.1:{self.settings.broker_port}"

    # -- jars -------------------------------------------------------------------------------
    def _pom_digest(self) -> str:
        return hashlib.sha256(POM.read_bytes()).hexdigest()

    def jars_present(self) -> bool:
        """True when the jars for the current pom.xml are already copied."""
        marker = self.lib / ".pom.sha256"
        return marker.exists() and marker.read_text().strip() == self._pom_digest()

    def ensure_jars(self) -> bool:
        """Copy the broker's jars from Maven Central once. Returns True if it downloaded."""
        if self.jars_present():
            return False
        _require_tool("java", "Java 17 or newer (Debian: apt-get install openjdk-17-jre-headless)")
        _require_tool("mvn", "Apache Maven (Debian: apt-get install maven)")
        staging = self.home / "lib.partial"
        shutil.rmtree(staging, ignore_errors=True)
        logger.info("fetching Kafka jars from Maven Central (first run only)")
        cmd = [
            "mvn", "-B", "-q", "-f", str(POM), "dependency:copy-dependencies",
            f"-DoutputDirectory={staging}", "-DincludeScope=runtime",
        ]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
            raise LocalKafkaError(f"mvn could not fetch the Kafka jars:\n{tail}")
        shutil.rmtree(self.lib, ignore_errors=True)
        staging.rename(self.lib)
        (self.lib / ".pom.sha256").write_text(self._pom_digest())
        return True

    def _classpath(self) -> str:
        return str(self.lib / "*")

    # -- storage ----------------------------------------------------------------------------
    def _render_config(self) -> None:
        text = Template(TEMPLATE.read_text()).substitute(
            broker_port=self.settings.broker_port,
            controller_port=self.settings.controller_port,
            data_dir=self.data,
        )
        self.config_file.write_text(text)

    def ensure_formatted(self) -> None:
        """Format KRaft storage once (a fresh cluster id); later starts reuse the data."""
        self._render_config()
        if (self.data / "meta.properties").exists():
            return
        java = ["java", "-cp", self._classpath(), "kafka.tools.StorageTool"]
        cluster_id = _run([*java, "random-uuid"]).strip().splitlines()[-1]
        _run([*java, "format", "-t", cluster_id, "-c", str(self.config_file), "--standalone"])

    # -- process ----------------------------------------------------------------------------
    def _read_pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if _is_our_broker(pid, self.home) else None

    def status(self) -> BrokerStatus:
        """Whether our broker process is alive and answers admin calls."""
        pid = self._read_pid()
        ready = pid is not None and broker_ready(self.bootstrap, timeout_ms=2_000)
        return BrokerStatus(pid is not None, ready, pid, self.bootstrap, self.home)

    def up(self) -> tuple[BrokerStatus, bool]:
        """Start the broker unless it runs already. Returns (status, started_now)."""
        current = self.status()
        if current.running:
            if not current.ready:
                self._wait_ready(current.pid)
            return self.status(), False
        for port in (self.settings.broker_port, self.settings.controller_port):
            if _port_taken(port):
                raise LocalKafkaError(
                    f"port {port} on 127.0.0.1 is taken by another process; stop it or set "
                    "SWITCHBOARD_LOCAL_KAFKA_BROKER_PORT / _CONTROLLER_PORT"
                )
        self.home.mkdir(parents=True, exist_ok=True)
        self.ensure_jars()
        self.ensure_formatted()
        self.logs.mkdir(exist_ok=True)
        cmd = [
            "java", f"-Xms{self.settings.heap_min}", f"-Xmx{self.settings.heap_max}",
            "-XX:+UseG1GC", "-Djava.awt.headless=true",
            f"-Dkafka.logs.dir={self.logs}", f"-Dlog4j2.configurationFile={LOG4J}",
            f"-Dswitchboard.home={self.home}",
            "-cp", self._classpath(), "kafka.Kafka", str(self.config_file),
        ]  # fmt: skip
        with (self.logs / "stdout.log").open("ab") as out:
            proc = subprocess.Popen(  # noqa: S603
                cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,  # survives the CLI and is not hit by its Ctrl-C
            )  # fmt: skip
        self.pid_file.write_text(str(proc.pid))
        self._wait_ready(proc.pid)
        return self.status(), True

    def _wait_ready(self, pid: int | None) -> None:
        deadline = time.monotonic() + self.settings.start_timeout_s
        while time.monotonic() < deadline:
            if pid is None or not _alive(pid):
                raise LocalKafkaError("the broker exited during start-up:\n" + self._log_tail())
            if broker_ready(self.bootstrap, timeout_ms=2_000):
                return
            time.sleep(0.3)
        raise LocalKafkaError(
            f"the broker did not become ready within {self.settings.start_timeout_s:.0f}s:\n"
            + self._log_tail()
        )

    def _log_tail(self, lines: int = 20) -> str:
        for name in ("server.log", "stdout.log"):
            path = self.logs / name
            if path.exists():
                return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
        return "(no broker log yet)"

    def down(self, *, timeout_s: float = 30.0) -> bool:
        """Stop the broker if it runs. Returns True if a process was stopped."""
        pid = self._read_pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(pid):
            logger.warning("broker pid %s ignored SIGTERM for %.0fs; killing it", pid, timeout_s)
            os.kill(pid, signal.SIGKILL)
            while _alive(pid):
                time.sleep(0.1)
        self.pid_file.unlink(missing_ok=True)
        return True


def _require_tool(name: str, what: str) -> None:
    if shutil.which(name) is None:
        raise LocalKafkaError(f"`{name}` was not found on PATH: install {what}")


def _run(cmd: list[str]) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
    if proc.returncode != 0:
        raise LocalKafkaError(f"{' '.join(cmd[-3:])} failed:\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def _alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
        if waited == pid:
            return False  # our own child, now reaped
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_our_broker(pid: int, home: Path) -> bool:
    """Guard against a stale pid file naming some unrelated process (or another checkout's)."""
    if not _alive(pid):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc (not Linux): trust the pid file
    return b"kafka.Kafka" in cmdline and f"-Dswitchboard.home={home}".encode() in cmdline


def _port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0
