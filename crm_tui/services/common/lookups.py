"""What the pickers share: matching a typed text against a record's code, name, pinyin and initials, and
putting the best matches first (the first suggestion is the one Enter takes).

Small tables (staff, warehouses) are matched here in Python; large ones (customers, products, suppliers) are
matched by their own indexed queries and only ranked here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from crm_tui.core.pinyin import name_fields, search_term

T = TypeVar("T")

DEFAULT_LIMIT = 8


def matches(text: str, code: str, name: str, *others: str | None) -> bool:
    """Whether ``text`` is in the code, the name, any of ``others``, or the name's pinyin (full or initials)."""
    text = (text or "").strip()
    if not text:
        return True
    low = text.lower()
    if any(low in (field or "").lower() for field in (code, name, *others)):
        return True
    term = search_term(text)
    if not term:
        return False
    full, initials = name_fields(name)
    return term in full.replace(" ", "|") or term in initials


def rank(text: str, code: str, name: str) -> int:
    """0 is best: the exact code, the exact name, a code prefix, a name or initials prefix, anything else."""
    text = (text or "").strip()
    low, term = text.lower(), search_term(text)
    if code.lower() == low:
        return 0
    if name == text:
        return 1
    if code.lower().startswith(low):
        return 2
    if name.startswith(text) or (term and any(v.startswith(term) for v in name_fields(name)[1].split())):
        return 3
    return 4


def best_first(rows: Iterable[T], text: str, code: Callable[[T], str], name: Callable[[T], str],
               limit: int = DEFAULT_LIMIT) -> list[T]:
    """``rows`` best match first (stable within a rank), at most ``limit``."""
    return sorted(rows, key=lambda r: rank(text, code(r), name(r)))[:limit]
