"""Filling a DataTable whose columns change with what it shows (reports, tallies, previews)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable


def _width(value: Any) -> int:
    if isinstance(value, Text):
        return value.cell_len
    return max((cell_len(line) for line in str("" if value is None else value).splitlines()), default=0)


def rebuild_table(table: DataTable, headers: Sequence[Any], rows: Iterable[Sequence[Any]],
                  keys: Iterable[str | None] | None = None) -> None:
    """Replace the columns and rows of ``table``; each column as wide as its widest cell (Chinese counts two).

    Widths are set here rather than left to the table: a table rebuilt twice before it next paints (two loads
    racing on a busy machine) was seen keeping the widths of its headers only, cutting 临沂大酒店 to 临沂大酒.
    """
    rows = [list(r) for r in rows]
    widths = [_width(h) for h in headers]
    for row in rows:
        for i, value in enumerate(row[:len(widths)]):
            widths[i] = max(widths[i], _width(value))
    table.clear(columns=True)
    for header, width in zip(headers, widths, strict=True):
        table.add_column(header, width=width)
    for row, key in zip(rows, keys if keys is not None else [None] * len(rows), strict=True):
        table.add_row(*row, key=key)


class SizedTable(DataTable):
    """A DataTable whose auto-width columns grow the moment a row is added.

    Textual measures new rows later, when the table is idle; a table filled while its tab is hidden, or filled
    twice in a row, was seen showing columns as wide as their headers only until the next repaint of its rows.
    """

    def add_row(self, *cells: Any, height: int | None = 1, key: str | None = None, label: Any = None):
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        for column, value in zip(self.ordered_columns, cells, strict=False):
            if column.auto_width:
                column.content_width = max(column.content_width, _width(value))
        return row_key
