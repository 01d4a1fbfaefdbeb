"""The report as one self-contained HTML page: inline CSS, inline SVG charts, no links out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from services.report import charts
from services.report.domain.figures import Figures

_CSS = """
@page { size: A4; margin: 1.5cm 1.6cm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #212b32; margin: 2em auto;
       max-width: 52em; font-size: 10.5pt; line-height: 1.4; }
h1 { color: #003087; font-size: 18pt; margin-bottom: 0.2em; }
h2 { color: #005eb8; font-size: 13.5pt; border-bottom: 2px solid #005eb8; margin-top: 1.6em;
     page-break-after: avoid; }
h3 { font-size: 11pt; margin-bottom: 0.3em; page-break-after: avoid; }
table { border-collapse: collapse; margin: 0.4em 0 1em; page-break-inside: avoid;
        font-size: 9pt; }
th, td { border-bottom: 1px solid #d8dde0; padding: 0.2em 0.7em; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.lead { color: #4c6272; }
.kpi { display: inline-block; margin: 0 1.5em 0.5em 0; }
.kpi b { display: block; font-size: 16pt; color: #003087; }
figure { margin: 0.5em 0 1em; page-break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
.note { font-size: 9pt; color: #4c6272; }
"""

_SCOPE = {"all": "all channels", "queue": "queue {v}", "channel": "channel {v}"}
_STAT_COLS = [
    ("items", "Items"),
    ("met", "Met"),
    ("not_met", "Not yet"),
    ("median_hours", "Median h"),
    ("p90_hours", "p90 h"),
    ("target_hours", "Target h"),
    ("within_target_percent", "Within %"),
    ("met_out_of_hours", "Out of hours"),
]


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    return escape(str(value))


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]], numeric_from: int = 1) -> str:
    head = "".join(
        f'<th{" class=n" if i >= numeric_from else ""} scope="col">{escape(h)}</th>'
        for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(f'<td{" class=n" if i >= numeric_from else ""}>{_fmt(v)}</td>'
                  for i, v in enumerate(row))
        + "</tr>"
        for row in rows
    )  # fmt: skip
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _counts(title: str, counts: Mapping[str, int]) -> str:
    return f"<h3>{escape(title)}</h3>" + _table([title, "Items"], counts.items())


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption class=note>{escape(caption)}</figcaption></figure>"


def _stats_table(label: str, groups: Mapping[str, Mapping[str, Any]]) -> str:
    rows = [[name, *(g[k] for k, _ in _STAT_COLS)] for name, g in groups.items()]
    return _table([label, *(t for _, t in _STAT_COLS)], rows)


class _Page:
    def __init__(self, figures: Figures) -> None:
        self.f = figures
        self.n = 0

    def chart_id(self) -> str:
        self.n += 1
        return f"c{self.n}"

    def volume(self) -> str:
        v = self.f["volume"]
        out = ["<h2 id=volume>Volume</h2>", self._kpi("Items received", v["total"])]
        if v["by_platform"]:
            svg = charts.bar_chart(self.chart_id(), v["by_platform"], title="Items by platform")
            out.append(_figure(svg, "Items received in the month, by platform."))
        svg = charts.day_chart(self.chart_id(), v["by_day"], title="Items by day")
        out.append(_figure(svg, "Items received each day (UK dates)."))
        out += [
            _counts("Platform", v["by_platform"]),
            _counts("Queue", v["by_queue"]),
            _counts("Kind", v["by_kind"]),
            _counts("Channel", v["by_channel"]),
        ]
        return "".join(out)

    def _kpi(self, label: str, value: Any) -> str:
        return f"<span class=kpi><b>{_fmt(value)}</b>{escape(label)}</span>"

    def held(self) -> str:
        h = self.f["held"]
        return "".join(
            [
                "<h2 id=held>Held out of hours</h2>",
                self._kpi("Held", h["count"]),
                self._kpi("Share of items %", h["share_percent"]),
                self._kpi("Median wait (h)", h["wait_median_hours"]),
                self._kpi("p90 wait (h)", h["wait_p90_hours"]),
                self._kpi("Longest wait (h)", h["wait_max_hours"]),
                "<p class=note>Wait: real (clock) hours from arrival to release at the next "
                "opening.</p>",
                _counts("Queue", h["by_queue"]) if h["by_queue"] else "",
            ]
        )

    def responses(self) -> str:
        out = ["<h2 id=response>Response times (office hours)</h2>"]
        titles = {"first_response": "First response", "resolution": "Resolution"}
        for target, title in titles.items():
            r = self.f["response"][target]
            out.append(f"<h3>{title}</h3>")
            out.append(_stats_table("All", {"All items": r["all"]}))
            queues = r["by_queue"]
            shown = {q: g for q, g in queues.items() if g["median_hours"] is not None}
            if shown:
                svg = charts.paired_chart(
                    self.chart_id(),
                    list(shown),
                    [g["median_hours"] for g in shown.values()],
                    [g["p90_hours"] for g in shown.values()],
                    names=("median", "p90"),
                    title=f"{title}: office hours by queue",
                    xlabel="office hours",
                )
                out.append(_figure(svg, f"{title} times in office hours, median and p90."))
            out.append(_stats_table("Queue", queues))
            out.append(_stats_table("Channel", r["by_channel"]))
        return "".join(out)

    def replies(self) -> str:
        r = self.f["replies"]
        names = {
            "submitted": "Replies written",
            "published": "Sent (published)",
            "failed": "Failed",
            "approval_requested": "Needed approval",
            "approved": "Approved",
            "rejected": "Rejected",
        }
        rows = [(names[k], r[k]) for k in names]
        return "<h2 id=replies>Replies</h2>" + _table(["Replies", "Count"], rows)

    def guidance(self) -> str:
        g = self.f["guidance"]
        if not g:
            return "<h2 id=guidance>Guidance findings</h2><p>No findings this month.</p>"
        severities = sorted({s for c in g.values() for s in c["by_severity"]})
        rows = [[check, c["findings"], *(c["by_severity"].get(s, 0) for s in severities)]
                for check, c in g.items()]  # fmt: skip
        return "<h2 id=guidance>Guidance findings</h2>" + _table(
            ["Check", "Findings", *severities], rows
        )

    def dead_letters(self) -> str:
        d = self.f["dead_letters"]
        if d is None:
            return ""
        return "".join(
            [
                "<h2 id=dead-letters>Dead letters</h2>",
                self._kpi("Inputs rejected", d["total"]),
                _counts("Source", d["by_source"]) if d["by_source"] else "",
                _counts("Error", d["by_error_type"]) if d["by_error_type"] else "",
            ]
        )

    def campaigns(self) -> str:
        out = ["<h2 id=campaigns>Campaigns</h2>"]
        if not self.f["campaigns"]:
            out.append("<p>No campaign was active this month.</p>")
        for c in self.f["campaigns"]:
            dates = f"from {c['start_date']}" + (f" to {c['end_date']}" if c["end_date"] else "")
            out += [
                f"<h3 id=campaign-{escape(c['campaign_id'])}>{escape(c['name'])} "
                f"(#{escape(c['hashtag'])})</h3>",
                f"<p class=lead>Owner {escape(c['owner_queue'])}, {escape(dates)}. "
                f"{c['items']} items this month.</p>",
            ]
            if c["by_day"]:
                svg = charts.day_chart(
                    self.chart_id(), c["by_day"], title=f"#{c['hashtag']} by day"
                )
                out.append(_figure(svg, f"Items tagged #{c['hashtag']} each day."))
            if c["by_channel"]:
                out.append(_counts("Channel", c["by_channel"]))
            out.append(_stats_table("First response", {"Campaign items": c["first_response"]}))
        return "".join(out)

    def render(self) -> str:
        scope = self.f["scope"]
        label = _SCOPE[scope["kind"]].format(v=scope["value"])
        title = f"Social media activity, {self.f['month']} ({label})"
        body = "".join(
            [
                f"<h1>{escape(title)}</h1>",
                f"<p class=lead>Built from the event log. Times in office hours of each "
                f"queue's calendar; dates in {escape(self.f['timezone'])}.</p>",
                self.volume(),
                self.held(),
                self.responses(),
                self.replies(),
                self.guidance(),
                self.dead_letters(),
                self.campaigns(),
                "<p class=note>Definitions of every figure: docs/reports.md.</p>",
            ]
        )
        return (
            "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
            f"<title>{escape(title)}</title><style>{_CSS}</style></head>"
            f"<body>{body}</body></html>\n"
        )


def render_html(figures: Figures) -> str:
    """The whole page."""
    return _Page(figures).render()
