"""6. Memory: peak RSS (VmHWM) of every service process the other benchmarks started.

Each process's VmHWM is read from /proc/<pid>/status just before it is stopped (and during
the runs). Baseline: the VmHWM of the same Python interpreter running nothing.
"""

from __future__ import annotations

from bench.context import Context
from bench.report import Figure, Result
from bench.support import bare_python_hwm_kib


def run(ctx: Context) -> Result:
    result = Result("memory", "Memory: peak RSS of each service process")
    base = bare_python_hwm_kib() / 1024
    result.params = {"source": "/proc/<pid>/status VmHWM", "processes": sorted(ctx.peaks)}
    if not ctx.peaks:
        result.notes.append("no service process ran in this invocation (use with the others)")
    for name, kib in sorted(ctx.peaks.items()):
        result.add(
            Figure(
                f"peak RSS, {name}",
                kib / 1024,
                "MiB",
                "bare python interpreter",
                base,
                higher_is_better=False,
            )
        )
    return result
