"""What the figures were measured on: CPU, memory, load, versions."""

from __future__ import annotations

import os
import platform
import re
from importlib import metadata
from pathlib import Path
from typing import Any

from tests.support.processes import REPO


def cpu_model(cpuinfo: str) -> str:
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in {"model name", "Model", "Hardware"} and value.strip():
            return value.strip()
    return platform.processor() or "unknown"


def mem_total_mib(meminfo: str) -> int | None:
    match = re.search(r"^MemTotal:\s+(\d+) kB", meminfo, re.MULTILINE)
    return int(match.group(1)) // 1024 if match else None


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def broker_version(kafka_home: Path = REPO / ".local" / "kafka" / "lib") -> str:
    """The local broker's version, from its jar names (kafka_2.13-4.x.y.jar or kafka-server-...)."""
    try:
        names = [p.name for p in kafka_home.iterdir()]
    except OSError:
        return "unknown (no local broker jars)"
    for pattern in (r"^kafka_[\d.]+-([\d.]+)\.jar$", r"^kafka-server-([\d.]+)\.jar$"):
        for name in names:
            match = re.match(pattern, name)
            if match:
                return match.group(1)
    return "unknown"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_info() -> dict[str, Any]:
    load = os.getloadavg()
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model(_read("/proc/cpuinfo")),
        "memory_mib": mem_total_mib(_read("/proc/meminfo")),
        "load_average_at_start": [round(x, 2) for x in load],
        "kernel": platform.release(),
        "python": platform.python_version(),
        "kafka_broker": broker_version(),
        "kafka_python": _version("kafka-python"),
        "aiokafka": _version("aiokafka"),
        "faust_streaming": _version("faust-streaming"),
        "sqlalchemy": _version("sqlalchemy"),
        "uvicorn": _version("uvicorn"),
        "psycopg": _version("psycopg"),
    }
