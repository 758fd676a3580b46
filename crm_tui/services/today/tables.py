"""Shared helpers of the customer page and the employee page: the latest rows of a query and its whole count."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core.money import format_money
from crm_tui.i18n import _
from crm_tui.services.today.registry import Table

LIMIT = 200  # rows shown per tab; the count is of them all


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "★" if value else ""
    return str(value)


def status(value: str | None) -> str:
    return _(value) if value else ""


def table(session: Session, stmt, columns: tuple[str, ...], row: Callable[..., tuple], link: Callable[..., str | None]
          = lambda *_r: None, summary: str = "") -> Table:
    """The first ``LIMIT`` rows of ``stmt`` (ordered) made into shown strings, and the count of all of them
    (a second query only when there are more than shown)."""
    found = session.execute(stmt.limit(LIMIT)).all()
    count = len(found)
    if count == LIMIT:
        count = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    return Table(columns, [tuple(cell(v) for v in row(*r)) for r in found], [link(*r) for r in found], count,
                 summary)
