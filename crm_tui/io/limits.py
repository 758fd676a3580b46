"""Caps on what a workbook may unpack to, checked before it is parsed.

An .xlsx is a zip of XML: 15 MB of zip can hold 220 MB of sheet XML, which the reader would turn into gigabytes
of cells before any row is looked at. So, from the zip's directory and a streamed pass over the sheet XML
(never more than a chunk in memory), a workbook is refused when

- its parts unpack to more than ``import.max_unzipped_mb`` (default 200 MB),
- a part is packed tighter than ``MAX_RATIO`` to one (no real sheet is; a zip bomb is), or
- a sheet has more rows than ``import.max_rows`` (default 1,000,000), counted from the row tags and their
  numbers (a row numbered 2,000,000 makes the reader build two million rows).

The sizes the directory declares are not trusted alone: the streamed pass stops at the cap as well.
"""

from __future__ import annotations

import functools
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from crm_tui.i18n import _

MB = 1024 * 1024
DEFAULT_MAX_UNZIPPED_MB = 200
DEFAULT_MAX_ROWS = 1_000_000
MAX_RATIO = 200  # sheet XML packs 5-30 to one; only a part larger than RATIO_FLOOR is judged
RATIO_FLOOR = MB
CHUNK = MB
MAX_TAG = 64 * 1024  # a row tag is short; a longer unfinished tag is no row
_SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
# <row r="5"> and <x:row r="5"> (cell refs are r="A5"); also counts the one <rowBreaks> a sheet may have, which
# is nothing against the cap, in two passes over the bytes instead of four
_ROW_TAGS = (b"<row", b":row")


@dataclass(frozen=True, slots=True)
class Limits:
    max_unzipped_bytes: int
    max_rows: int

    @property
    def max_unzipped_mb(self) -> int:
        return self.max_unzipped_bytes // MB


def configured_limits() -> Limits:
    """The caps from settings.toml (``[import]`` ``max_unzipped_mb``, ``max_rows``)."""
    from crm_tui.config import get_settings

    section = get_settings()["import"]
    return Limits(int(float(section.get("max_unzipped_mb", DEFAULT_MAX_UNZIPPED_MB)) * MB),
                  int(section.get("max_rows", DEFAULT_MAX_ROWS)))


class OverLimit(Exception):
    """A cap the workbook exceeds; the message says which (the reader raises it as its TableError)."""


def workbook_problem(path: Path, limits: Limits | None = None) -> str | None:
    """Why the zip-based workbook at ``path`` is refused, or None; other files pass."""
    if not zipfile.is_zipfile(path):
        return None  # an .xls (compound file) is as large as it looks; a damaged file is the reader's to report
    limits = limits or configured_limits()
    try:
        _check(path, limits)
    except OverLimit as exc:
        return str(exc)
    return None


def _check(path: Path, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
            _check_sizes(path, parts, limits)
            budget = limits.max_unzipped_bytes
            for part in parts:
                if _SHEET.match(part.filename):
                    budget -= _check_rows(path, z, part, limits, budget)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError) as exc:
        raise OverLimit(_("{file}: cannot read the workbook ({reason})").format(file=path.name, reason=exc)) from None


def _too_big(path: Path, limits: Limits):
    return OverLimit(_("{file} unpacks to more than {limit} MB; the limit is the setting import.max_unzipped_mb")
                      .format(file=path.name, limit=limits.max_unzipped_mb))


def _check_sizes(path: Path, parts: list[zipfile.ZipInfo], limits: Limits) -> None:
    if sum(p.file_size for p in parts) > limits.max_unzipped_bytes:
        raise _too_big(path, limits)
    for p in parts:
        if p.file_size > RATIO_FLOOR and p.file_size > MAX_RATIO * max(p.compress_size, 1):
            raise OverLimit(_("{file}: {part} unpacks to {ratio} times its packed size (at most {limit} is "
                               "plausible); refused as a zip bomb").format(
                file=path.name, part=p.filename, ratio=p.file_size // max(p.compress_size, 1), limit=MAX_RATIO))


def _check_rows(path: Path, z: zipfile.ZipFile, part: zipfile.ZipInfo, limits: Limits, budget: int) -> int:
    """Stream one sheet's XML counting its rows; returns the bytes read."""
    count = highest = read = 0
    carry = b""
    with z.open(part) as f:
        while chunk := f.read(CHUNK):
            read += len(chunk)
            if read > budget:
                raise _too_big(path, limits)
            data, carry = _split_open_tag(carry + chunk)
            count, highest = _count(data, limits, count, highest)
            if max(count, highest) > limits.max_rows:
                break
        else:
            count, highest = _count(carry, limits, count, highest)
    if max(count, highest) > limits.max_rows:
        raise OverLimit(_("{file}: a sheet has more than {limit} rows; the limit is the setting import.max_rows")
                         .format(file=path.name, limit=f"{limits.max_rows:,}"))
    return read


def _split_open_tag(data: bytes) -> tuple[bytes, bytes]:
    """(what can be counted now, a tag cut off by the chunk's end, counted with the next chunk)."""
    cut = data.rfind(b"<")
    if cut == -1 or data.find(b">", cut) != -1:
        return data, b""
    tail = data[cut:]
    return data[:cut], tail if len(tail) <= MAX_TAG else b""


def _count(data: bytes, limits: Limits, count: int, highest: int) -> tuple[int, int]:
    """Row tags counted (with or without a namespace prefix), and the highest row number of as many digits as
    the cap or more: plain byte counts, several times faster than matching every tag."""
    count += data.count(_ROW_TAGS[0]) + data.count(_ROW_TAGS[1])
    for match in _long_row_number(len(str(limits.max_rows))).finditer(data):
        if data[match.start() - 1:match.start()].isspace():  # an attribute r, not the end of one (xr="…")
            highest = max(highest, int(match[1]))
    return count, highest


@functools.cache
def _long_row_number(digits: int) -> re.Pattern[bytes]:
    # starts with a literal (the r), so the engine skips ahead fast; a leading \s made it try every byte
    return re.compile(rb"""r\s*=\s*["'](\d{%d,})""" % digits)
