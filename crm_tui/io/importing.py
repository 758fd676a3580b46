"""The import framework: read a sheet, map its header, parse every cell, collect every error.

An area importer (customers, products, orders, …) declares its columns as ``FieldSpec``s and calls
``read_and_validate``; it gets back an ``ImportResult`` holding every data row parsed into typed values
and every problem found, then does its own database work (look-ups, matching, writing) on ``good_rows``,
adding problems it finds with ``result.reject(row, message, key)`` so that they print and land in the
error workbook exactly like cell errors::

    from crm_tui.io import cells
    from crm_tui.io.importing import FieldSpec, read_and_validate

    SPECS = (
        FieldSpec("code", "客户编号", ("编号", "code"), cells.code_text, unique=True),
        FieldSpec("name", "客户名称", ("名称", "客户", "公司名称", "customer name"), required=True, unique=True),
        FieldSpec("mobile", "手机", ("手机号码", "手机号", "移动电话"), cells.mobile),
        FieldSpec("credit_limit", "信用额度", ("credit limit",), cells.nonnegative(cells.money)),
    )
    result = read_and_validate("customers.xlsx", SPECS, progress=lambda done, total: ...)
    if not result.ok:
        for line in result.error_lines(): print(line)
        result.write_error_workbook("errors.xlsx")
    for row in result.good_rows:
        row.values["name"], row.values.get("mobile")    # only columns present in the file are in values

Rules:

* Rows above the header (titles) and blank rows are skipped; so is a row whose mapped cells are all empty
  (templates often pre-fill a ``序号`` column) or holds only zeros with every required cell empty (a
  template's formulas filled down), a totals row (its first text cell says 合计, 小计, 总计,
  汇总, Total …, or a form's 以下空白), and a repeat of the header row (reports print it on every page).
  ``ParsedRow.row`` is the row number Excel shows.
* An empty cell is ``None`` in ``values``; in a ``required`` field it is an error. A cell holding only
  invisible characters (a zero-width space) parses to ``""`` and counts as empty too, and so does a
  placeholder (``无``, ``-``, ``/``, ``N/A``, see ``cells.PLACEHOLDERS``) that the column's parser refuses
  (``邮箱: 无`` is no e-mail; a name ``无`` is still a name). A column that is not
  in the file has no entry in ``values`` at all (so an update can leave that field alone).
* A ``kind="money"`` column whose header gives the unit as 万元 or 千元 (``信用额度(万元)``) has its numbers
  multiplied accordingly (``50`` is 500,000.00).
* ``unique=True`` (or a key function) on a spec: a value repeated within the file is an error on the later
  row naming the earlier one. Parsed text is compared ignoring case and spaces (as ``cells.normalize_key`` does).
* ``checks``: callables ``check(values) -> iterable of (key or None, message)`` for cross-field rules; they
  run on rows whose cells all parsed.
* ``progress(done, total)`` is called with 0 once the file is read, every 1000 rows, and at the end; it
  may raise to cancel (the exception propagates; nothing has been written).
* File-level problems (unreadable file, no header row, missing required column, duplicate columns) raise
  ``TableError`` / ``HeaderError`` (``ValidationError``s) instead: there are no rows to report on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from crm_tui.i18n import _
from crm_tui.io import cells
from crm_tui.io.columns import Column, count_none
from crm_tui.io.headers import HeaderError, HeaderMap, find_header
from crm_tui.io.tabular import Table, bulk_allocation, open_tables

Problem = tuple[str | None, str]
RowCheck = Callable[[dict[str, Any]], Iterable[Problem] | None]
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 1000


@dataclass(frozen=True, slots=True)
class FieldSpec:
    key: str  # the name in code, e.g. "credit_limit"
    header: str  # the canonical header, used by imports and exports, e.g. "信用额度"
    aliases: tuple[str, ...] = ()  # other headers accepted on import (Chinese and English)
    parse: Callable[[Any], Any] = cells.text  # raw non-empty cell -> value, raising CellError
    required: bool = False
    unique: bool | Callable[[Any], Any] = False  # True or a key function: no repeats within the file
    kind: str | None = None  # export format: text, money, decimal, rate, integer, date, datetime
    # headers accepted only when no other column means the field (联系人手机 is 手机 unless there is a 手机)
    weak_aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RowError:
    file: str
    sheet: str
    row: int
    column: str | None  # the header as written in the file; None for a problem with the whole row
    value: Any  # the raw cell
    message: str  # what is expected, translated

    def __str__(self) -> str:
        return format_error(self)


@dataclass(slots=True)
class ParsedRow:
    sheet: str
    row: int  # as Excel shows it
    values: dict[str, Any]  # field key -> typed value (None for an empty cell)
    raw: tuple  # the row's cells as read, for the error workbook
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(slots=True)
class ImportResult:
    file: str
    sheet: str
    header: HeaderMap
    specs: tuple[FieldSpec, ...]
    rows: list[ParsedRow]  # every data row, good and bad, in file order
    # rows that are not records and were passed over, as (Excel row, why): "total" (合计 …), "header" (the
    # header again) or "template" (a template's zeros with no name); blank rows are not listed
    passed_over: list[tuple[int, str]] = field(default_factory=list)
    # field -> {Excel row -> key} for specs with a key function (``unique=cells.normalize_key``): a caller that
    # matches records by the same key uses these instead of working every one out again
    unique_keys: dict[str, dict[int, Any]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    def passed_over_text(self, most: int = 10) -> str:
        """``7 (totals), 12 (header again)`` for the rows passed over, the first ``most`` of them."""
        return describe_passed_over(self.passed_over, most)

    @property
    def good_rows(self) -> list[ParsedRow]:
        return [r for r in self.rows if r.ok]

    @property
    def bad_rows(self) -> list[ParsedRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]

    @property
    def columns(self) -> dict[str, str]:
        """Field key -> header as written, for the fields present in the file (a preview shows these)."""
        return dict(self.header.headers)

    @property
    def unknown_columns(self) -> list[str]:
        return list(self.header.unknown)

    def reject(self, row: ParsedRow, message: str, key: str | None = None) -> RowError:
        """Mark a row bad for a reason found after parsing (e.g. an unknown salesperson)."""
        error = _row_error(self, row, key, message)
        row.errors.append(error)
        return error

    def error_lines(self) -> list[str]:
        return [format_error(e) for e in self.errors]

    def write_error_workbook(self, path: str | Path) -> Path:
        """The bad rows under the file's own headers, with a reason column, ready to fix and re-import."""
        from crm_tui.io.workbook import write_error_workbook

        bad = self.bad_rows
        return write_error_workbook(
            path, self.header.cells, [r.raw for r in bad], [row_reason(r) for r in bad], sheet=self.sheet
        )


