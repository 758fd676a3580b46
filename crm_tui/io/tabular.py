"""Read spreadsheet files into rows: ``.xlsx`` ``.xlsm`` ``.xlsb`` ``.xls`` ``.ods`` and ``.csv``.

Workbooks are read with python-calamine (imported on first use: it is much faster than openpyxl and
start-up must stay fast). CSV may be UTF-8, UTF-8 with a BOM, UTF-16 with a BOM, or GBK/GB18030; the
encoding and the delimiter (comma, tab, semicolon) are detected.

What a caller gets::

    table = read_table("customers.xlsx")            # first visible sheet; or sheet="客户" / sheet=1
    for row in table.rows:                          # blank rows are already skipped
        row.sheet, row.number, row.cells            # number is the row as Excel shows it (1-based)
    with open_tables("customers.xlsx") as tables:   # opened and limit-checked once for several reads
        tables.names, tables.read("客户")

A cell is ``None`` (empty, or only whitespace), ``str``, ``float`` (every number from a workbook is a float: a phone typed as a
number arrives as ``13800138000.0``), ``bool``, ``datetime.datetime`` / ``datetime.date`` (calamine gives a
``date`` for a date cell at midnight), ``datetime.time`` or ``datetime.timedelta``. CSV cells are ``str`` or
``None``. Whitespace-only cells count as empty. Row numbers count title rows and blank rows, exactly like the row headers in Excel, so an error
message can point at the row the user sees. Trailing empty cells of a row are dropped.

A merged cell spanning several rows (a 业务员 or 片区 merged down over its customers, a header merged over
two header rows) gives its value to every row it covers, in its first column, as the sheet shows it. In a
CSV file, a cell written as ``="001234"`` (how web systems keep leading zeros in Excel) is ``001234``, and
``NULL`` or ``\\N`` (a database export's empty field) is empty.

``TableError`` (a ``ValidationError``) is raised for a file that cannot be read: unknown extension, damaged
workbook, unknown sheet, undecodable CSV.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from crm_tui.core.errors import ValidationError
from crm_tui.i18n import _

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
SUFFIXES = WORKBOOK_SUFFIXES + CSV_SUFFIXES


class TableError(ValidationError):
    """The file as a whole cannot be read (the message names the file)."""


@dataclass(frozen=True, slots=True)
class Row:
    sheet: str
    number: int  # as Excel shows it: 1-based, counting title and blank rows
    cells: tuple  # raw cell values, None for empty, trailing empties dropped


@dataclass(slots=True)
class Table:
    file: str  # the file name shown in messages (no folder)
    sheet: str
    rows: list[Row]  # non-blank rows only, in order


def is_blank(value: object) -> bool:
    """True for None and for strings of whitespace only (including the full-width space)."""
    return value is None or (value.__class__ is str and (not value or value.isspace()))


def sheet_names(path: str | Path) -> list[str]:
    """Names of the visible sheets (a CSV file has one, named after the file)."""
    with open_tables(path) as tables:
        return tables.names


def read_table(path: str | Path, sheet: str | int | None = None) -> Table:
    """Read one sheet: by name, by 0-based index among visible sheets, or the first visible one."""
    with open_tables(path) as tables:
        return tables.read(sheet)


def read_tables(path: str | Path) -> Iterator[Table]:
    """Every visible sheet of the file, in workbook order."""
    with open_tables(path) as tables:
        for name in tables.names:
            yield tables.read(name)


class TableFile:
    """A spreadsheet file opened once, for its sheet names and any of its sheets.

    Opening a workbook checks its limits (``io/limits.py``), which unpacks the whole sheet XML: a caller
    that asks for the names and then a sheet pays for that once instead of twice.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._book = None if _is_csv(self.path) else _open_workbook(self.path)

    @property
    def names(self) -> list[str]:
        """Names of the visible sheets (a CSV file has one, named after the file)."""
        return [self.path.stem] if self._book is None else _visible_sheets(self._book)

    def read(self, sheet: str | int | None = None) -> Table:
        """One sheet: by name, by 0-based index among visible sheets, or the first visible one."""
        path = self.path
        with bulk_allocation():
            if self._book is None:
                if sheet not in (None, 0, path.stem):
                    raise TableError(_("{file}: a CSV file has no sheet {sheet}").format(file=path.name, sheet=sheet))
                return Table(path.name, path.stem, list(_csv_rows(path, path.stem)))
            name = _pick_sheet(path, self._book, sheet)
            return Table(path.name, name, list(_sheet_rows(path, self._book, name)))

    def close(self) -> None:
        if self._book is not None:
            self._book.close()


