"""Today and now for the domain. Services ask this clock, never ``date.today()``, so a test can fix the day.

``now()`` is local wall-clock time (naive), the time people enter and read; technical created_at/updated_at
columns stay UTC (``crm_tui.db.base.utcnow``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

_fixed: datetime | None = None


def now() -> datetime:
    return _fixed if _fixed is not None else datetime.now()


def today() -> date:
    return now().date()


def set_now(at: datetime | date | None) -> None:
    """Stop the clock at ``at`` (a date stands for its midnight); None lets it run again."""
    global _fixed
    if at is not None and not isinstance(at, datetime):
        at = datetime(at.year, at.month, at.day)
    _fixed = at


@contextmanager
def frozen(at: datetime | date) -> Iterator[None]:
    """The clock stands at ``at`` inside the block, and runs (or stands where it stood) again after it."""
    before = _fixed
    set_now(at)
    try:
        yield
    finally:
        set_now(before)
