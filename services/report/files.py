"""Writes a report's four files: HTML, CSV, JSON and PDF, byte-identical for the same figures."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from services.report.domain.figures import Figures
from services.report.html import render_html


def render_json(figures: Figures) -> str:
    """The figures as indented JSON with sorted keys."""
    return json.dumps(figures, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _flatten(prefix: str, value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [r for k in sorted(value) for r in _flatten(f"{prefix}.{k}", value[k])]
    if isinstance(value, list):
        rows = []
        for entry in value:
            key = entry.get("campaign_id", "") if isinstance(entry, dict) else ""
            rows += _flatten(f"{prefix}.{key}", entry)
        return rows
    return [(prefix, value)]


def render_csv(figures: Figures) -> str:
    """One row per figure: section, figure path, value (empty when not applicable)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["month", "scope", "section", "figure", "value"])
    scope = figures["scope"]["value"] or figures["scope"]["kind"]
    for section in sorted(set(figures) - {"month", "timezone", "scope"}):
        for path, value in _flatten(section, figures[section]):
            head, _, rest = path.partition(".")
            writer.writerow([figures["month"], scope, head, rest, "" if value is None else value])
    return buf.getvalue()


def render_pdf(html: str) -> bytes:
    """The HTML printed to PDF by WeasyPrint (no creation date: the bytes are stable)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def write_report(figures: Figures, out: Path) -> dict[str, Path]:
    """Write report.{html,csv,json,pdf} under `out` (created), atomically per file."""
    out.mkdir(parents=True, exist_ok=True)
    html = render_html(figures)
    contents: dict[str, bytes] = {
        "html": html.encode(),
        "csv": render_csv(figures).encode(),
        "json": render_json(figures).encode(),
        "pdf": render_pdf(html),
    }
    paths = {}
    for fmt, data in contents.items():
        path = out / f"report.{fmt}"
        tmp = path.with_suffix(f".{fmt}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        paths[fmt] = path
    return paths