# --- messages -----------------------------------------------------------------------------------


def display_value(raw: Any, limit: int = 60) -> str:
    """A raw cell as the user would recognise it in a message."""
    if raw is None:
        return ""
    s = " ".join(cells._as_text(raw).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def format_error(e: RowError) -> str:
    if e.column is None:
        return _("{file}, sheet {sheet}, row {row}: {message}").format(
            file=e.file, sheet=e.sheet, row=e.row, message=e.message
        )
    return _('{file}, sheet {sheet}, row {row}, column {column}: "{value}" — {message}').format(
        file=e.file,
        sheet=e.sheet,
        row=e.row,
        column=e.column,
        value=display_value(e.value),
        message=e.message,
    )


def row_reason(row: ParsedRow) -> str:
    """The reason column of the error workbook: every problem of the row, one per line."""
    return "\n".join(f"{e.column}: {e.message}" if e.column else e.message for e in row.errors)


def _row_error(result: ImportResult, row: ParsedRow, key: str | None, message: str) -> RowError:
    column = value = None
    if key is not None:
        index = result.header.columns.get(key)
        column = result.header.headers.get(key) or _spec_header(result.specs, key)
        if index is not None and index < len(row.raw):
            value = row.raw[index]
    return RowError(result.file, result.sheet, row.row, column, value, message)


def _spec_header(specs: Sequence[FieldSpec], key: str) -> str:
    return next((s.header for s in specs if s.key == key), key)


# --- the work -----------------------------------------------------------------------------------


def read_and_validate(
    path: str | Path,
    specs: Sequence[FieldSpec],
    sheet: str | int | None = None,
    *,
    checks: Sequence[RowCheck] = (),
    progress: Progress | None = None,
) -> ImportResult:
    """Read one sheet of ``path`` and validate every row against ``specs`` (see the module doc).

    With ``sheet=None`` the first visible sheet whose header matches and that has rows under it is used
    (a leading "说明" sheet, or an empty copy of the template, is passed over; sheets named like
    instructions — 说明, 填写说明, 模板说明, Instructions, ReadMe … — are tried last). A matching sheet with
    no rows is used when no sheet has rows. If no sheet matches, the first sheet's header error is raised.
    """
    path = Path(path)
    with bulk_allocation(), open_tables(path) as tables:  # opened (and its limits checked) once
        if sheet is not None:
            table = tables.read(sheet)
            return validate_table(table, specs, checks=checks, progress=progress)
        first_error: HeaderError | None = None
        empty: tuple[Table, HeaderMap] | None = None
        names = tables.names
        for name in sorted(names, key=_looks_like_instructions):  # stable: workbook order otherwise
            table = tables.read(name)
            try:
                header = find_header(table.rows, specs, file=table.file, sheet=table.sheet)
            except HeaderError as exc:
                first_error = first_error or exc
                continue
            if table.rows[-1].number <= header.row and len(names) > 1:
                empty = empty or (table, header)  # only a header: look for a sheet with data first
                continue
            return validate_table(table, specs, checks=checks, progress=progress, header=header)
        if empty is not None:
            return validate_table(empty[0], specs, checks=checks, progress=progress, header=empty[1])
    if first_error is None:
        first_error = HeaderError(_("{file}: the workbook has no sheets").format(file=path.name))
    raise first_error


def _passed_over_reason(why: str) -> str:
    return {"total": _("totals"), "header": _("header again"), "template": _("empty template row")}[why]


def describe_passed_over(rows, most: int = 10) -> str:
    shown = ", ".join(f"{row} ({_passed_over_reason(why)})" for row, why in list(rows)[:most])
    return shown + (" …" if len(rows) > most else "")


_INSTRUCTION_SHEETS = ("说明", "须知", "填写", "帮助", "示例", "instruction", "readme", "help", "notes")


def _looks_like_instructions(name: str) -> bool:
    folded = name.casefold()
    return any(word in folded for word in _INSTRUCTION_SHEETS)


# Rows under the data that are not records: totals (合计, Excel's table total row 汇总) and the 以下空白
# ("nothing below") of printed forms. Compared after normalize_key, brackets and a colon stripped.
_NOT_A_RECORD = frozenset(
    "合计 总计 小计 共计 总合计 本页合计 本页小计 累计 汇总 以下空白 以下无内容 以下为空 以下无 "
    "total subtotal grandtotal sum".split()
)
_NOT_A_RECORD_FIRST = frozenset(label[0] for label in _NOT_A_RECORD) | frozenset("TSG(（[【")


def is_total_row(cells_: tuple) -> bool:
    """True when the row's first text cell says 合计 / 小计 / 总计 / 汇总 / Total or 以下空白 and the rest of
    the row holds no text, only numbers (the sums) or nothing.

    Numbers before it (a 序号) are passed over: ``[5, "以下空白"]`` is a form's end, not a customer. A row with
    more text is a record whatever its first cell says (a code ``SUM`` beside the name 苏州苏姆贸易).
    """
    for i, cell in enumerate(cells_):
        cls = cell.__class__
        if cell is None or cls is float or cls is int:
            continue
        if cls is not str or len(cell) > 16 or cell.lstrip()[:1] not in _NOT_A_RECORD_FIRST:
            return False
        if cells.normalize_key(cell).strip("()[]【】:") not in _NOT_A_RECORD:
            return False
        return not any(c.__class__ is str and c.strip() for c in cells_[i + 1:])
    return False


def validate_table(
    table: Table,
    specs: Sequence[FieldSpec],
    *,
    checks: Sequence[RowCheck] = (),
    progress: Progress | None = None,
    header: HeaderMap | None = None,
) -> ImportResult:
    """Validate an already-read table (``read_and_validate`` without the reading).

    The table's cells must follow ``tabular``'s rules (None for empty); build one from pasted values
    with ``Table(file, sheet, list(tabular.rows_from_grid(sheet, grid)))``.
    """
    specs = tuple(specs)
    if header is None:
        header = find_header(table.rows, specs, file=table.file, sheet=table.sheet)
    result = ImportResult(table.file, table.sheet, header, specs, [])
    columns = [Column(s.key, header.columns[s.key], _column_parser(s, header), s.required)
               for s in specs if s.key in header.columns]
    uniques = [(s.key, _unique_key(s.unique), {}, callable(s.unique))
               for s in specs if s.unique and s.key in header.columns]
    data = [r for r in table.rows if r.number > header.row]
    total = len(data)
    if progress is not None:
        progress(0, total)
    for start in range(0, total, PROGRESS_EVERY):
        # column by column over a block of rows: one tight loop per parser, then the rows put together
        chunk = data[start:start + PROGRESS_EVERY]
        added = _add_rows(result, columns, chunk)
        _check_rows(result, added, uniques, checks)
        done = start + len(chunk)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)
    if progress is not None:
        progress(total, total)
    return result


