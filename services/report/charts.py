"""Charts as inline SVG, drawn by matplotlib headless (Agg), byte-stable between runs.

Stability: a fixed hash salt (matplotlib derives clip-path ids from it), no date in the
metadata, text kept as text (no font glyph paths that depend on the installed fonts), and
every id prefixed per chart so several charts can share one HTML page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

_STYLE: Any = {
    "svg.hashsalt": "switchboard-report",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_BLUE, _DARK = "#005eb8", "#003087"  # NHS blue and dark blue
_ID = re.compile(r'(id="|url\(#|href="#)([^"()]+)')


def _svg(fig: Figure, prefix: str) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    return _ID.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", text)


def bar_chart(
    prefix: str, values: Mapping[str, float], *, title: str, xlabel: str = "items"
) -> str:
    """Horizontal bars, one per key, in the mapping's order (top to bottom)."""
    with plt.rc_context(_STYLE):
        labels = list(values)
        fig, ax = plt.subplots(figsize=(6.5, 0.32 * max(len(labels), 2) + 0.9))
        ax.barh(range(len(labels)), list(values.values()), color=_BLUE)
        ax.set_yticks(range(len(labels)), labels)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.set_title(title, loc="left")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        return _svg(fig, prefix)


def day_chart(prefix: str, values: Mapping[str, int], *, title: str) -> str:
    """Columns per day (keys are ISO dates), labelled by day of month."""
    with plt.rc_context(_STYLE):
        days = [d[-2:] for d in values]
        fig, ax = plt.subplots(figsize=(6.5, 2.2))
        ax.bar(range(len(days)), list(values.values()), color=_BLUE)
        ax.set_xticks(range(len(days)), days, fontsize=7)
        ax.set_ylabel("items")
        ax.set_title(title, loc="left")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        return _svg(fig, prefix)


def paired_chart(
    prefix: str,
    labels: Sequence[str],
    first: Sequence[float],
    second: Sequence[float],
    *,
    names: tuple[str, str],
    title: str,
    xlabel: str,
) -> str:
    """Two bars per label (e.g. median and p90 office hours per queue)."""
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(6.5, 0.45 * max(len(labels), 2) + 0.9))
        ys = range(len(labels))
        ax.barh([y - 0.2 for y in ys], first, height=0.4, color=_BLUE, label=names[0])
        ax.barh([y + 0.2 for y in ys], second, height=0.4, color=_DARK, label=names[1])
        ax.set_yticks(list(ys), list(labels))
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.set_title(title, loc="left")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        return _svg(fig, prefix)
