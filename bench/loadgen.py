"""HTTP load on loopback: wrk when installed, else an asyncio httpx generator (labelled so).

Both are closed-loop: `clients` connections each send the next request when the previous
answer arrives, for `seconds`.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import time
from dataclasses import dataclass

import httpx

from bench.support import percentile

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class Load:
    """What one load run measured."""

    tool: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def wrk_path() -> str | None:
    return shutil.which("wrk")


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unreadable wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> Load:
    """Requests/s, p50/p99 and errors from `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    done = re.search(r"(\d+) requests in ([\d.]+)(\w+)", output)
    assert done is not None
    percentiles = {
        str(int(float(q))): v
        for q, v in re.findall(r"^\s*(\d+(?:\.\d+)?)%\s+(\S+)\s*$", output, re.MULTILINE)
    }
    if "50" not in percentiles or "99" not in percentiles:
        raise ValueError(f"no latency distribution in wrk output:\n{output}")
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket:
        errors += sum(int(x) for x in socket.groups())
    seconds = float(done.group(2)) * _UNITS.get(done.group(3), 1000.0) / 1000
    return Load(
        "wrk",
        int(done.group(1)),
        seconds,
        rps,
        _ms(percentiles["50"]),
        _ms(percentiles["99"]),
        errors,
    )


def run_wrk(url: str, *, headers: dict[str, str], clients: int, seconds: float) -> Load:
    argv = [
        "wrk",
        f"-t{min(2, clients)}",
        f"-c{clients}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    for key, value in headers.items():
        argv += ["-H", f"{key}: {value}"]
    out = subprocess.run(
        [*argv, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    )
    return parse_wrk(out.stdout)


async def _httpx_load(url: str, headers: dict[str, str], clients: int, seconds: float) -> Load:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=10) as client:
        deadline = time.monotonic() + seconds

        async def worker() -> None:
            nonlocal errors
            while time.monotonic() < deadline:
                began = time.perf_counter()
                try:
                    response = await client.get(url)
                    ok = response.status_code < 400
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - began) * 1000)
                errors += not ok

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(clients)))
        took = time.monotonic() - started
    return Load(
        "httpx-asyncio (wrk not installed)",
        len(latencies),
        took,
        len(latencies) / took,
        percentile(latencies, 50),
        percentile(latencies, 99),
        errors,
    )


def run_load(url: str, *, headers: dict[str, str], clients: int, seconds: float) -> Load:
    if wrk_path():
        return run_wrk(url, headers=headers, clients=clients, seconds=seconds)
    return asyncio.run(_httpx_load(url, headers, clients, seconds))
