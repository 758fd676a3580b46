"""The month-end tally of visit-policy.md, as a pure function: plain values in, plain results out, no database.

    result = tally_month(policy, 2027, 3, people, customers, uploads, events, absences)

``uploads`` is each person's rows in time order — ``[(person id, [Upload, …]), …]`` (``group_uploads`` makes
it from pairs) — as the database hands them over through a covering index. They are read in one pass: the
5-minute rule depends on the person's previous *counted* upload, so it cannot be computed row by row in SQL
(``LAG`` sees void rows too). Rows are plain tuples (``Upload`` is a NamedTuple): a million of them cost no
object construction.

Reading of the rules where visit-policy.md leaves room (each one has its own test):
- a row is checked for every reason at once and keeps all of them; any reason makes it void, and a void row
  does not move the person's clock;
- a new-customer upload is its own customer: it never counts as a visit to a CRM customer;
- the tally sees rows from the longest cycle's first month (and the day before, for the clock) to the end of
  the last week belonging to the month. Rows outside the month's days add nothing to the month's figures, but
  count for customers' cycles — and a week is a cycle too: a per-week minimum looks at all seven days of each
  week belonging to the month, even the days that fall in the month before;
- cycles longer than a month are rolling windows of N months ending with the tallied month (policy
  ``cycle_anchor = "calendar"`` checks fixed cycles counted from January instead, in their last month).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Any, NamedTuple

from crm_tui.services.visits.calendar import (
    DAY,
    add_months,
    day_number,
    day_of,
    from_seconds,
    month_bounds,
    month_key,
    week_key,
    weeks_of_month,
)
from crm_tui.services.visits.policy import Policy, RoleRule
from crm_tui.services.visits.voids import VoidList

# Upload kinds (the app's 类型 column). A banquet (帮送喜宴) row is an Event, not an Upload.
VISIT = 1
NEW_CUSTOMER = 2

# Reasons a row is void; English ids, translated for display by the caller.
UNKNOWN_CUSTOMER = "unknown customer"
NO_ADDRESS = "no address"
TOO_FEW_PHOTOS = "too few photos"
NEW_CUSTOMER_UNNAMED = "new customer not named with a phone"
TOO_SOON = "within the minimum interval"
BACKDATED = "visit and upload on different days"
LATE = "imported after its week was published"
COLLEAGUE_AREA = "in a car colleague's area: only new-customer uploads count"
REASONS = (UNKNOWN_CUSTOMER, NO_ADDRESS, TOO_FEW_PHOTOS, NEW_CUSTOMER_UNNAMED, TOO_SOON, BACKDATED, LATE,
           COLLEAGUE_AREA)
BACKDATED_BIT, LATE_BIT = 4, 8
VOIDING = BACKDATED_BIT | LATE_BIT   # flags that make a row void whatever else it holds
PHOTO_UNIT = 16   # quality = flags below 16 + 16 × photos


class Upload(NamedTuple):
    """One row of the mobile app's visit log (whose it is, is said by the group it comes in)."""

    at: int                 # wall-clock seconds since 1970-01-01 00:00 (calendar.to_seconds)
    kind: int               # VISIT or NEW_CUSTOMER
    customer: int | None    # the CRM customer's id; None when the row names no customer of the CRM
    quality: int            # address, photos and remarks packed into one small integer by quality()
    # How the row names its customer (code or name), or any value telling rows apart. Rows equal in person,
    # at, kind, customer and ref are the same upload, counted once. Carried into the void list.
    ref: Any = None

    @classmethod
    def of(cls, at: int, kind: int = 1, customer: int | None = None, *, has_address: bool = True,
           photos: int = 1, remarks_ok: bool = False, ref: Any = None, backdated: bool = False,
           late: bool = False) -> Upload:
        return cls(at, kind, customer, quality(has_address, photos, remarks_ok, backdated, late), ref)


def quality(has_address: bool, photos: int, remarks_ok: bool, backdated: bool = False, late: bool = False) -> int:
    """What the checks need of a row, in one integer: bit 0 the row has an address, bit 1 its remarks name a
    new customer with a phone, bit 2 it is back-dated, bit 3 it came after its week was published, the bits
    above the photo count. The database computes the same in SQL (loader.QUALITY_SQL), so a million rows come
    with one column instead of five."""
    return ((1 if has_address else 0) + (2 if remarks_ok else 0) + (BACKDATED_BIT if backdated else 0)
            + (LATE_BIT if late else 0) + PHOTO_UNIT * max(0, photos))