def _add_rows(result: ImportResult, columns: list[Column], chunk: list) -> list[ParsedRow]:
    """Parse ``chunk`` (tabular Rows) and append its records to ``result.rows``; returns those added."""
    raws = [source.cells for source in chunk]
    by_index = list(zip_longest(*raws))  # the block's columns, short rows padded with None
    nothing = (None,) * len(raws)
    problems: dict[int, list[Problem]] = {}  # chunk index -> (key, message), in column order
    filled: set[int] = set()  # rows with something in a read column although every value is None
    parsed = [c.parse_cells(by_index[c.index] if c.index < len(by_index) else nothing, problems, filled)
              for c in columns]
    keys = [column.key for column in columns]
    header_cells = result.header.cells
    added: list[ParsedRow] = []
    usual = next((i for i, c in enumerate(columns) if c.required), 0)  # the column a record rarely leaves empty
    # no mapped column gives no values at all: every row is blank, as the loop then sees none (strict=False)
    for i, (source, raw, vals) in enumerate(zip(chunk, raws, zip(*parsed, strict=True), strict=False)):
        if vals[usual] is None and i not in filled and count_none(vals) == len(vals):
            continue  # nothing in any column we read: a blank template row (e.g. only 序号)
        values = dict(zip(keys, vals, strict=True))
        row_problems = problems.get(i)
        if row_problems and _template_row(raw, columns, values):
            result.passed_over.append((source.number, "template"))  # a template's formulas filled down
            continue
        if raw == header_cells:
            result.passed_over.append((source.number, "header"))  # a report's next page
            continue
        if is_total_row(raw):
            result.passed_over.append((source.number, "total"))  # a 合计 row under the data
            continue
        row = ParsedRow(source.sheet, source.number, values, raw, [])
        for key, message in row_problems or ():
            result.reject(row, message, key)
        added.append(row)
    result.rows.extend(added)
    return added


