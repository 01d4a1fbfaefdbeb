"""Stored monthly reports: <reports dir>/<YYYY-MM>/<scope>/report.{html,csv,json,pdf}."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

FORMATS = ("html", "csv", "json", "pdf")
_MONTH_DIR = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_SCOPE_DIR = re.compile(r"^(all|queue-[a-z0-9_-]+|channel-[a-z0-9_.-]+)$")


@dataclass(frozen=True)
class StoredReport:
    """One generated report on disk."""

    month: str
    slug: str
    scope_kind: str
    scope_value: str | None
    folder: Path

    @property
    def report_id(self) -> str:
        """`<month>/<scope slug>`, e.g. 2026-11/queue-press."""
        return f"{self.month}/{self.slug}"

    def path(self, fmt: str) -> Path:
        """The file of one format."""
        return self.folder / f"report.{fmt}"


def report_folder(root: Path, *, month: str, slug: str) -> Path:
    """Where one report is stored."""
    return root / month / slug


def list_reports(root: Path) -> list[StoredReport]:
    """Every complete report under `root` (all four files present), newest month first."""
    found: list[StoredReport] = []
    if not root.is_dir():
        return found
    for month_dir in sorted(root.iterdir(), reverse=True):
        if not (month_dir.is_dir() and _MONTH_DIR.match(month_dir.name)):
            continue
        for folder in sorted(month_dir.iterdir()):
            report = _read(folder, month_dir.name)
            if report is not None:
                found.append(report)
    return found


def find_report(root: Path, *, month: str, slug: str) -> StoredReport | None:
    """One report by month and scope slug, if it exists (names are checked, not trusted)."""
    if not (_MONTH_DIR.match(month) and _SCOPE_DIR.match(slug)):
        return None
    return _read(report_folder(root, month=month, slug=slug), month)


def _read(folder: Path, month: str) -> StoredReport | None:
    if not (folder.is_dir() and _SCOPE_DIR.match(folder.name)):
        return None
    if not all((folder / f"report.{fmt}").is_file() for fmt in FORMATS):
        return None
    try:
        scope = json.loads((folder / "report.json").read_text(encoding="utf-8"))["scope"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return StoredReport(
        month=month,
        slug=folder.name,
        scope_kind=str(scope.get("kind", "all")),
        scope_value=scope.get("value"),
        folder=folder,
    )
