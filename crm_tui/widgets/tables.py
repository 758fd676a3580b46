"""Filling a DataTable whose columns change with what it shows (reports, tallies, previews)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.widgets import DataTable

ELLIPSIS = "…"


def cut(text: str, width: int) -> str:
    """``text`` on one line in at most ``width`` cells, cut at the end with an ellipsis (wide characters count two)."""
    text = " ".join(text.split()) if "\n" in text or "\t" in text else text
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1) + ELLIPSIS if width > 0 else ""


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


# 1,234.50  -3  12.5%  but not a phone number or a long all-digit code (those read left to right)
NUMBER = re.compile(r"-?(\d{1,3}(,\d{3})+|\d{1,7})(\.\d+)?%?")


def numbers_right(value: Any) -> Any:
    """Amounts, quantities and percentages line up on the right, as on paper; other cells as they are."""
    if isinstance(value, str) and NUMBER.fullmatch(value):
        return Text(value, justify="right")
    return value


class SizedTable(DataTable):
    """A DataTable whose auto-width columns grow the moment a row is added, and whose key column stays put.

    Textual measures new rows later, when the table is idle; a table filled while its tab is hidden, or filled
    twice in a row, was seen showing columns as wide as their headers only until the next repaint of its rows.
    """

    def __init__(self, *args: Any, fixed_columns: int = 1, **kwargs: Any):
        # The first column (a code or number) names the row: it stays in view when the table scrolls right.
        super().__init__(*args, fixed_columns=fixed_columns, **kwargs)

    def add_row(self, *cells: Any, height: int | None = 1, key: str | None = None, label: Any = None):
        cells = tuple(numbers_right(c) for c in cells)
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        for column, value in zip(self.ordered_columns, cells, strict=False):
            if column.auto_width:
                column.content_width = max(column.content_width, _width(value))
        return row_key
