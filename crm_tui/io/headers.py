"""Find the header row of a sheet and map its columns to fields.

A header cell matches a field when, after ``normalize_header``, it equals the field's canonical header or
one of its aliases. ``normalize_header`` applies NFKC (so ``信用额度（元）`` equals ``信用额度(元)``),
case-folds, and drops spaces and line breaks, zero-width characters, ``*``/``＊`` required-markers and a
trailing colon; when the whole text does not match, a trailing bracketed unit or note is dropped and it is
tried again, so ``信用额度(元)``, ``信用额度【元】`` and ``手机(必填)`` match ``信用额度`` and ``手机``; then a
leading one (``【必填】客户名称``), a unit after a slash or at the end (``信用额度/元``, ``信用额度万元``), and
the parts of ``统一社会信用代码/税号`` (they must agree on one field). A spec's ``weak_aliases`` (and a header
matched through its slash-separated parts) mean the field only when no other column of the row does: a
sheet with both 手机 and 联系人手机 takes 手机 and reports 联系人手机 as unknown.

A header whose unit is ten thousand or a thousand yuan (``信用额度(万元)``, ``期初余额（单位：千元）``) is
recorded in ``HeaderMap.scales``; the importer multiplies that money column's numbers by it.

The header row is the row, among the first ``HEADER_SEARCH_ROWS`` non-blank rows, that matches the most
fields, a row naming every required field first (title rows, merged cells and a report's filter line
such as ``片区：河东 业务员：孙伟`` above it are skipped that way). ``序号`` columns, the reason column of an
error workbook and placeholder names (``Column1``, ``列1``, ``Unnamed: 3``) are ignored; other unknown
columns are reported, not fatal. A missing required column, no header at all, or two columns meaning the
same field raise ``HeaderError`` naming the file and sheet and listing the expected headers (the same
header twice names the columns by letter: ``手机 (B) and 手机 (C)``).

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
# the names spreadsheet programs give columns nobody named: Excel tables, Power Query, pandas
_PLACEHOLDER = re.compile(r"(?:column|列|unnamed\d*|field|字段)\d*", re.IGNORECASE)
_BRACKETED_TAIL = re.compile(r"[(\[【<〔{《].*?[)\]】>〕}》]$")
_BRACKETED_HEAD = re.compile(r"^[(\[【<〔{《].*?[)\]】>〕}》]")
_DROP = re.compile(r"[\s*＊:：_\-.·\u00ad\u200b-\u200f\u2060\ufeff]+")
_UNIT_SUFFIX = re.compile(r"(?:/|单位)*(?:人民币|rmb)?(万元|千元|元|万)$")
_UNIT_SCALES = {"万元": 10000, "万": 10000, "千元": 1000}


class HeaderSpec(Protocol):
    key: str
    header: str
    aliases: Sequence[str]
    required: bool
    # optional: weak_aliases (headers used only when no other column means the field), see weak_aliases()


class HeaderError(TableError):
    """The sheet has no usable header row (missing or duplicate columns)."""


@dataclass(slots=True)
class HeaderMap:
    row: int  # the header's Excel row number
    columns: dict[str, int]  # field key -> 0-based column index
    headers: dict[str, str]  # field key -> the header text as written in the file
    cells: tuple  # the header row as written (for error workbooks)
    unknown: list[str] = field(default_factory=list)  # headers of columns no field uses
    # field key -> 10000 for a header such as 信用额度(万元), 1000 for 千元
    scales: dict[str, int] = field(default_factory=dict)


def normalize_header(text: object) -> str:
    s = unicodedata.normalize("NFKC", str(text)).casefold()
    return _DROP.sub("", s)


def _strip_tail(norm: str) -> str:
    return _BRACKETED_TAIL.sub("", norm)


def _candidates(norm: str):
    """Shorter forms of a normalised header that did not match as it is (see the module doc)."""
    tail = _strip_tail(norm)
    yield tail
    head = _BRACKETED_HEAD.sub("", tail)
    yield head
    yield _UNIT_SUFFIX.sub("", head)


def unit_scale(cell: object) -> int | None:
    """10000 for a header in 万元 (``信用额度(万元)``, ``信用额度/万元``), 1000 for 千元, else None."""
    norm = normalize_header(cell)
    m = _BRACKETED_TAIL.search(norm)
    if m:
        norm = m[0][1:-1]
        for prefix in ("单位", "金额", "人民币", "rmb"):
            norm = norm.removeprefix(prefix)
        return _UNIT_SCALES.get(norm)
    m = _UNIT_SUFFIX.search(norm)
    return _UNIT_SCALES.get(m[1]) if m and m.start() else None


def alias_table(specs: Sequence[HeaderSpec]) -> dict[str, str]:
    """Normalised header or alias (weak ones included) -> field key.

    Two fields claiming one alias is a programming error."""
    table: dict[str, str] = {}
    for spec in specs:
        for name in (spec.header, spec.key, *spec.aliases, *getattr(spec, "weak_aliases", ())):
            norm = normalize_header(name)
            owner = table.setdefault(norm, spec.key)
            if owner != spec.key:
                raise ValueError(f"header alias {name!r} is used by both {owner!r} and {spec.key!r}")
    return table


def weak_aliases(specs: Sequence[HeaderSpec]) -> frozenset[str]:
    """The normalised weak aliases: headers that mean a field only when no other column of the sheet does
    (``联系人手机`` is 手机 unless the sheet also has a 手机 column, which then wins)."""
    return frozenset(normalize_header(name) for spec in specs for name in getattr(spec, "weak_aliases", ()))


_IGNORED = frozenset(normalize_header(h) for h in IGNORED_HEADERS)


def match_header(cell: object, table: dict[str, str]) -> str | None:
    """The field key a header cell means, or None."""
    return _match(cell, table)[0]


def _match(cell: object, table: dict[str, str]) -> tuple[str | None, str | None]:
    """(field key, the normalised alias it matched; None when matched through a slash) or (None, None)."""
    if cell is None:
        return None, None
    norm = normalize_header(cell)
    key = table.get(norm)
    if key is not None or not norm:
        return key, norm
    for candidate in _candidates(norm):
        key = table.get(candidate)
        if key is not None:
            return key, candidate
    if "/" in norm:  # 统一社会信用代码/税号: every part that means something must mean the same field
        keys = {match_header(part, table) for part in norm.split("/") if part} - {None}
        if len(keys) == 1:
            return keys.pop(), None
    return None, None


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as Excel labels it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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
    required = {s.key for s in specs if s.required}
    best: Row | None = None
    best_score = (False, 0)
    for row in rows[:search_rows]:
        keys = {k for k in map(lambda c: match_header(c, table), row.cells) if k}
        # a row naming every required field beats one that matches more (a 片区: … 业务员: … filter line)
        score = (required <= keys, len(keys))
        if keys and score > best_score:
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
    scales: dict[str, int] = {}
    weak = weak_aliases(specs)
    matched: list[tuple[int, str, str, bool]] = []  # (column, header as written, field key, by a weak alias)
    strong: set[str] = set()
    for index, cell in enumerate(row.cells):
        if cell is None or not str(cell).strip():
            continue
        written = " ".join(str(cell).split())
        key, alias = _match(cell, table)
        if key is None:
            norm = normalize_header(cell)
            if norm and norm not in _IGNORED and not _PLACEHOLDER.fullmatch(norm):
                matched.append((index, written, "", True))
            continue
        is_weak = alias is None or alias in weak
        if not is_weak:
            strong.add(key)
        matched.append((index, written, key, is_weak))
    for index, written, key, is_weak in matched:
        if not key or (is_weak and key in strong):  # unknown, or a weak alias another column overrides
            unknown.append(written)
            continue
        if key in columns:
            first, second = headers[key], written
            if first == second:  # the same header twice: say which columns
                first = f"{first} ({column_letter(columns[key])})"
                second = f"{second} ({column_letter(index)})"
            raise HeaderError(
                _("{file}, sheet {sheet}, row {row}: columns {first} and {second} both mean {field}").format(
                    file=file,
                    sheet=sheet,
                    row=row.number,
                    first=first,
                    second=second,
                    field=_spec(specs, key).header,
                )
            )
        columns[key] = index
        headers[key] = written
        scale = unit_scale(written)
        if scale:
            scales[key] = scale
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
    return HeaderMap(row.number, columns, headers, row.cells, unknown, scales)


def _spec(specs: Sequence[HeaderSpec], key: str) -> HeaderSpec:
    return next(s for s in specs if s.key == key)
