"""A person's void uploads, packed: six 64-bit integers a row in one array instead of a tuple of objects.

Most rows of a month can be void (a crew uploading every minute: eight million of ten million rows), so the
tally keeps what it needs to say why — the row and the time of the person's previous counted upload — and
makes ``VoidUpload`` objects with their reasons only when they are read.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import Any

NO_CUSTOMER = -(1 << 63)   # customer None (ids are never negative)
WIDTH = 6                  # at, kind, customer, quality, previous counted upload, ref


class VoidList(Sequence):
    """Rows as ``Upload`` tuples with the previous counted upload's time; ``make(row, last)`` → VoidUpload."""

    __slots__ = ("_data", "_refs", "_make")

    def __init__(self, make: Callable[[tuple, int], Any]) -> None:
        self._data = array("q")
        self._refs: dict[int, Any] | None = None   # index → ref for refs that are not ints (pure-function callers)
        self._make = make

    def add(self, row: tuple, last: int) -> None:
        at, kind, cust, q, ref = row
        if type(ref) is not int:
            if self._refs is None:
                self._refs = {}
            self._refs[len(self._data) // WIDTH] = ref
            ref = 0
        self._data.extend((at, kind, NO_CUSTOMER if cust is None else cust, q, last, ref))

    def __len__(self) -> int:
        return len(self._data) // WIDTH

    def _item(self, i: int):
        at, kind, cust, q, last, ref = self._data[i * WIDTH:(i + 1) * WIDTH]
        if self._refs is not None and i in self._refs:
            ref = self._refs[i]
        return self._make((at, kind, None if cust == NO_CUSTOMER else cust, q, ref), last)

    def __getitem__(self, index: int | slice):
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(len(self)))]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("void upload index out of range")
        return self._item(index)

    def __iter__(self) -> Iterator:
        for i in range(len(self)):
            yield self._item(i)

    def __repr__(self) -> str:
        return f"VoidList({len(self)} rows)"
