"""The report's four files: self-contained, consistent with each other, byte-identical."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path

from schemas.registry import ChannelRegistry
from services.report.build import generate, generate_month
from services.report.domain.figures import Scope
from services.report.domain.month import Month
from services.report.store import find_report, list_reports
from tests.unit.report.synthetic import november

NOV = Month.parse("2026-11")


def test_two_runs_give_byte_identical_files(registry: ChannelRegistry, tmp_path: Path) -> None:
    one = generate(data=november(), month=NOV, scope=Scope(), registry=registry, out=tmp_path / "1")
    two = generate(data=november(), month=NOV, scope=Scope(), registry=registry, out=tmp_path / "2")
    assert sorted(one) == ["csv", "html", "json", "pdf"]
    for fmt in one:
        assert one[fmt].read_bytes() == two[fmt].read_bytes(), fmt


def test_the_html_is_self_contained(registry: ChannelRegistry, tmp_path: Path) -> None:
    paths = generate(data=november(), month=NOV, scope=Scope(), registry=registry, out=tmp_path)
    html = paths["html"].read_text()
    assert html.count("<svg") >= 5  # platform, day, two response charts, the campaign's day
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<script" not in html and "<link" not in html
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # the charts' ids do not collide
    headings = ("Volume", "Held out of hours", "Response times", "Replies", "Guidance findings",
                "Dead letters", "NHS Careers month (#NHSCareers)")  # fmt: skip
    for heading in headings:
        assert heading in html


def test_csv_and_json_carry_the_same_figures(registry: ChannelRegistry, tmp_path: Path) -> None:
    paths = generate(data=november(), month=NOV, scope=Scope(), registry=registry, out=tmp_path)
    figures = json.loads(paths["json"].read_text())
    rows = list(csv.DictReader(io.StringIO(paths["csv"].read_text())))
    by_path = {(r["section"], r["figure"]): r["value"] for r in rows}
    assert by_path[("volume", "total")] == "8"
    assert by_path[("response", "first_response.by_queue.press.median_hours")] == "2.75"
    assert by_path[("campaigns", "careers.items")] == "2"
    assert by_path[("held", "wait_median_hours")] == str(figures["held"]["wait_median_hours"])
    assert all(r["month"] == "2026-11" and r["scope"] == "all" for r in rows)


def test_the_pdf_is_a_pdf(registry: ChannelRegistry, tmp_path: Path) -> None:
    paths = generate(data=november(), month=NOV, scope=Scope(), registry=registry, out=tmp_path)
    data = paths["pdf"].read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert b"/CreationDate" not in data


def test_a_month_is_stored_per_queue_and_listed(registry: ChannelRegistry, tmp_path: Path) -> None:
    generate_month(data=november(), month=NOV, registry=registry, root=tmp_path)
    reports = list_reports(tmp_path)
    # The organisation's report and one per queue active in the month.
    assert [r.slug for r in reports] == [
        "all", "queue-digital", "queue-local_kent-surrey-sussex", "queue-press"
    ]  # fmt: skip
    everything = find_report(tmp_path, month="2026-11", slug="all")
    assert everything is not None and everything.scope_kind == "all"
    press = find_report(tmp_path, month="2026-11", slug="queue-press")
    assert press is not None and (press.scope_kind, press.scope_value) == ("queue", "press")
    assert find_report(tmp_path, month="2026-11", slug="../etc") is None
    assert find_report(tmp_path, month="2026-13", slug="all") is None


def test_the_pdf_renders_to_an_image(registry: ChannelRegistry, tmp_path: Path) -> None:
    # What docs/screenshots/ are made with: poppler reads the PDF and draws its first page.
    paths = generate(data=november(), month=NOV, scope=Scope(), registry=registry, out=tmp_path)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(paths["pdf"]),
         str(tmp_path / "page")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    png = next(tmp_path.glob("page*.png")).read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 2_000
