"""The name order key kept in the narrow table ``customer_sort`` (migration 0010_srch, SQLite only).

A name-sorted search over a frequent term (深圳: 45,000 of 1,000,000 customers) must look at the sort key of
every match; reading it from the wide customers rows cost most of 80 ms. ``customer_sort`` holds per customer
its id, owner, status and the first ``LENGTH`` characters of ``name_pinyin`` in a few dozen bytes, kept by
triggers on ``customers`` (no application code writes it).

A prefix never orders two names against their real order (``a < b`` gives ``a[:n] <= b[:n]``, in SQLite's
binary order as in Python's), so the first keys in key order hold the first names; equal keys are told apart
by the name itself.
"""

from __future__ import annotations

LENGTH = 24


def prefix_key(name_pinyin: str | None) -> str | None:
    """What the triggers store (tests compare the two)."""
    return None if name_pinyin is None else name_pinyin[:LENGTH]


def prefix_key_sql(col: str) -> str:
    return f"substr({col}, 1, {LENGTH})"
