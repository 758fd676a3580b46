"""Dates of the tally: months, ISO weeks and the rule that a week belongs to the month of its Thursday.

Upload times are whole seconds since 1970-01-01 00:00 of the local wall clock (no time zone: the mobile app's
export gives local times), so ``at // 86400`` is the day number and day numbers are ``date`` ordinals shifted.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from crm_tui.core.errors import ValidationError
from crm_tui.i18n import _

EPOCH = date(1970, 1, 1)
EPOCH_ORDINAL = EPOCH.toordinal()
DAY = 86400

_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_WEEK_RE = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


def day_number(d: date) -> int:
    return d.toordinal() - EPOCH_ORDINAL


def day_of(number: int) -> date:
    return date.fromordinal(number + EPOCH_ORDINAL)


def to_seconds(moment: datetime) -> int:
    """Wall-clock seconds since the epoch (any tzinfo is ignored: the time is taken as written)."""
    moment = moment.replace(tzinfo=None)
    return day_number(moment.date()) * DAY + moment.hour * 3600 + moment.minute * 60 + moment.second


def from_seconds(seconds: int) -> datetime:
    days, rest = divmod(seconds, DAY)
    return datetime.combine(day_of(days), datetime.min.time()) + timedelta(seconds=rest)


def parse_month(text: str) -> tuple[int, int]:
    """``YYYY-MM`` → (year, month)."""
    m = _MONTH_RE.match(text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValidationError(_("Expected a month as YYYY-MM, got {value!r}").format(value=text), field="month")
    return int(m.group(1)), int(m.group(2))


def parse_week(text: str) -> date:
    """``YYYY-Www`` (ISO week) → its Monday."""
    m = _WEEK_RE.match(text or "")
    if not m:
        raise ValidationError(_("Expected a week as YYYY-Www (e.g. 2027-W09), got {value!r}").format(value=text),
                              field="week")
    try:
        return date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError as exc:
        raise ValidationError(_("No such week: {value}").format(value=text), field="week") from exc


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def week_key(monday: date) -> str:
    iso = monday.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def monday_of(d: date) -> date:
    return d - timedelta(days=d.weekday())


def month_of_week(monday: date) -> tuple[int, int]:
    """Weeks run Monday–Sunday; a week belongs to the month holding its Thursday."""
    thursday = monday + timedelta(days=3)
    return thursday.year, thursday.month


def weeks_of_month(year: int, month: int) -> list[date]:
    """The Mondays of the weeks belonging to the month (4 or 5 of them)."""
    first, last = month_bounds(year, month)
    monday = monday_of(first)
    out = []
    while monday <= last:
        if month_of_week(monday) == (year, month):
            out.append(monday)
        monday += timedelta(days=7)
    return out


def days(start: date, end: date):
    d = start
    while d <= end:
        yield d
        d += timedelta(days=1)