def _check_rows(result: ImportResult, rows: list[ParsedRow], uniques: list, checks: Sequence[RowCheck]) -> None:
    """Repeats within the file (in file order, so the later row names the earlier), then the cross-field checks
    on rows whose cells all parsed."""
    for key, keyfn, seen, keep in uniques:
        kept = result.unique_keys.setdefault(key, {}) if keep else {}
        for row in rows:
            value = row.values[key]
            if value is not None:
                found = kept[row.row] = keyfn(value)
                earlier = seen.setdefault(found, row.row)
                if earlier != row.row:
                    result.reject(row, _("repeats row {row} of this file").format(row=earlier), key)
    if checks:
        for row in rows:
            if not row.errors:
                for check in checks:
                    for key, message in check(row.values) or ():
                        result.reject(row, message, key)


def _template_row(raw: tuple, columns: list[Column], values: dict[str, Any]) -> bool:
    """True for a row with every required field empty whose other cells hold only 0 (or placeholders).

    Templates often carry formulas filled far below the data (期初余额 =0, 序号 =ROW()-3): such rows are as
    blank as an empty row. Only asked about rows that already have a problem, so it costs nothing otherwise.
    """
    required = [c.key for c in columns if c.required]
    if not required or any(values.get(key) is not None for key in required):
        return False
    width = len(raw)
    for column in columns:
        cell = raw[column.index] if column.index < width else None
        if cell is None or (cell.__class__ in (float, int) and cell == 0) or cells.is_placeholder(cell):
            continue
        return False
    return True


def _column_parser(spec: FieldSpec, header: HeaderMap) -> Callable[[Any], Any]:
    scale = header.scales.get(spec.key)
    if scale and spec.kind == "money":
        return cells.in_units(spec.parse, scale)
    return spec.parse


def _unique_key(unique: bool | Callable[[Any], Any]) -> Callable[[Any], Any]:
    if callable(unique):
        return unique
    # parsed text is already NFKC with single spaces: case and spaces are what is left to ignore
    return lambda v: "".join(v.casefold().split()) if v.__class__ is str else v
