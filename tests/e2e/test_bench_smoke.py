"""`make bench` keeps working: the whole suite at tiny sizes, on the session's broker.

Benchmarks are not timed tests: this asserts only that every benchmark runs and reports
figures with their baselines, never what the figures are.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = (
    "ingest",
    "router",
    "api",
    "web",
    "guidance",
    "rebuild",
    "e2e",
    "release",
    "publisher",
    "memory",
)


# Ten benchmarks at tiny sizes take 3-5 minutes on 2 cores, past the suite's 300 s default.
@pytest.mark.timeout(900)
def test_every_benchmark_runs_in_smoke_mode(kafka_bootstrap: str, tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--smoke",
            "--bootstrap",
            kafka_bootstrap,
            "--results-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    for name in BENCHMARKS:
        result = json.loads((tmp_path / f"smoke-{name}.json").read_text())
        assert result["figures"], f"{name} reported no figures"
        assert result["machine"]["cpu_count"] >= 1
