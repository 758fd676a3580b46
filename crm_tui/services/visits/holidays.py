"""China's statutory holidays and make-up working days (调休), from the ``chinese-calendar`` package.

The package knows the State Council's schedule for a range of years only; outside it ``statutory_day`` says
``UNKNOWN`` and the tally warns that the policy alone decides that year's working days.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import chinese_calendar

HOLIDAY = "holiday"        # a statutory day off (including weekend days inside a holiday)
WORKDAY = "workday"        # a make-up working day (调休) on a weekend
ORDINARY = "ordinary"      # neither: the company's own weekdays decide
UNKNOWN = "unknown"        # a year the package has no data for


@lru_cache(maxsize=4096)
def statutory_day(day: date) -> str:
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return UNKNOWN
    if name is None:
        return ORDINARY   # an ordinary weekday or weekend day
    return HOLIDAY if on_holiday else WORKDAY


def known_year(year: int) -> bool:
    return statutory_day(date(year, 1, 1)) != UNKNOWN
