"""Find the header row of a sheet and map its columns to fields.

A header cell matches a field when, after ``normalize_header``, it equals the field's canonical header or
one of its aliases. ``normalize_header`` applies NFKC (so ``信用额度（元）`` equals ``信用额度(元)``),
case-folds, and drops spaces, ``*``/``＊`` required-markers and a trailing colon; when the whole text does
not match, a trailing bracketed unit or note is dropped and it is tried again, so ``信用额度(元)``,
``信用额度【元】`` and ``手机(必填)`` match ``信用额度`` and ``手机``.

The header row is the row, among the first ``HEADER_SEARCH_ROWS`` non-blank rows, that matches the most
fields (title rows and merged cells above it are skipped that way). ``序号`` columns and the reason column
of an error workbook are ignored; other unknown columns are reported, not fatal. A missing required
column, no header at all, or two columns meaning the same field raise ``HeaderError`` naming the file and
sheet and listing the expected headers.

Specs are any objects with ``key``, ``header``, ``aliases`` and ``required`` (``importing.FieldSpec``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from crm_tui.i18n import _
from crm_tui.io.tabular import Row, TableError

HEADER_SEARCH_ROWS = 10
IGNORED_HEADERS = ("序号", "行号", "No.", "#", "错误原因", "Error", "Errors", "Error reason")
_BRACKETED_TAIL = re.compile(r"[(\[【<〔{].*?[)\]】>〕}]$")
_DROP = re.compile(r"[\s*＊:：_\-.·]+")


class HeaderSpec(Protocol):
    key: str
    header: str
    aliases: Sequence[str]
    required: bool


class HeaderError(TableError):
    """The sheet has no usable header row (missing or duplicate columns)."""


@dataclass(slots=True)
class HeaderMap:
    row: int  # the header's Excel row number
    columns: dict[str, int]  # field key -> 0-based column index
    headers: dict[str, str]  # field key -> the header text as written in the file
    cells: tuple  # the header row as written (for error workbooks)
    unknown: list[str] = field(default_factory=list)  # headers of columns no field uses


def normalize_header(text: object) -> str:
    s = unicodedata.normalize("NFKC", str(text)).casefold()
    return _DROP.sub("", s)


def _strip_tail(norm: str) -> str:
    return _BRACKETED_TAIL.sub("", norm)


def alias_table(specs: Sequence[HeaderSpec]) -> dict[str, str]:
    """Normalised header or alias -> field key. Two fields claiming one alias is a programming error."""
    table: dict[str, str] = {}
    for spec in specs:
        for name in (spec.header, spec.key, *spec.aliases):
            norm = normalize_header(name)
            owner = table.setdefault(norm, spec.key)
            if owner != spec.key:
                raise ValueError(f"header alias {name!r} is used by both {owner!r} and {spec.key!r}")
    return table


_IGNORED = frozenset(normalize_header(h) for h in IGNORED_HEADERS)


def match_header(cell: object, table: dict[str, str]) -> str | None:
    """The field key a header cell means, or None."""
    if cell is None:
        return None
    norm = normalize_header(cell)
    key = table.get(norm)
    if key is None and norm:
        key = table.get(_strip_tail(norm))
    return key


def find_header(
    rows: Sequence[Row],
    specs: Sequence[HeaderSpec],
    *,
    file: str,
    sheet: str,
    search_rows: int = HEADER_SEARCH_ROWS,
) -> HeaderMap:
    """Find and map the header row among the first ``search_rows`` non-blank rows (see module doc)."""
    table = alias_table(specs)
    best: Row | None = None
    best_score = 0
    for row in rows[:search_rows]:
        score = len({k for k in map(lambda c: match_header(c, table), row.cells) if k})
        if score > best_score:
            best, best_score = row, score
    if best is None:
        raise HeaderError(
            _(
                "{file}, sheet {sheet}: no header row found in the first {n} rows; expected headers: {expected}"
            ).format(file=file, sheet=sheet, n=search_rows, expected=expected_headers(specs))
        )
    return _map_row(best, specs, table, file=file, sheet=sheet)


def expected_headers(specs: Sequence[HeaderSpec]) -> str:
    """The canonical headers, required ones marked with *, for messages."""
    return ", ".join(f"{s.header}*" if s.required else s.header for s in specs)


def _map_row(
    row: Row, specs: Sequence[HeaderSpec], table: dict[str, str], *, file: str, sheet: str
) -> HeaderMap:
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    unknown: list[str] = []
    for index, cell in enumerate(row.cells):
        if cell is None or not str(cell).strip():
            continue
        written = " ".join(str(cell).split())
        key = match_header(cell, table)
        if key is None:
            if normalize_header(cell) not in _IGNORED:
                unknown.append(written)
            continue
        if key in columns:
            raise HeaderError(
                _("{file}, sheet {sheet}, row {row}: columns {first} and {second} both mean {field}").format(
                    file=file,
                    sheet=sheet,
                    row=row.number,
                    first=headers[key],
                    second=written,
                    field=_spec(specs, key).header,
                )
            )
        columns[key] = index
        headers[key] = written
    missing = [s.header for s in specs if s.required and s.key not in columns]
    if missing:
        raise HeaderError(
            _(
                "{file}, sheet {sheet}, row {row}: missing required columns {missing}; expected headers: {expected}"
            ).format(
                file=file,
                sheet=sheet,
                row=row.number,
                missing=", ".join(missing),
                expected=expected_headers(specs),
            )
        )
    return HeaderMap(row.number, columns, headers, row.cells, unknown)


def _spec(specs: Sequence[HeaderSpec], key: str) -> HeaderSpec:
    return next(s for s in specs if s.key == key)