def unpack_quality(q: int) -> tuple[bool, int, bool]:
    """(has_address, photos, remarks_ok)."""
    return bool(q & 1), q // PHOTO_UNIT, bool(q & 2)


def group_uploads(rows: Iterable[tuple[int, Upload]]) -> list[tuple[int, list[Upload]]]:
    """(person, Upload) pairs in any order → each person's rows in time order, as tally_month wants them."""
    groups: dict[int, list[Upload]] = {}
    for person, row in rows:
        groups.setdefault(person, []).append(row)
    return [(person, sorted(rows, key=lambda u: u.at)) for person, rows in sorted(groups.items())]


class Event(NamedTuple):
    """An event that earns credits instead of counting as an upload (帮送喜宴)."""

    person: int
    at: int
    kind: str
    ref: Any = None


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    department: str | None
    role: str | None          # 岗位 (position)
    area: str | None = None
    staff_number: str | None = None
    active: bool = True


@dataclass(frozen=True)
class Customer:
    id: int
    code: str
    owner: int | None
    labels: frozenset[str] = frozenset()
    name: str = ""
    promotion: str | None = None   # 促销店 kind: the matching 促销主管 is in charge of it too
    area: str | None = None        # 片区: a car colleague's area holds only new-customer uploads (两人一车)


@dataclass(frozen=True)
class Absence:
    person: int
    kind: str                 # "leave" (days off work) or "flex" (報备 months: every month the range touches)
    start: date
    end: date


# --- results -----------------------------------------------------------------------------------------------

@dataclass
class DayFigures:
    date: date
    uploads: int = 0          # counted uploads + event upload credits
    visits: int = 0           # distinct customers of counted uploads + new-customer uploads + event visit credits
    quota: int = 0            # uploads required (0 on a day that is not a working day, or for roles without one)
    visits_quota: int = 0
    working: bool = False
    leave: bool = False
    flex: bool = False
    counted: int = 0
    events: int = 0
    void: int = 0
    fine: int = 0
    am: int = 0               # uploads (credits included) before the policy's noon; the rest are afternoon ones
    am_quota: int = 0
    pm_quota: int = 0
    future: bool = False      # after the tally's as-of date: not yet a working day, no shortfall

    @property
    def pm(self) -> int:
        return self.uploads - self.am

    @property
    def shortfall(self) -> int:
        """quota − uploads, or more when a half is short: the halves' missing uploads added up."""
        halves = max(0, self.am_quota - self.am) + max(0, self.pm_quota - self.pm)
        return max(0, self.quota - self.uploads, halves)


@dataclass
class WeekFigures:
    key: str
    start: date
    end: date
    working_days: int = 0
    uploads: int = 0
    visits: int = 0
    quota: int = 0
    void: int = 0
    fines: int = 0

    @property
    def shortfall(self) -> int:
        return max(0, self.quota - self.uploads)


@dataclass(frozen=True, slots=True)   # one per void upload: hundreds of thousands in a big month
class VoidUpload:
    at: int
    kind: int
    customer: int | None
    ref: Any
    reasons: tuple[str, ...]

    @property
    def moment(self):
        return from_seconds(self.at)


@dataclass(frozen=True)
class Shortfall:
    """A customer under its minimum: ``visits`` of ``required`` in the period that failed."""

    code: str
    visits: int
    required: int
    period: str               # "month", "week 2027-W10" or "N months"


@dataclass
class PersonMonth:
    person: Person
    rule: RoleRule
    working_days: int = 0
    uploads: int = 0
    visits: int = 0
    void_uploads: int = 0
    customers_in_charge: int = 0
    customers_visited: int = 0
    customers_not_visited: list[str] = field(default_factory=list)
    customers_under_minimum: list[str] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)
    daily_fines: int = 0
    customer_fines: int = 0
    flex: bool = False
    flex_shortfall: int | None = None
    flex_fine: int = 0
    month_over: bool = True   # as-of date on or after the month's last day: the monthly minimums are fined
    days: list[DayFigures] = field(default_factory=list)      # the month's days
    weeks: list[WeekFigures] = field(default_factory=list)    # the weeks belonging to the month
    voids: Sequence[VoidUpload] = field(default_factory=list)   # void uploads on the month's days (VoidList)

    @property
    def total_fine(self) -> int:
        return self.daily_fines + self.customer_fines + self.flex_fine


