"""The terminal chart of an analysis (textual-plotext): bar, line or stacked bar over the first rows.

Plotext counts every character as one column, so a Chinese label (two columns wide) would push the plot out of
line: labels that are not all narrow fall back to the row's code, else to its position. Series names go in a
legend line under the plot (drawn by Textual, which measures wide characters) instead of plotext's own.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.cells import cell_len

from crm_tui.i18n import _

MAX_BARS = 12
MAX_LABEL = 10


def narrow(text: str) -> bool:
    return cell_len(text) == len(text)


def chart_labels(report: Any, rows: list[dict]) -> list[str]:
    """The x labels: the chart's label column where every one is narrow, else the code column, else 1, 2, …"""
    chart = report.chart
    for key in (chart.label, chart.code):
        if key is None:
            continue
        labels = ["" if r.get(key) is None else str(r.get(key)) for r in rows]
        if all(narrow(x) for x in labels):
            return [x[:MAX_LABEL] for x in labels]
    return [str(i) for i in range(1, len(rows) + 1)]


def legend(report: Any) -> str:
    labels = {c.key: _(c.label) for c in report.columns}
    return "  ".join(f"{i}. {labels.get(key, key)}" for i, key in enumerate(report.chart.series, start=1))


def _number(value: Any) -> float:
    if value is None:
        return 0.0
    return float(value) if isinstance(value, Decimal | int | float) else 0.0  # plotting only, never money maths


def _ticks(labels: list[str], width: int | None) -> tuple[list[int], list[str]]:
    """Every label, or every k-th one when ``width`` (the plot's columns) cannot hold them all. Chosen here, not
    by plotext: its own choice depends on what it drew before, so the same chart came out differently."""
    step = 1
    if width:
        room = max(1.0, (width - 8) / max(len(labels), 1))  # columns per bar beside the y axis
        widest = max((len(x) for x in labels), default=1) + 3  # room to spare: plotext shifts crowded labels
        step = max(1, -(-widest // int(room)) if room >= 1 else len(labels))
    positions = list(range(1, len(labels) + 1))
    return positions[::step], labels[::step]


def draw(plt, report: Any, width: int | None = None) -> bool:
    """Draw ``report``'s chart on plotext ``plt`` (``width``: the plot's columns, for the x labels); False when
    there is nothing to draw."""
    plt.clear_data()
    plt.clear_figure()
    chart = report.chart
    rows = [r for r in report.rows if chart and any(r.get(k) is not None for k in chart.series)][:MAX_BARS]
    if chart is None or not rows:
        return False
    labels = chart_labels(report, rows)
    series = [[_number(r.get(k)) for r in rows] for k in chart.series]
    xs = list(range(1, len(rows) + 1))
    if chart.kind == "line":
        for values in series:
            plt.plot(xs, values, marker="braille")
    elif chart.kind == "stacked" and len(series) > 1:
        plt.stacked_bar(xs, series)
    elif len(series) > 1:
        plt.multiple_bar(xs, series)
    else:
        plt.bar(xs, series[0])
    plt.xticks(*_ticks(labels, width))
    return True
