"""Results: figures with their same-run baselines, the printed table and the JSON files."""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Figure:
    """One measured number, its baseline from the same run, and the target if there is one.

    `higher_is_better` says how to read the ratio; `target` is checked against `value`.
    """

    name: str
    value: float
    unit: str
    baseline_name: str = ""
    baseline: float | None = None
    target: str = ""
    met: bool | None = None
    higher_is_better: bool = True

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or not self.baseline or math.isnan(self.baseline):
            return None
        return self.value / self.baseline


@dataclass
class Result:
    """Everything one benchmark measured."""

    name: str
    title: str
    params: dict[str, Any] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    peaks_kib: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.time)
    seconds: float = 0.0

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        return figure

    def to_json(self, machine: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.started)),
            "seconds": round(self.seconds, 1),
            "machine": machine,
            "params": self.params,
            "figures": [{**asdict(f), "ratio": f.ratio} for f in self.figures],
            "peak_rss_kib": self.peaks_kib,
            "notes": self.notes,
        }


def write(
    result: Result, machine: dict[str, Any], *, directory: Path = RESULTS, prefix: str = ""
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{prefix}{result.name}.json"
    path.write_text(json.dumps(result.to_json(machine), indent=2, default=str) + "\n")
    return path


def _num(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(results: list[Result]) -> str:
    """A plain-text table: one row per figure, baseline and ratio beside it."""
    head = (
        "benchmark",
        "figure",
        "value",
        "unit",
        "baseline (same run)",
        "base",
        "ratio",
        "target",
    )
    rows: list[tuple[str, ...]] = [head]
    for result in results:
        for f in result.figures:
            met = "" if f.met is None else (" ok" if f.met else " MISSED")
            ratio = f.ratio
            rows.append(
                (
                    result.name,
                    f.name,
                    _num(f.value),
                    f.unit,
                    f.baseline_name or "-",
                    _num(f.baseline),
                    "-" if ratio is None else f"{ratio:.2f}x",
                    (f.target + met).strip() or "-",
                )
            )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    right = {2, 5, 6}
    lines = []
    for n, row in enumerate(rows):
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(results: list[Result]) -> str:
    """The same table in Markdown (for the README's Performance section)."""
    out = [
        "| benchmark | figure | value | baseline (same run) | ratio | target |",
        "|---|---|---|---|---|---|",
    ]
    for result in results:
        for f in result.figures:
            base = f"{f.baseline_name} {_num(f.baseline)}" if f.baseline_name else "-"
            ratio = "-" if f.ratio is None else f"{f.ratio:.2f}x"
            met = "" if f.met is None else (" (met)" if f.met else " (missed)")
            out.append(
                f"| {result.name} | {f.name} | {_num(f.value)} {f.unit} | {base} | {ratio} "
                f"| {(f.target + met).strip() or '-'} |"
            )
    return "\n".join(out)