@dataclass
class MonthTally:
    year: int
    month: int
    policy_name: str
    people: list[PersonMonth]
    weeks: list[str]
    warnings: list[str] = field(default_factory=list)
    as_of: date | None = None
    customer_names: dict[str, str] = field(default_factory=dict)   # code → name of every customer listed
    # Every tallied day (month days plus the days of belonging weeks outside it), per person id.
    all_days: dict[int, dict[date, DayFigures]] = field(default_factory=dict, repr=False)

    @property
    def key(self) -> str:
        return month_key(self.year, self.month)

    def totals(self) -> dict[str, int]:
        keys = ("working_days", "uploads", "visits", "void_uploads", "customers_in_charge", "customers_visited",
                "daily_fines", "customer_fines", "flex_fine")
        out = {k: sum(getattr(p, k) for p in self.people) for k in keys}
        out["customers_not_visited"] = sum(len(p.customers_not_visited) for p in self.people)
        out["customers_under_minimum"] = sum(len(p.customers_under_minimum) for p in self.people)
        out["flex_shortfall"] = sum(p.flex_shortfall or 0 for p in self.people)
        out["total_fine"] = sum(p.total_fine for p in self.people)
        out["people"] = len(self.people)
        return out

    @property
    def month_over(self) -> bool:
        return self.as_of is None or self.as_of >= month_bounds(self.year, self.month)[1]

    @property
    def days_left(self) -> int:
        """Days of the month after the as-of date."""
        last = month_bounds(self.year, self.month)[1]
        return 0 if self.month_over else (last - self.as_of).days

    def week(self, person_id: int, monday: date) -> WeekFigures:
        return _week_figures(monday, self.all_days.get(person_id, {}))


# --- remarks of a new-customer upload ----------------------------------------------------------------------

_PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{7,8})(?!\d)")
_NOT_NAME = re.compile(r"[\s\d\W_]+", re.UNICODE)


def new_customer_remarks_ok(remarks: str | None) -> bool:
    """新客户开发: the remarks must name the new customer and give a contact phone number.

    A phone is a mobile (1xxxxxxxxxx), a landline with area code (0xxx-xxxxxxx) or a local 7–8 digit number;
    the name is at least two letters or characters besides the phone.
    """
    if not remarks:
        return False
    text = unicodedata.normalize("NFKC", remarks)
    if not _PHONE.search(text):
        return False
    rest = _NOT_NAME.sub("", _PHONE.sub(" ", text))
    return len(rest) >= 2


def classification_labels(text: str | None) -> frozenset[str]:
    """客户分类 is free labels separated by commas (also ，、;； and spaces)."""
    if not text:
        return frozenset()
    text = unicodedata.normalize("NFKC", text)
    return frozenset(p for p in re.split(r"[,，、;；\s]+", text) if p)


# --- the tally ---------------------------------------------------------------------------------------------

@dataclass
class _Window:
    """The days the tally looks at, as day numbers."""

    month_first: int
    month_last: int
    range_first: int      # first day with day figures (a belonging week may start in the month before)
    range_last: int
    read_first: int       # first day whose counted uploads matter (the longest cycle's first month)
    cut: int = 1 << 40    # first day after the as-of date: its rows have not happened yet

    @property
    def span(self) -> int:
        return self.range_last - self.read_first + 1


def _window(policy: Policy, year: int, month: int, mondays: list[date], as_of: date | None) -> _Window:
    first, last = month_bounds(year, month)
    range_first = min(first, mondays[0]) if mondays else first
    range_last = max(last, mondays[-1] + timedelta(days=6)) if mondays else last
    cy, cm = add_months(year, month, -(policy.longest_cycle_months - 1))
    read_first = min(date(cy, cm, 1), range_first)
    cut = day_number(as_of) + 1 if as_of is not None else day_number(range_last) + 1
    return _Window(day_number(first), day_number(last), day_number(range_first), day_number(range_last),
                   day_number(read_first), cut)


