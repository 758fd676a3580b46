"""Write ``.xlsx`` workbooks: exports and error workbooks (openpyxl, imported on first use).

Exports use the import headers (``columns_for(specs)``), so an exported file can be edited and imported
back. Each sheet has a bold, frozen header row and column widths that count wide (Chinese) characters
as two. Values are written by column kind:

* ``money`` - ``Decimal`` written as an exact number, format ``#,##0.00``
* ``decimal`` / ``integer`` - numbers as given; ``rate`` - ``0.13`` shown as ``13.00%``
* ``date`` / ``datetime`` - real Excel dates (``yyyy-mm-dd``, ``yyyy-mm-dd hh:mm``)
* ``text`` - strings stay strings, so phones and codes keep their digits and leading zeros; a string
  starting with ``=`` is written as text, never as a formula
* ``auto`` - by the value's type (used for the raw cells of an error workbook)

Usage::

    export_records("customers.xlsx", SPECS, dicts, sheet="客户")                   # dicts: key -> value
    write_workbook("report.xlsx", [Sheet("客户", columns_for(SPECS), rows)])      # rows: sequences
    write_error_workbook("errors.xlsx", headers, raw_rows, reasons)

Large exports stream through openpyxl's write-only mode; only the first ``WIDTH_SAMPLE`` rows are held
to size the columns. The file is written to a temporary name and renamed, so a failed export never
leaves half a file behind.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from crm_tui.i18n import _
from crm_tui.io import cells

KINDS = ("text", "money", "decimal", "rate", "integer", "date", "datetime", "auto")
FORMATS = {
    "money": "#,##0.00",
    "rate": "0.00%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "time": "hh:mm:ss",
}
WIDTH_SAMPLE = 1000
_INF = float("inf")
MIN_WIDTH, MAX_WIDTH = 6, 60

# which parser implies which export format (FieldSpec.kind overrides)
_KIND_OF_PARSER = {
    cells.money: "money",
    cells.decimal: "decimal",
    cells.quantity: "decimal",
    cells.rate: "rate",
    cells.integer: "integer",
    cells.date: "date",
    cells.datetime: "datetime",
}


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: str = "text"
    width: float | None = None  # in characters; None = fit the content


@dataclass(slots=True)
class Sheet:
    name: str
    columns: Sequence[Column | str]
    rows: Iterable[Sequence[Any]]


def kind_of(spec: Any) -> str:
    """The export kind of a FieldSpec: its ``kind``, else the kind its parser implies, else text."""
    if getattr(spec, "kind", None):
        return spec.kind
    parse = spec.parse
    while parse not in _KIND_OF_PARSER and hasattr(parse, "__wrapped__"):
        parse = parse.__wrapped__
    return _KIND_OF_PARSER.get(parse, "text")


def columns_for(specs: Iterable[Any]) -> list[Column]:
    """Export columns with the canonical import headers of ``specs``, in order."""
    return [Column(s.header, kind_of(s)) for s in specs]


def display_width(text: str) -> int:
    """Terminal/Excel width: East Asian wide and full-width characters count two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_workbook(path: str | Path, sheets: Sequence[Sheet]) -> Path:
    """Write the sheets to ``path`` (.xlsx) and return the path."""
    from openpyxl import Workbook

    path = Path(path)
    book = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(book, sheet)
    return _save(book, path)


def export_records(
    path: str | Path, specs: Sequence[Any], records: Iterable[Mapping[str, Any]], *, sheet: str
) -> Path:
    """Export mappings (field key -> value) under the import headers of ``specs``: the file re-imports.

    ``records`` may be a generator over a query; an empty one writes a template with headers only.
    """
    specs = tuple(specs)
    keys = [s.key for s in specs]
    rows = ([record.get(k) for k in keys] for record in records)
    return write_workbook(path, [Sheet(sheet, columns_for(specs), rows)])


