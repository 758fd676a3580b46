"""At narrow widths the analysis table shows the leading columns that fit, so it never scrolls sideways; the
highlighted row's other columns are written out under it (label and value), wrapped by Textual."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len

PADDING = 2  # a DataTable cell's padding, one column either side


def fitting(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> int:
    """How many leading columns fit in ``width`` terminal columns (at least one, the one naming the row)."""
    used = 0
    for i, header in enumerate(headers):
        used += max([cell_len(header), *(cell_len(r[i]) for r in rows)]) + PADDING
        if used > width:
            return max(i, 1)
    return len(headers)


def rest_of_row(headers: Sequence[str], row: Sequence[str], shown: int) -> str:
    """The columns from ``shown`` on, as "label value · label value" (empty cells left out)."""
    return " · ".join(f"{h} {v}" for h, v in zip(headers[shown:], row[shown:], strict=True) if v)
