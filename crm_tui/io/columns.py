"""One column of an import parsed a block of rows at a time (``importing.validate_table`` does the rows).

A large sheet repeats its areas, industries, salespeople and amounts thousands of times, so each distinct cell is
parsed once and remembered (up to ``MEMO_MAX`` per column); a block whose cells are all of one type is then looked
up with one ``map`` over the block instead of a Python step per cell. A column that hardly repeats (names,
phones, addresses) stops being looked up once the memory is full and is parsed straight through. A block with
a refused cell, or anything unusual, goes through the careful loop, which says what is wrong cell by cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import repeat
from operator import is_
from typing import Any

from crm_tui.i18n import _
from crm_tui.io import cells
from crm_tui.io.cells import CellError

Problem = tuple[str | None, str]
MEMO_MAX = 4096  # distinct cells remembered per column: 片区, 行业, 业务员 … repeat; names and phones do not
_IMMUTABLE = frozenset({str, int, float, bool, Decimal, dt.date, dt.datetime, dt.time})
_NONE = type(None)
_MISS = object()


class Outcome:
    """A cell that gives no value: refused by the parser, a placeholder, only invisible characters, or a parser's
    None. ``problem`` is what the row is told (None: nothing); ``filled`` whether the row counts as not blank."""

    __slots__ = ("problem", "filled")

    def __init__(self, problem: str | None, filled: bool):
        self.problem, self.filled = problem, filled


class Column:
    """A mapped column: its key, its index in the row, its parser and whether a value is required."""

    __slots__ = ("key", "index", "parse", "required", "memos", "size", "direct", "outcomes", "outcome_ids", "empty")

    def __init__(self, key: str, index: int, parse: Callable[[Any], Any], required: bool):
        self.key, self.index, self.parse, self.required = key, index, parse, required
        self.memos: dict[type, dict[Any, Any]] = {}  # by the cell's type: 1, 1.0 and True are equal keys
        self.size = 0  # cells remembered, all types together
        self.direct = False  # the column hardly repeats: parsed straight through
        self.outcomes: dict[tuple[str | None, bool], Outcome] = {}  # one per message, so a block can find them
        self.outcome_ids: set[int] = set()
        self.empty = self._outcome(_("a value is required") if required else None, False)

    def parse_cells(self, column: Sequence, problems: dict[int, list[Problem]], filled: set[int]) -> list:
        """The value of each cell of ``column`` (None when empty or refused); adds to ``problems`` (block
        index -> (key, message)) and to ``filled`` (rows with a cell here that still gives None)."""
        n, nones = len(column), count_none(column)
        if nones == n:  # nothing in this column in this block of rows
            out = [None] * n
        else:
            out = self._direct(column, nones) if self.direct else self._remembered(column, nones)
            if out is None:
                return self._careful(column, problems, filled)
        if nones and self.required:
            for i, cell in enumerate(column):
                if cell is None:
                    problems.setdefault(i, []).append((self.key, self.empty.problem))
        return out

    def _direct(self, column: Sequence, nones: int) -> list | None:
        """Every cell parsed, or None when one needs the careful loop (refused, or no value)."""
        parse = self.parse
        try:
            out = [None if cell is None else parse(cell) for cell in column]
        except CellError:
            return None
        return None if count_none(out) != nones or _has_empty_text(out) else out

    def _remembered(self, column: Sequence, nones: int) -> list | None:
        kinds = set(map(type, column))
        kinds.discard(_NONE)
        if len(kinds) != 1:
            return None  # mixed types: the careful loop keeps them apart
        memo = self.memos.setdefault(kinds.pop(), {})
        try:
            out = list(map(memo.get, column))
        except TypeError:  # an unhashable cell (a grid pasted by a program)
            return None
        misses = count_none(out) - nones
        if misses and self.size >= MEMO_MAX and misses * 10 > 9 * (len(column) - nones):
            self.direct = True
            return self._direct(column, nones)
        for i in range(len(out)) if misses else ():
            cell = column[i]
            if out[i] is None and cell is not None:
                value = memo.get(cell, _MISS)
                out[i] = self._parse(cell, memo) if value is _MISS else value
        if not self.outcome_ids.isdisjoint(map(id, out)):
            return None  # a refused or empty-valued cell: the careful loop says so
        return out

    def _careful(self, column: Sequence, problems: dict[int, list[Problem]], filled: set[int]) -> list:
        out: list = []
        append = out.append
        for i, cell in enumerate(column):
            if cell is None:  # tabular gives None for empty and whitespace-only cells
                value = self.empty
            else:
                memo = self.memos.setdefault(cell.__class__, {})
                try:
                    value = memo.get(cell, _MISS)
                except TypeError:  # unhashable: parsed every time
                    value, memo = _MISS, None
                if value is _MISS:
                    value = self._parse(cell, memo)
            if value.__class__ is not Outcome:
                append(value)
                continue
            append(None)
            if value.problem is not None:
                problems.setdefault(i, []).append((self.key, value.problem))
            if value.filled:
                filled.add(i)
        return out

    def _parse(self, cell: Any, memo: dict | None) -> Any:
        try:
            value = self.parse(cell)
        except CellError as exc:
            # 无, -, /, N/A where a phone, date or amount would go is an empty cell, not a wrong one
            value = self.empty if cells.is_placeholder(cell) else self._outcome(exc.expected, True)
        else:
            if value is None:
                value = self._outcome(None, True)
            elif not value and value.__class__ is str:  # only invisible characters (a zero-width space)
                value = self.empty
        if memo is not None and self.size < MEMO_MAX and (value.__class__ in _IMMUTABLE or value.__class__ is Outcome):
            memo[cell] = value
            self.size += 1
        return value

    def _outcome(self, problem: str | None, filled: bool) -> Outcome:
        found = self.outcomes.get((problem, filled))
        if found is None:
            found = self.outcomes[problem, filled] = Outcome(problem, filled)
            self.outcome_ids.add(id(found))
        return found


def count_none(values: Sequence) -> int:
    """How many items are None, by identity: ``list.count(None)`` asks every Decimal ``== None``, which costs a
    microsecond each (an isinstance check against numbers.Rational)."""
    return sum(map(is_, values, repeat(None)))


def _has_empty_text(values: list) -> bool:
    kinds = set(map(type, values))
    if str not in kinds:
        return False
    return "" in values if kinds <= {str, _NONE} else True  # text among other types: let the careful loop see