def write_error_workbook(
    path: str | Path,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    reasons: Sequence[str],
    *,
    sheet: str | None = None,
) -> Path:
    """The rejected rows under their original headers plus a reason column (ignored on re-import)."""
    rows = [list(r) for r in rows]
    if len(rows) != len(reasons):
        raise ValueError("one reason per row is needed")
    width = max([len(headers), *map(len, rows)])
    headers = [("" if h is None else h) for h in headers] + [""] * (width - len(headers))
    columns = [Column(str(h), "auto") for h in headers] + [Column(_("Error reason"), "text", width=50)]
    body = (raw + [None] * (width - len(raw)) + [reason] for raw, reason in zip(rows, reasons, strict=True))
    return write_workbook(path, [Sheet(sheet or _("Errors"), columns, body)])


# --- internals ----------------------------------------------------------------------------------


def _write_sheet(book, sheet: Sheet) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = book.create_sheet(_sheet_title(sheet.name))
    columns = [c if isinstance(c, Column) else Column(str(c)) for c in sheet.columns]
    rows = iter(sheet.rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE))
    # sheet views and column widths must be set before the first row is streamed out
    ws.freeze_panes = "A2"
    for index, column in enumerate(columns):
        width = column.width or _fit_width(column, [r[index] if index < len(r) else None for r in sample])
        ws.column_dimensions[get_column_letter(index + 1)].width = width
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    kinds = [c.kind for c in columns]
    for row in itertools.chain(sample, rows):
        ws.append(
            [
                _cell(ws, WriteOnlyCell, kinds[i] if i < len(kinds) else "auto", v, wrap)
                for i, v in enumerate(row)
            ]
        )


def _cell(ws, make, kind: str, value: Any, wrap) -> Any:
    if value is None:
        return None
    cls = value.__class__
    if cls is str:
        if not value.isprintable():
            from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if "\n" in value:
                cell = make(ws, value=value)
                cell.data_type = "s"
                cell.alignment = wrap
                return cell
        if value.startswith("="):
            cell = make(ws, value=value)
            cell.data_type = "s"  # text that looks like a formula stays text
            return cell
        return value
    if kind == "text" and cls in (float, int, Decimal):
        return cells.text(value)  # keep codes and phones as text in a text column
    fmt = None
    if cls is dt.datetime:
        if value.tzinfo is not None:
            value = value.astimezone().replace(tzinfo=None)
        fmt = FORMATS["date"] if kind == "date" else FORMATS["datetime"]
    elif cls is dt.date:
        fmt = FORMATS["date"]
    elif cls is dt.time:
        fmt = FORMATS["time"]
    elif cls is Decimal or cls is float:
        return _exact_number(ws, make, value, FORMATS.get(kind))
    elif kind in ("money", "rate") and cls is int:
        fmt = FORMATS[kind]
    if fmt is None:
        return value
    cell = make(ws, value=value)
    cell.number_format = fmt
    return cell


def _exact_number(ws, make, value: Decimal | float, fmt: str | None) -> Any:
    # openpyxl writes numbers with "%.16g" through a float, so Decimal("9.30") would become
    # 9.300000000000001; hand it the exact digits as the cell text and mark the cell numeric instead.
    if value.__class__ is Decimal:
        if not value.is_finite():
            return None
        digits = format(value, "f")
    else:
        if value != value or value in (_INF, -_INF):
            return None
        digits = repr(value)
    cell = make(ws, value=digits)
    cell.data_type = "n"
    if fmt is not None:
        cell.number_format = fmt
    return cell


def _fit_width(column: Column, values: list[Any]) -> float:
    widest = display_width(column.header) + 2  # room for the filter button
    for value in values:
        if value is None:
            continue
        widest = max(widest, _value_width(column.kind, value))
    return max(MIN_WIDTH, min(MAX_WIDTH, widest + 1))


def _value_width(kind: str, value: Any) -> int:
    cls = value.__class__
    if cls is str:
        return max(display_width(line) for line in value.split("\n")) if value else 0
    if cls is dt.datetime:
        return 16
    if cls is dt.date:
        return 10
    if kind == "money" and cls in (Decimal, float, int):
        return len(f"{Decimal(str(value)):,.2f}")
    return display_width(cells.text(value))


def _sheet_title(name: str) -> str:
    # Excel refuses []:*?/\ in sheet names and more than 31 characters
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'") or "Sheet"
    return cleaned[:31]


def _save(book, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        book.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
