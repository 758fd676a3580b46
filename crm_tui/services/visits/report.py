"""The tally as plain data: the JSON of ``crm visits tally --format json``, the frozen publications, and what
the workbook and the screens show. One dict shape for all of them, so their totals can never differ.

Void reasons are stable English ids in the data (scripts key on them); ``reason_label`` translates them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any

from crm_tui.i18n import _
from crm_tui.services.visits.calendar import week_key
from crm_tui.services.visits.tally import (
    BACKDATED,
    COLLEAGUE_AREA,
    LATE,
    NEW_CUSTOMER,
    NEW_CUSTOMER_UNNAMED,
    NO_ADDRESS,
    TOO_FEW_PHOTOS,
    TOO_SOON,
    UNKNOWN_CUSTOMER,
    DayFigures,
    MonthTally,
    PersonMonth,
    VoidUpload,
    WeekFigures,
)

KIND_LABELS = {1: "拜访", NEW_CUSTOMER: "新客户(终端)开发"}

TOTAL_KEYS = ("people", "working_days", "uploads", "visits", "void_uploads", "customers_in_charge",
              "customers_visited", "customers_not_visited", "customers_under_minimum", "daily_fines",
              "customer_fines", "flex_shortfall", "flex_fine", "total_fine")


def reason_label(reason: str) -> str:
    labels = {
        UNKNOWN_CUSTOMER: _("unknown customer"),
        NO_ADDRESS: _("no address"),
        TOO_FEW_PHOTOS: _("too few photos"),
        NEW_CUSTOMER_UNNAMED: _("new customer not named with a phone"),
        TOO_SOON: _("within the minimum interval"),
        BACKDATED: _("visit and upload on different days"),
        LATE: _("imported after its week was published"),
        COLLEAGUE_AREA: _("in a car colleague's area: only new-customer uploads count"),
    }
    return labels.get(reason, reason)


def day_dict(d: DayFigures) -> dict[str, Any]:
    return {"date": d.date.isoformat(), "uploads": d.uploads, "visits": d.visits, "quota": d.quota,
            "fine": d.fine, "working": d.working, "leave": d.leave, "visits_quota": d.visits_quota,
            "shortfall": d.shortfall, "counted": d.counted, "events": d.events, "void": d.void,
            "am": d.am, "pm": d.pm, "am_quota": d.am_quota, "pm_quota": d.pm_quota, "future": d.future}


def week_dict(w: WeekFigures) -> dict[str, Any]:
    return {"week": w.key, "start": w.start.isoformat(), "end": w.end.isoformat(), "working_days": w.working_days,
            "uploads": w.uploads, "visits": w.visits, "quota": w.quota, "shortfall": w.shortfall, "void": w.void,
            "fines": w.fines}


# refs of a chunk of void uploads → each one's details (customer code and name, address, photos, remarks)
Details = Callable[[list[Any]], list[dict[str, Any]]]
CHUNK = 900   # void uploads made into report rows at a time (also the database's bound-parameter limit)


def refs_only(refs: list[Any]) -> list[dict[str, Any]]:
    return [{"customer": ref} for ref in refs]


class VoidRows(list):
    """A person's void uploads as report rows, made a chunk at a time whenever they are read.

    A month can hold millions of void uploads: kept as dicts they would take gigabytes, so the report holds
    the tally's packed list and makes the rows on demand. It reads as a list (len, index, slices, iteration,
    ==) and json writes it as one; copy and pickle give a plain list. It is read-only.
    """

    def __init__(self, voids: Sequence[VoidUpload], details: Details) -> None:
        super().__init__()
        self._voids, self._details = voids, details

    def _rows(self, voids: list[VoidUpload]) -> list[dict[str, Any]]:
        found = [d for i in range(0, len(voids), CHUNK) for d in self._details([v.ref for v in voids[i:i + CHUNK]])]
        return [{"time": void_time(v.at), "kind": KIND_LABELS.get(v.kind, str(v.kind)), **more,
                 "reasons": list(v.reasons)} for v, more in zip(voids, found, strict=True)]

    def __len__(self) -> int:
        return len(self._voids)

    def __bool__(self) -> bool:
        return len(self._voids) > 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for i in range(0, len(self._voids), CHUNK):
            yield from self._rows(self._voids[i:i + CHUNK])

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._rows(self._voids[index])
        return self._rows([self._voids[index]])[0]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, list) and len(self) == len(other) and list(self) == list(other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self):
        return list, (list(self),)

    def __repr__(self) -> str:
        return f"VoidRows({len(self)} void uploads)"

    def _read_only(self, *_args, **_kwargs):
        raise TypeError("VoidRows is read-only")  # list's own methods would act on the empty list underneath

    append = extend = insert = remove = pop = sort = reverse = clear = _read_only
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _read_only


def person_dict(pm: PersonMonth, details: Details) -> dict[str, Any]:
    p = pm.person
    return {
        "staff": p.name, "staff_number": p.staff_number, "department": p.department, "role": pm.rule.role,
        "area": p.area, "working_days": pm.working_days, "uploads": pm.uploads, "visits": pm.visits,
        "void_uploads": pm.void_uploads, "customers_in_charge": pm.customers_in_charge,
        "customers_visited": pm.customers_visited, "customers_not_visited": list(pm.customers_not_visited),
        "customers_under_minimum": list(pm.customers_under_minimum), "daily_fines": pm.daily_fines,
        "customer_fines": pm.customer_fines, "flex": pm.flex, "flex_shortfall": pm.flex_shortfall,
        "flex_fine": pm.flex_fine, "total_fine": pm.total_fine,
        "uploads_per_day": pm.rule.uploads_per_day, "visits_per_day": pm.rule.visits_per_day,
        "days": [day_dict(d) for d in pm.days],
        "weeks": [week_dict(w) for w in pm.weeks],
        "under_minimum": [{"customer": s.code, "visits": s.visits, "required": s.required, "period": s.period}
                          for s in pm.shortfalls],
        "void": VoidRows(pm.voids, details),
    }


def totals_of(people: list[dict[str, Any]]) -> dict[str, int]:
    """The totals row, computed from the people as reported (the workbook sums the same numbers)."""
    out: dict[str, int] = {"people": len(people)}
    for key in TOTAL_KEYS[1:]:
        if key in ("customers_not_visited", "customers_under_minimum"):
            out[key] = sum(len(p[key]) for p in people)
        else:
            out[key] = sum(p[key] or 0 for p in people)
    return out


def month_report(result: MonthTally, details: Details | None = None, visible: frozenset[int] | None = None,
                 policy_digest: str = "") -> dict[str, Any]:
    """The month's report; ``visible`` limits it to the people the reader may see (None: everyone)."""
    details = details or refs_only
    people = [person_dict(pm, details) for pm in result.people if visible is None or pm.person.id in visible]
    return {
        "month": result.key, "as_of": result.as_of.isoformat() if result.as_of else None,
        "month_over": result.month_over, "days_left": result.days_left,
        "policy": result.policy_name, "policy_digest": policy_digest, "published": False,
        "weeks": list(result.weeks), "people": people, "departments": departments_of(people),
        "totals": totals_of(people), "warnings": list(result.warnings) if visible is None else [],
        "customer_names": {code: name for code, name in sorted(result.customer_names.items())
                           if any(code in p["customers_not_visited"] or code in p["customers_under_minimum"]
                                  for p in people)} if visible is not None else dict(
            sorted(result.customer_names.items())),
    }