@dataclass
class _PersonDays:
    counted: list[int]
    visits: list[int]
    void: list[int]
    ev_uploads: list[int]
    ev_visits: list[int]
    events: list[int]
    voids: Sequence[VoidUpload]
    am: list[int]


def _blank_days(n: int) -> _PersonDays:
    return _PersonDays([0] * n, [0] * n, [0] * n, [0] * n, [0] * n, [0] * n, [], [0] * n)


def tally_month(policy: Policy, year: int, month: int, people: Iterable[Person], customers: Iterable[Customer],
                uploads: Iterable[tuple[int, Iterable[Upload]]], events: Iterable[Event] = (),
                absences: Iterable[Absence] = (), as_of: date | None = None) -> MonthTally:
    """Tally one month. ``uploads``: each person once, with their rows sorted by time (see group_uploads).

    ``as_of``: the day the tally is made (None: after the month). Later days are neither working days nor
    short, their rows are left out, and customers under their minimum are fined only when the month is over.
    """
    mondays = weeks_of_month(year, month)
    win = _window(policy, year, month, mondays, as_of)
    people = {p.id: p for p in people}
    rules = {pid: policy.role_for(p.department, p.role, p.area) for pid, p in people.items()}
    customers = list(customers)
    foreign = colleague_customers(policy, people, customers)
    per_person, visit_days = _read_uploads(policy, win, uploads, rules, foreign)
    _read_events(policy, win, events, people, per_person)
    leave, flex = _absences(absences)

    result = MonthTally(year, month, policy.name, [], [week_key(m) for m in mondays], as_of=as_of)
    result.warnings.extend(policy.calendar_warnings(day_of(win.range_first), day_of(win.range_last)))
    owned: dict[int, list[Customer]] = {}
    promotion: dict[str, list[Customer]] = {}
    for c in customers:
        if c.owner is not None:
            owned.setdefault(c.owner, []).append(c)
        if c.promotion:
            promotion.setdefault(c.promotion, []).append(c)

    for pid, person in people.items():
        rule = rules[pid]
        days = per_person.get(pid)
        if rule is None:
            if days is not None and (any(days.counted) or any(days.void)):
                result.warnings.append(_no_rule_warning(person))
            continue
        if not person.active and days is None:
            continue
        figures = _day_figures(policy, win, rule, days or _blank_days(win.range_last - win.range_first + 1),
                               leave.get(pid, set()), flex.get(pid, set()))
        result.all_days[pid] = figures
        pm = _person_month(policy, year, month, win, person, rule, figures, mondays,
                           (year, month) in flex.get(pid, set()), result.month_over)
        pm.voids = days.voids if days else []
        _customers(policy, year, month, win, pm, _in_charge(rule, pid, owned, promotion), visit_days, mondays,
                   result.customer_names)
        if not pm.month_over:   # "so far / required": shown, not fined before the month's last day
            pm.customer_fines = 0
        result.people.append(pm)
    for pid in per_person:
        if pid not in people:
            result.warnings.append(f"uploads of unknown staff id {pid}")
    result.people.sort(key=lambda p: (p.person.department or "", p.person.staff_number or "", p.person.name))
    return result


def _in_charge(rule: RoleRule, pid: int, owned: dict[int, list[Customer]],
               promotion: dict[str, list[Customer]]) -> list[Customer]:
    """A person's own customers, and for a 促销主管 every promotion store of their kind (each once)."""
    mine = owned.get(pid, [])
    if not rule.promotion_store:
        return mine
    seen = {c.id for c in mine}
    return mine + [c for c in promotion.get(rule.promotion_store, []) if c.id not in seen]


def _no_rule_warning(person: Person) -> str:
    return (f"{person.name} ({person.department or '-'} / {person.role or '-'} / {person.area or '-'}): "
            f"uploads but no rule in the policy; they count for customers' visits only")


