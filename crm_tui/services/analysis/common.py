"""What the analyses share: the report shape, periods, the settings, the live-order rule and visibility."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, cast, func
from sqlalchemy.orm import Session

from crm_tui.config import get_settings
from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import ValidationError
from crm_tui.db.models.sales import SalesOrder
from crm_tui.i18n import _
from crm_tui.services.sales import permissions as perms

ZERO = Decimal(0)
LIVE_ORDER = ("confirmed", "done")  # confirmed orders, also once fully shipped (done); never drafts or cancelled


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # msgid
    kind: str = "text"  # text | money | integer | date | rate | decimal

    @property
    def shown_label(self) -> str:
        return _(self.label)


@dataclass(frozen=True)
class Chart:
    kind: str  # bar | line | stacked
    label: str  # the row key naming a bar / point
    series: tuple[str, ...]  # the row keys plotted (money or counts)
    code: str | None = None  # the row key to label with when the label's width would misalign the plot


@dataclass
class Report:
    name: str
    title: str  # msgid
    rule: str  # the rule behind the list, in words (translated)
    columns: list[Column]
    rows: list[dict[str, Any]]
    chart: Chart | None = None
    notes: list[str] = field(default_factory=list)  # e.g. a part that is not available yet
    summary: dict[str, Any] = field(default_factory=dict)  # single figures (the dashboard)

    @property
    def shown_title(self) -> str:
        return _(self.title)

    def as_json(self) -> list[dict]:
        kinds = {c.key: c.kind for c in self.columns}
        return [{k: plain(v, kinds.get(k, "")) for k, v in row.items()} for row in self.rows]


def plain(value: Any, kind: str = "") -> Any:
    """JSON values: money with two decimals and other numbers as decimal strings, dates ISO."""
    if isinstance(value, Decimal) and kind == "money":
        return f"{value:.2f}"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValidationError(_("The period ends ({end}) before it starts ({start}).").format(
                start=self.start, end=self.end), field="to")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period before: the previous whole months for a period of whole months, else as many days."""
        if self.start.day == 1 and self.end == month_end(self.end):
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            first = add_months(self.start, -months)
            return Period(first, self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def last_year(self) -> Period:
        return Period(shift_year(self.start, -1), shift_year(self.end, -1))


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def this_month(today: date | None = None) -> Period:
    today = today or clock.today()
    return Period(today.replace(day=1), month_end(today))


def period_or(date_from: date | None, date_to: date | None, default: Period) -> Period:
    return Period(date_from or default.start, date_to or default.end)


def setting(key: str, cast_to=Decimal):
    value = get_settings().get("analysis", {}).get(key)
    try:
        return cast_to(str(value))
    except Exception:
        raise ValidationError(_("Settings [analysis] {key}: not a number: {value!r}").format(
            key=key, value=value), field=key) from None


def visible_orders(session: Session, actor: Actor):
    """WHERE clauses: the live orders of the customers ``actor`` may see."""
    return (SalesOrder.status.in_(LIVE_ORDER), perms.visible_clause(session, actor, SalesOrder.customer_id))


def day_number(session: Session, column):
    """A date column as a whole number of days (so intervals are integers on both engines)."""
    if session.get_bind().dialect.name == "postgresql":
        return column - date(1970, 1, 1)
    return cast(func.julianday(column), Integer)


def to_day_number(session: Session, day: date) -> int:
    """``day`` as ``day_number`` gives it."""
    if session.get_bind().dialect.name == "postgresql":
        return (day - date(1970, 1, 1)).days
    return day.toordinal() + 1721424


def from_day_number(session: Session, n: int) -> date:
    if session.get_bind().dialect.name == "postgresql":
        return date(1970, 1, 1) + timedelta(days=int(n))
    return date.fromordinal(int(n) - 1721424)  # julianday(1970-01-01) = 2440587.5, ordinal 719163


def ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part / whole).quantize(Decimal("0.0001")) if whole else None


def change(now: Decimal, before: Decimal) -> Decimal | None:
    """Growth of ``now`` over ``before`` as a rate (0.25 = +25 %); None when there was nothing before."""
    return ((now - before) / before).quantize(Decimal("0.0001")) if before else None