@contextmanager
def open_tables(path: str | Path) -> Iterator[TableFile]:
    """``with open_tables(path) as tables: tables.names, tables.read(sheet)`` (see ``TableFile``)."""
    tables = TableFile(path)
    try:
        yield tables
    finally:
        tables.close()


def iter_rows(path: str | Path, sheet: str | int | None = None) -> Iterator[Row]:
    """The non-blank rows of one sheet (see ``read_table``)."""
    yield from read_table(path, sheet).rows


@contextmanager
def bulk_allocation():
    """Pause the cyclic garbage collector while millions of cells become tuples and dicts.

    Those objects hold no cycles, but each collection walks all of them: 100,000 rows spend 10-15 % of
    their time in it. Reference counting still frees everything; the collector resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --- workbooks ----------------------------------------------------------------------------------


_WORKBOOK_MAGIC = (b"PK\x03\x04", bytes.fromhex("D0CF11E0A1B11AE1"))  # zip (xlsx, ods), compound file (xls)


def _is_csv(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return True
    if suffix in WORKBOOK_SUFFIXES:
        return _disguised_text(path)
    raise TableError(
        _("{file}: unsupported file type; expected one of {types}").format(
            file=path.name, types=", ".join(SUFFIXES)
        )
    )


def _disguised_text(path: Path) -> bool:
    """True for a "workbook" that is really tab- or comma-separated text, as many systems export .xls.

    HTML or XML saved under a workbook name is refused with advice instead of being misread.
    """
    try:
        with path.open("rb") as f:
            head = f.read(512)
    except OSError:
        return False  # _open_workbook reports it
    if not head or head.startswith(_WORKBOOK_MAGIC):
        return False
    if not _looks_like_text(head):
        raise TableError(_("{file} is not an Excel workbook ({suffix})").format(
            file=path.name, suffix=path.suffix.lower()))
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<") or text.startswith(b"\xff\xfe<") or b"<html" in head.lower():
        raise TableError(
            _(
                "{file}: this is a web page or XML saved with a workbook name; open it in Excel and save it as .xlsx"
            ).format(file=path.name)
        )
    return True


_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x1a")


def _looks_like_text(head: bytes) -> bool:
    """Text (which some systems save under a workbook's name) has no control bytes, unless it is UTF-16."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    return not any(b in _CONTROL for b in head)


def _open_workbook(path: Path):
    import python_calamine  # lazy: keep start-up fast

    if not path.is_file():
        raise TableError(_("{file}: file not found").format(file=path))
    from crm_tui.io.limits import workbook_problem

    problem = workbook_problem(path)  # before the reader unpacks it: a zip bomb is refused at once, in little memory
    if problem:
        raise TableError(problem)
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types for damaged files
        error = exc
    try:  # an .xls renamed to .xlsx or the other way round: let calamine go by the content instead
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    except Exception:
        raise TableError(
            _("{file}: cannot read the workbook ({reason})").format(file=path.name, reason=error)
        ) from None


def _visible_sheets(book) -> list[str]:
    try:
        names = [m.name for m in book.sheets_metadata if str(m.visible).endswith("Visible")]
    except Exception:  # metadata missing in some formats: every sheet counts
        names = []
    return names or list(book.sheet_names)


def _pick_sheet(path: Path, book, sheet: str | int | None) -> str:
    visible = _visible_sheets(book)
    if sheet is None:
        if not visible:
            raise TableError(_("{file}: the workbook has no sheets").format(file=path.name))
        return visible[0]
    if isinstance(sheet, int):
        if 0 <= sheet < len(visible):
            return visible[sheet]
    elif sheet in book.sheet_names:
        return sheet
    raise TableError(
        _("{file}: no sheet {sheet}; the sheets are {names}").format(
            file=path.name, sheet=sheet, names=", ".join(visible)
        )
    )


def _sheet_rows(path: Path, book, name: str) -> Iterator[Row]:
    try:
        # skip_empty_area=False keeps the grid anchored at A1, so index + 1 is the Excel row number
        sheet = book.get_sheet_by_name(name)
        grid = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges
    except Exception as exc:
        raise TableError(
            _("{file}, sheet {sheet}: cannot read ({reason})").format(file=path.name, sheet=name, reason=exc)
        ) from None
    if merged:
        fill_merged_down(grid, merged)
    return rows_from_grid(name, grid)


def fill_merged_down(grid: list[list], ranges) -> None:
    """Copy the value of each merged range spanning several rows into the rows below it (first column only).

    ``ranges`` are ``((first_row, first_col), (last_row, last_col))``, 0-based, as python-calamine gives them;
    the grid is anchored at A1. Cells across a range's other columns stay empty, so a value never lands in
    a neighbouring field's column.
    """
    height = len(grid)
    for (top, col), (bottom, _last_col) in ranges:
        if bottom <= top or top >= height:
            continue
        head = grid[top]
        value = head[col] if col < len(head) else None
        if is_blank(value):
            continue
        for r in range(top + 1, min(bottom, height - 1) + 1):
            row = grid[r]
            if col < len(row) and is_blank(row[col]):
                row[col] = value


def rows_from_grid(sheet: str, grid: Sequence[Sequence], first: int = 1) -> Iterator[Row]:
    """Rows of a grid of cell values whose first row is row ``first`` (e.g. a table pasted in the TUI):
    empty and whitespace-only cells become None, blank rows are skipped, trailing empties dropped."""
    for number, values in enumerate(grid, first):
        cells = [None if v.__class__ is str and (not v or v.isspace()) else v for v in values]
        end = len(cells)
        while end and cells[end - 1] is None:
            end -= 1
        if end == 0:
            continue  # blank row
        yield Row(sheet, number, tuple(cells[:end]))


# --- CSV ----------------------------------------------------------------------------------------


_CSV_NULLS = frozenset(("NULL", "null", "\\N"))  # how databases write an empty field


def _csv_cell(v: str) -> str:
    """``="001234"`` -> ``001234`` (the formula web exports write so that Excel keeps a code as text);
    ``NULL`` and ``\\N`` -> empty."""
    if v.startswith('="') and v.endswith('"') and len(v) > 2:
        return v[2:-1]
    return "" if v in _CSV_NULLS else v


def _csv_rows(path: Path, sheet: str) -> Iterator[Row]:
    if not path.is_file():
        raise TableError(_("{file}: file not found").format(file=path))
    text = decode_csv(path.read_bytes(), path.name).lstrip("\ufeff")  # a second BOM: saved twice with one
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        grid = list(reader)  # a record with a quoted line break is still one row, as in Excel
    except csv.Error as exc:
        raise TableError(
            _("{file}: not a valid CSV file ({reason})").format(file=path.name, reason=exc)
        ) from None
    if '="' in text or "NULL" in text or "null" in text or "\\N" in text:
        grid = [[_csv_cell(v) for v in row] for row in grid]
    return rows_from_grid(sheet, grid)


def decode_csv(data: bytes, name: str = "") -> str:
    """Decode CSV bytes: BOM first (UTF-8, UTF-16), else strict UTF-8, else GB18030 (a superset of GBK).

    A UTF-8 BOM in front of GBK text (some tools add one to whatever they write) falls back to GB18030; so
    does each line of a file that starts in UTF-8 and goes on in GBK (rows appended by another program).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass  # reported below
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            valid = data[: exc.start]
        try:
            if not valid.isascii():  # Chinese in UTF-8, then GBK: rows appended by another program
                return "".join(_decode_line(line) for line in data.splitlines(keepends=True))
            return data.decode("gb18030")
        except UnicodeDecodeError:
            pass
    raise TableError(
        _("{file}: the CSV text is neither UTF-8 nor GBK; save it again as CSV UTF-8").format(file=name)
    )


def _decode_line(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("gb18030")


def _sniff_delimiter(text: str) -> str:
    # The first line is the header or a title; the most frequent candidate wins, comma on a tie.
    first = text.split("\n", 5)[:5]
    counts = {d: sum(line.count(d) for line in first) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","
