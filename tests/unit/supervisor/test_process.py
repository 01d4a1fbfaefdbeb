"""The supervisor's process handling, on real child processes."""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

import pytest

from services.supervisor.process import ManagedProcess, ServiceFailedError, ServiceSpec


def _py(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_ready_when_the_probe_passes_and_logs_are_prefixed(tmp_path: Path) -> None:
    flag = tmp_path / "ready"
    out = io.StringIO()
    child = ManagedProcess(
        ServiceSpec(
            "svc",
            _py(
                f"import time, pathlib; print('hello', flush=True); "
                f"pathlib.Path({str(flag)!r}).touch(); time.sleep(60)"
            ),
            ready=flag.exists,
            ready_timeout_s=20,
        ),
        index=0,
        out=out,
    )
    child.start()
    try:
        child.wait_ready()
        deadline = time.monotonic() + 5
        while "hello" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "svc      | hello" in out.getvalue()
    finally:
        child.stop(timeout_s=5)
    assert child.exit_code is not None


def test_a_child_dying_during_start_up_fails_with_its_output() -> None:
    child = ManagedProcess(
        ServiceSpec(
            "bad",
            _py("import sys; print('port taken', flush=True); sys.exit(3)"),
            ready=lambda: False,
            ready_timeout_s=20,
        ),
        index=1,
        out=io.StringIO(),
    )
    child.start()
    with pytest.raises(ServiceFailedError, match=r"bad exited with code 3[\s\S]*port taken"):
        child.wait_ready()


def test_stop_kills_the_whole_process_group(tmp_path: Path) -> None:
    pidfile = tmp_path / "grandchild"
    code = (
        "import subprocess, sys, time, pathlib; "
        "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)']); "
        f"pathlib.Path({str(pidfile)!r}).write_text(str(p.pid)); "
        "import signal; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(120)"
    )
    child = ManagedProcess(
        ServiceSpec("stubborn", _py(code), ready=pidfile.exists, ready_timeout_s=20),
        index=2,
        out=io.StringIO(),
    )
    child.start()
    child.wait_ready()
    grandchild = int(pidfile.read_text())
    child.stop(timeout_s=1)  # ignores SIGTERM: must be killed, with its child
    assert child.exit_code is not None
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(grandchild, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the service's own child outlived stop()")
