"""The filters document lists share: equal-to filters, a date range, and the search box.

Text from the search box is matched as a plain substring: ``%`` and ``_`` typed by a user are literal.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, or_


def contains_pattern(text: str | None) -> str | None:
    """``LIKE`` pattern (escape character ``\\``) for rows containing ``text``; None for a blank search."""
    term = (text or "").strip()
    if not term:
        return None
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def matching(pattern: str, *columns) -> ColumnElement[bool]:
    """Any of ``columns`` contains what ``pattern`` (from ``contains_pattern``) stands for."""
    return or_(*(column.like(pattern, escape="\\") for column in columns))


def search(stmt: Select, text: str | None, *columns) -> Select:
    """``stmt`` narrowed to rows where any of ``columns`` contains ``text`` (unchanged for a blank search)."""
    pattern = contains_pattern(text)
    return stmt if pattern is None else stmt.where(matching(pattern, *columns))


def equal_to(stmt: Select, *pairs: tuple[Any, Any]) -> Select:
    """``stmt`` narrowed by (column, value) pairs; a pair whose value is empty does not filter."""
    for column, value in pairs:
        if value:
            stmt = stmt.where(column == value)
    return stmt


def between(stmt: Select, column, date_from: date | None, date_to: date | None) -> Select:
    """``stmt`` narrowed to ``date_from <= column <= date_to``; either end may be open."""
    if date_from:
        stmt = stmt.where(column >= date_from)
    if date_to:
        stmt = stmt.where(column <= date_to)
    return stmt
