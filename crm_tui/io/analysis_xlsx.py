"""An analysis as an Excel workbook: the table, the rule under it and a native chart beside it (openpyxl)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

FORMATS = {"money": "#,##0.00", "rate": "0.0%", "decimal": "#,##0.####", "integer": "0", "date": "yyyy-mm-dd"}


def write_report(report: Any, path: str | Path) -> Path:
    """Write ``report`` (a services.analysis Report) to ``path``; returns the path."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    book = Workbook()
    ws = book.active
    ws.title = report.shown_title[:31]
    columns = report.columns
    ws.append([c.shown_label for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in report.rows:
        ws.append([_value(row.get(c.key)) for c in columns])
    for i, column in enumerate(columns, start=1):
        fmt = FORMATS.get(column.kind)
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, max_row=len(report.rows) + 1, min_col=i, max_col=i):
                cell.number_format = fmt
        width = max([len(column.shown_label) * 2, *(len(str(r.get(column.key) or "")) * 2 for r in report.rows[:200])])
        ws.column_dimensions[get_column_letter(i)].width = min(max(width, 8), 40)
    last = len(report.rows) + 1
    ws.cell(row=last + 2, column=1, value=report.rule)
    for n, note in enumerate(report.notes):
        ws.cell(row=last + 3 + n, column=1, value=note)
    chart = report.chart
    keys = [c.key for c in columns]
    if chart is not None and report.rows and chart.label in keys:
        made = LineChart() if chart.kind == "line" else BarChart()
        if chart.kind == "stacked":
            made.grouping, made.overlap = "stacked", 100
        made.title = report.shown_title
        shown = min(len(report.rows), 30)  # a readable chart: the first 30 rows (the list is sorted)
        for key in chart.series:
            if key in keys:
                col = keys.index(key) + 1
                made.add_data(Reference(ws, min_col=col, min_row=1, max_row=shown + 1), titles_from_data=True)
        label_col = keys.index(chart.label) + 1
        made.set_categories(Reference(ws, min_col=label_col, min_row=2, max_row=shown + 1))
        made.width, made.height = 18, 9
        ws.add_chart(made, f"{get_column_letter(len(columns) + 2)}2")
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _value(value: Any) -> Any:
    if isinstance(value, Decimal | date | int | float) or value is None:
        return value
    return str(value)