def colleague_customers(policy: Policy, people: dict[int, Person],
                        customers: list[Customer]) -> dict[int, frozenset[int]]:
    """两人一车: per person, the customers in a car colleague's area (the colleague's 片区 or their own
    customers), less the person's own customers and area."""
    partners: dict[int, set[int]] = {}
    keys: dict[str, int] = {}
    for pid, p in people.items():
        keys.setdefault(p.name, pid)
        if p.staff_number:
            keys[p.staff_number] = pid
    for group in policy.car_pairs:
        ids = {keys[s] for s in group if s in keys}
        for pid in ids:
            partners.setdefault(pid, set()).update(ids - {pid})
    if policy.car_pairs_from_areas:
        for pid, p in people.items():
            for qid, q in people.items():
                if qid != pid and p.area and q.area and q.area != p.area and q.department == p.department:
                    partners.setdefault(pid, set()).add(qid)
    out: dict[int, frozenset[int]] = {}
    for pid, others in partners.items():
        own_area = people[pid].area
        areas = {people[q].area for q in others if people[q].area and people[q].area != own_area}
        out[pid] = frozenset(c.id for c in customers if c.owner != pid and (
            c.owner in others or (c.area is not None and c.area in areas)))
    return out


def _read_uploads(policy: Policy, win: _Window, uploads: Iterable[tuple[int, Iterable[Upload]]],
                  rules: dict[int, RoleRule | None],
                  colleagues: dict[int, frozenset[int]] | None = None) -> tuple[dict[int, _PersonDays], _VisitDays]:
    """One pass over each person's rows: the 5-minute clock, validity, and what each counted upload adds."""
    interval = policy.min_interval_seconds
    clock_from = (win.read_first - 1) * DAY   # the day before: an upload just before midnight moves the clock
    read_from = win.read_first * DAY
    range_from, range_to = win.range_first * DAY, min(win.range_last + 1, win.cut) * DAY
    noon = policy.noon_seconds
    month_from, month_to = win.month_first * DAY, (win.month_last + 1) * DAY
    range_first, n_days = win.range_first, win.range_last - win.range_first + 1
    span, read_first = win.span, win.read_first
    customer_days: set[int] = set()   # customer * span + day offset: the customers' distinct visit days
    per_person: dict[int, _PersonDays] = {}

    for pid, rows in uploads:
        rule = rules.get(pid)
        photos = rule.photos if rule is not None else policy.default_photos
        need = PHOTO_UNIT * photos   # q >= need ⇔ photos >= required, whatever the flag bits hold
        days = per_person[pid] = _blank_days(n_days)
        counted, visits, void, am = days.counted, days.visits, days.void, days.am
        pairs: set[int] = set()   # customer * 64 + day offset: the person's distinct customers of each day
        foreign = colleagues.get(pid) if colleagues else None   # 两人一车: a car colleague's customers
        days.voids = VoidList(partial(_void_upload, photos=photos, interval=interval, foreign=foreign))
        add_void = days.voids.add
        last = prev_at = -(1 << 62)
        prev = ties = None
        for row in rows:
            at, kind, cust, q, ref = row
            if at < clock_from or at >= range_to:
                continue
            if at == prev_at:   # a repeated row (same person, time, customer, kind) is the same upload
                if ties is None:
                    ties = {(prev[1], prev[2], prev[4])}
                key = (kind, cust, ref)
                if key in ties:
                    continue
                ties.add(key)
            else:
                ties = None
            prev_at, prev = at, row
            if kind == VISIT:
                bad = cust is None or not q & 1 or q < need or q & VOIDING or (foreign and cust in foreign)
            else:   # a new-customer upload must name the customer and a phone in its remarks
                bad = not q & 1 or q < need or not q & 2 or q & VOIDING
            if bad or at - last <= interval:
                if at >= range_from:
                    void[at // DAY - range_first] += 1
                    if month_from <= at < month_to:
                        add_void(row, last)
                continue   # a void upload does not move the clock
            last = at
            if at < range_from:   # an earlier month: only customers' cycles
                if at >= read_from and kind == VISIT:
                    customer_days.add(cust * span + at // DAY - read_first)
                continue
            day = at // DAY
            offset = day - range_first
            counted[offset] += 1
            if at % DAY < noon:
                am[offset] += 1
            if kind == VISIT:
                customer_days.add(cust * span + day - read_first)
                pairs.add(cust * 64 + offset)
            else:
                visits[offset] += 1   # each new-customer upload is its own customer
        for v in pairs:
            visits[v & 63] += 1
    return per_person, _VisitDays(sorted(customer_days), span, read_first)


def _void_upload(row: Upload, last: int, photos: int, interval: int,
                 foreign: frozenset[int] | None) -> VoidUpload:
    return VoidUpload(row[0], row[1], row[2], row[4], _reasons(row, photos, last, interval, foreign))


def _reasons(row: Upload, photos_needed: int, last: int, interval: int,
             foreign: frozenset[int] | None = None) -> tuple[str, ...]:
    at, kind, cust, q, _ref = row
    has_address, photos, remarks_ok = unpack_quality(q)
    out = []
    if cust is None and kind != NEW_CUSTOMER:
        out.append(UNKNOWN_CUSTOMER)
    if not has_address:
        out.append(NO_ADDRESS)
    if photos < photos_needed:
        out.append(TOO_FEW_PHOTOS)
    if kind == NEW_CUSTOMER and not remarks_ok:
        out.append(NEW_CUSTOMER_UNNAMED)
    if at - last <= interval:
        out.append(TOO_SOON)
    if q & BACKDATED_BIT:
        out.append(BACKDATED)
    if q & LATE_BIT:
        out.append(LATE)
    if foreign and kind == VISIT and cust in foreign:
        out.append(COLLEAGUE_AREA)
    return tuple(out)


def _read_events(policy: Policy, win: _Window, events: Iterable[Event], people: dict[int, Person],
                 per_person: dict[int, _PersonDays]) -> None:
    seen: set[tuple] = set()
    n_days = win.range_last - win.range_first + 1
    for ev in events:
        key = (ev.person, ev.at, ev.kind, ev.ref)
        if key in seen:
            continue
        seen.add(key)
        offset = ev.at // DAY - win.range_first
        if not 0 <= offset < n_days or ev.at // DAY >= win.cut:
            continue
        person = people.get(ev.person)
        visits, uploads = policy.event_credit(ev.kind, person.department if person else None)
        days = per_person.get(ev.person)
        if days is None:
            days = per_person[ev.person] = _blank_days(n_days)
        days.events[offset] += 1
        days.ev_visits[offset] += visits
        days.ev_uploads[offset] += uploads
        if ev.at % DAY < policy.noon_seconds:
            days.am[offset] += uploads


def _absences(absences: Iterable[Absence]) -> tuple[dict[int, set[date]], dict[int, set[tuple[int, int]]]]:
    leave: dict[int, set[date]] = {}
    flex: dict[int, set[tuple[int, int]]] = {}
    for a in absences:
        if a.kind == "leave":
            d = a.start
            while d <= a.end:
                leave.setdefault(a.person, set()).add(d)
                d += timedelta(days=1)
        elif a.kind == "flex":
            y, m = a.start.year, a.start.month
            while (y, m) <= (a.end.year, a.end.month):
                flex.setdefault(a.person, set()).add((y, m))
                y, m = add_months(y, m, 1)
        else:
            raise ValueError(f"unknown absence kind {a.kind!r}")
    return leave, flex


def _day_figures(policy: Policy, win: _Window, rule: RoleRule, days: _PersonDays, leave: set[date],
                 flex: set[tuple[int, int]]) -> dict[date, DayFigures]:
    out: dict[date, DayFigures] = {}
    for offset in range(win.range_last - win.range_first + 1):
        d = day_of(win.range_first + offset)
        on_leave = d in leave
        future = win.range_first + offset >= win.cut
        working = policy.is_working_weekday(d) and not on_leave and not future
        in_flex = (d.year, d.month) in flex
        fig = DayFigures(
            date=d, counted=days.counted[offset], events=days.events[offset], void=days.void[offset],
            uploads=days.counted[offset] + days.ev_uploads[offset], visits=days.visits[offset] + days.ev_visits[offset],
            working=working, leave=on_leave, flex=in_flex, am=days.am[offset], future=future,
            quota=(rule.uploads_per_day or 0) if working else 0,
            visits_quota=(rule.visits_per_day or 0) if working else 0,
            am_quota=rule.am_min if working else 0, pm_quota=rule.pm_min if working else 0)
        if working and rule.uploads_per_day and not in_flex:
            fig.fine = policy.fines.for_shortfall(rule.uploads_per_day, fig.shortfall)
        out[d] = fig
    return out


def _week_figures(monday: date, figures: dict[date, DayFigures]) -> WeekFigures:
    week = WeekFigures(week_key(monday), monday, monday + timedelta(days=6))
    for i in range(7):
        f = figures.get(monday + timedelta(days=i))
        if f is None:
            continue
        week.working_days += f.working
        week.uploads += f.uploads
        week.visits += f.visits
        week.quota += f.quota
        week.void += f.void
        week.fines += f.fine
    return week


def _person_month(policy: Policy, year: int, month: int, win: _Window, person: Person, rule: RoleRule,
                  figures: dict[date, DayFigures], mondays: list[date], in_flex: bool,
                  month_over: bool) -> PersonMonth:
    pm = PersonMonth(person=person, rule=rule, flex=in_flex, month_over=month_over)
    for n in range(win.month_first, win.month_last + 1):
        f = figures[day_of(n)]
        pm.days.append(f)
        pm.working_days += f.working
        pm.uploads += f.uploads
        pm.visits += f.visits
        pm.void_uploads += f.void
        pm.daily_fines += f.fine
    pm.weeks = [_week_figures(m, figures) for m in mondays]
    if in_flex:
        required = pm.working_days * (rule.uploads_per_day or 0)
        pm.flex_shortfall = max(0, required - pm.uploads)
        pm.flex_fine = policy.flex.fine(pm.flex_shortfall) if month_over else 0
    return pm


@dataclass(frozen=True)
class _VisitDays:
    """Every customer's distinct visit days, as one sorted list of ``customer * span + day offset``: the
    number of a customer's visit days in any period is two binary searches."""

    keys: list[int]
    span: int
    base: int   # the day number of offset 0

    def count(self, customer: int, first_day: int, last_day: int) -> int:
        lo = customer * self.span + max(0, first_day - self.base)
        hi = customer * self.span + min(self.span - 1, last_day - self.base)
        if hi < lo:
            return 0
        return bisect_right(self.keys, hi) - bisect_left(self.keys, lo)


def _customers(policy: Policy, year: int, month: int, win: _Window, pm: PersonMonth, mine: list[Customer],
               visit_days: _VisitDays, mondays: list[date], names: dict[str, str]) -> None:
    weeks = [(week_key(m), day_number(m), day_number(m) + 6) for m in mondays]
    for c in mine:
        in_month = visit_days.count(c.id, win.month_first, win.month_last)
        pm.customers_in_charge += 1
        if in_month:
            pm.customers_visited += 1
        else:
            pm.customers_not_visited.append(c.code)
            names[c.code] = c.name
        short = _shortfall(policy, year, month, win, pm, c, visit_days, in_month, weeks)
        if short is not None:
            pm.shortfalls.append(short)
            names[c.code] = c.name
    pm.customers_not_visited.sort()
    pm.shortfalls.sort(key=lambda s: s.code)
    pm.customers_under_minimum = [s.code for s in pm.shortfalls]
    pm.customer_fines = policy.fines.per_customer * len(pm.shortfalls)


def _shortfall(policy: Policy, year: int, month: int, win: _Window, pm: PersonMonth, c: Customer,
               visit_days: _VisitDays, in_month: int, weeks) -> Shortfall | None:
    rule = pm.rule
    cycle = policy.cycle_for(pm.person.department, rule.role, c.labels)
    if cycle is not None and cycle.months > 1:
        if policy.cycle_anchor == "calendar" and (year * 12 + month) % cycle.months != 0:
            return None   # this month does not end one of the fixed cycles
        cy, cm = add_months(year, month, -(cycle.months - 1))
        n = visit_days.count(c.id, day_number(date(cy, cm, 1)), win.month_last)
        if n < cycle.minimum:
            return Shortfall(c.code, n, cycle.minimum, f"{cycle.months} months")
        return None
    if cycle is not None:   # a one-month cycle simply replaces the role's minimum
        minimum, period = cycle.minimum, "month"
    else:
        minimum, period = rule.minimum, rule.period
    if minimum <= 0:
        return None
    if period == "week":
        for key, lo, hi in weeks:
            n = visit_days.count(c.id, lo, hi)
            if n < minimum:
                return Shortfall(c.code, n, minimum, f"week {key}")
        return None
    if in_month < minimum:
        return Shortfall(c.code, in_month, minimum, "month")
    return None