def departments_of(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per department: its people's sums (the monthly summary per department)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for p in people:
        groups.setdefault(p["department"] or "", []).append(p)
    return [{"department": name, **totals_of(members)} for name, members in sorted(groups.items())]


def week_report(result: MonthTally, monday: date, visible: frozenset[int] | None = None) -> dict[str, Any]:
    """The weekly publication (公示): each person's seven days and week sums, per department."""
    people = []
    for pm in result.people:
        if visible is not None and pm.person.id not in visible:
            continue
        figures = result.all_days[pm.person.id]
        week = result.week(pm.person.id, monday)
        days = [day_dict(figures[d]) for d in sorted(figures) if week.start <= d <= week.end]
        people.append({"staff": pm.person.name, "staff_number": pm.person.staff_number,
                       "department": pm.person.department, "role": pm.rule.role, **week_dict(week), "days": days})
    departments: dict[str, dict[str, Any]] = {}
    for p in people:
        dept = departments.setdefault(p["department"] or "", {"department": p["department"] or "", "people": 0,
                                                             "uploads": 0, "visits": 0, "void": 0, "fines": 0})
        dept["people"] += 1
        for key in ("uploads", "visits", "void", "fines"):
            dept[key] += p[key]
    totals = {key: sum(p[key] for p in people) for key in ("uploads", "visits", "void", "fines", "quota")}
    totals["people"] = len(people)
    return {"week": week_key(monday), "month": result.key, "as_of": result.as_of.isoformat() if result.as_of else None,
            "start": monday.isoformat(),
            "end": date.fromordinal(monday.toordinal() + 6).isoformat(), "policy": result.policy_name,
            "published": False, "people": people,
            "departments": [departments[k] for k in sorted(departments)], "totals": totals}


def void_time(seconds: int) -> str:
    """Wall-clock seconds → "YYYY-MM-DD HH:MM:SS" (gmtime: the seconds carry no time zone)."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds))
