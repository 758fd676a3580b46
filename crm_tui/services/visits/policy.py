"""The visit policy: a TOML file of rules, loaded and checked into plain frozen dataclasses.

The shipped default (``assets/policies/default.toml``) is the seed's rulebook. Every key is checked on load;
an unknown key, a missing one or a bad value raises ``PolicyError`` naming the key (``roles[3].photos``:
tables of an array are counted from 1, as a person reading the file counts them).
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from crm_tui.core.errors import ValidationError
from crm_tui.i18n import _
from crm_tui.services.visits.holidays import HOLIDAY, WORKDAY, known_year, statutory_day

PERIODS = ("month", "week")
STATUTORY = ("china", "none")
PROMOTION_STORES = ("超市促销店", "促销餐饮店")   # as customers' 促销店 flag holds them
ANCHORS = ("rolling", "calendar")
AT_BOUNDARY = ("large", "small")


class PolicyError(ValidationError):
    """A bad policy file; ``field`` is the key at fault."""


@dataclass(frozen=True)
class RoleRule:
    department: str
    role: str
    areas: tuple[str, ...] = ()
    visits_per_day: int | None = None
    uploads_per_day: int | None = None
    photos: int = 1
    minimum: int = 0
    period: str = "month"
    note: str = ""
    am_min: int = 0           # uploads required before the policy's noon (上午), and from noon on (下午)
    pm_min: int = 0
    # 促销主管: in charge of every customer flagged with this promotion store kind (超市促销店 / 促销餐饮店)
    promotion_store: str | None = None

    @property
    def label(self) -> str:
        return f"{self.department} {self.role}" + (f" ({'、'.join(self.areas)})" if self.areas else "")


@dataclass(frozen=True)
class CycleRule:
    roles: tuple[str, ...]
    classification: str
    months: int
    minimum: int = 1
    department: str | None = None
    note: str = ""


@dataclass(frozen=True)
class EventRule:
    kind: str
    department: str
    visits: int
    uploads: int


@dataclass(frozen=True)
class Fines:
    small: int = 50
    large: int = 100
    boundary_percent: int = 50
    at_boundary: str = "large"
    per_customer: int = 50

    def daily(self, quota: int, uploads: int) -> int:
        """The fine for one working day: shortfall 0 → 0; below the boundary → small; at/above → large."""
        return self.for_shortfall(quota, quota - uploads)

    def for_shortfall(self, quota: int, shortfall: int) -> int:
        if shortfall <= 0:
            return 0
        # Integer arithmetic: shortfall / quota compared with boundary_percent / 100, exactly.
        scaled, bound = shortfall * 100, quota * self.boundary_percent
        if scaled > bound or (scaled == bound and self.at_boundary == "large"):
            return self.large
        return self.small


@dataclass(frozen=True)
class Flex:
    per_missing_upload: int = 0
    when_short: int = 0

    def fine(self, shortfall: int) -> int:
        if shortfall <= 0:
            return 0
        return self.per_missing_upload * shortfall + self.when_short


@dataclass(frozen=True)
class Policy:
    name: str
    working_weekdays: frozenset[int]
    holidays: frozenset[date]
    extra_working_days: frozenset[date]
    cycle_anchor: str
    min_interval_seconds: int
    default_photos: int
    fines: Fines
    flex: Flex
    roles: tuple[RoleRule, ...]
    cycles: tuple[CycleRule, ...] = ()
    events: tuple[EventRule, ...] = ()
    source: str = ""
    digest: str = field(default="", compare=False)
    statutory: str = "china"          # "china": China's holidays and 调休 from chinese-calendar; "none"
    noon_seconds: int = 12 * 3600     # the boundary between morning and afternoon uploads
    # 两人一车: groups of staff (names or 工号) sharing a car; and/or every colleague of the same department
    # with another area (car_pairs_from_areas). In a colleague's area only new-customer uploads count.
    car_pairs: tuple[tuple[str, ...], ...] = ()
    car_pairs_from_areas: bool = False

    def is_working_weekday(self, day: date) -> bool:
        """A working day before leave. The policy's own lists win; then China's statutory calendar (a holiday
        is off, a 调休 day is worked); then the company's working weekdays."""
        if day in self.extra_working_days:
            return True
        if day in self.holidays:
            return False
        if self.statutory == "china":
            kind = statutory_day(day)
            if kind == HOLIDAY:
                return False
            if kind == WORKDAY:
                return True
        return day.isoweekday() in self.working_weekdays

    def calendar_warnings(self, first: date, last: date) -> list[str]:
        """Years of first..last the statutory calendar has no data for: the policy alone decides them."""
        if self.statutory != "china":
            return []
        return [_("China's holiday calendar has no data for {year}: its holidays and make-up working days "
                  "come from the policy alone.").format(year=year)
                for year in range(first.year, last.year + 1) if not known_year(year)]

    def role_for(self, department: str | None, role: str | None, area: str | None) -> RoleRule | None:
        """The rule for a person; a rule naming the person's area wins over one for every area."""
        general = None
        for rule in self.roles:
            if rule.department != department or rule.role != role:
                continue
            if rule.areas:
                if area in rule.areas:
                    return rule
            elif general is None:
                general = rule
        return general

    def cycle_for(self, department: str | None, role: str, labels: frozenset[str]) -> CycleRule | None:
        for cycle in self.cycles:
            if role in cycle.roles and cycle.classification in labels and (
                    cycle.department is None or cycle.department == department):
                return cycle
        return None

    def event_credit(self, kind: str, department: str | None) -> tuple[int, int]:
        """(visits, uploads) one event of ``kind`` earns in ``department``; (0, 0) when the policy names none."""
        for rule in self.events:
            if rule.kind == kind and rule.department == department:
                return rule.visits, rule.uploads
        return 0, 0

    @property
    def event_kinds(self) -> frozenset[str]:
        return frozenset(rule.kind for rule in self.events)

    @property
    def longest_cycle_months(self) -> int:
        return max((c.months for c in self.cycles), default=1)


# --- loading -----------------------------------------------------------------------------------------------

def default_policy_path() -> Path:
    return Path(str(resources.files("crm_tui") / "assets" / "policies" / "default.toml"))


def load_policy(path: str | Path | None = None) -> Policy:
    """Load the policy from ``path``, else from the setting ``[visits] policy``, else the shipped default."""
    if path is None:
        from crm_tui.config import get_settings

        path = (get_settings().get("visits") or {}).get("policy") or None
    source = Path(path) if path else default_policy_path()
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise PolicyError(_("Cannot read the policy file {file}: {error}").format(file=source, error=exc.strerror)) from exc
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PolicyError(_("{file}: not valid TOML: {error}").format(file=source.name, error=exc)) from exc
    policy = parse_policy(data, source=source.name)
    return _with_digest(policy, raw)


def _with_digest(policy: Policy, raw: bytes) -> Policy:
    from dataclasses import replace

    return replace(policy, digest=hashlib.sha256(raw).hexdigest()[:16])


class _Reader:
    """Reads one table of the file, naming every key it complains about."""

    def __init__(self, table: Any, where: str, source: str):
        self.where, self.source = where, source
        if not isinstance(table, dict):
            self.fail("", _("expected a table"), table)
        self.table = table
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def fail(self, name: str, expected: str, got: Any = ...) -> None:
        key = self.key(name) if name else self.where
        got_text = "" if got is ... else _(", got {value!r}").format(value=got)
        raise PolicyError(_("{file}: {key}: {expected}{got}").format(
            file=self.source, key=key or _("(top level)"), expected=expected, got=got_text), field=key)

    def get(self, name: str, default: Any = ..., required: bool = False) -> Any:
        self.used.add(name)
        if name not in self.table:
            if required or default is ...:
                self.fail(name, _("this key is required"))
            return default
        return self.table[name]

    def integer(self, name: str, default: Any = ..., minimum: int = 0, maximum: int | None = None) -> Any:
        value = self.get(name, default)
        if value is None and default is None and name not in self.table:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum or (
                maximum is not None and value > maximum):
            bound = f"{minimum}–{maximum}" if maximum is not None else f"≥ {minimum}"
            self.fail(name, _("expected a whole number {bound}").format(bound=bound), value)
        return value

    def text(self, name: str, default: Any = ..., choices: tuple[str, ...] | None = None) -> Any:
        value = self.get(name, default)
        if value is None and default is None:
            return None
        if not isinstance(value, str) or (not value.strip() and default is ...):
            self.fail(name, _("expected text"), value)
        value = value.strip()
        if choices and value not in choices:
            self.fail(name, _("expected one of {choices}").format(choices=", ".join(choices)), value)
        return value

    def texts(self, name: str, default: Any = ...) -> tuple[str, ...]:
        value = self.get(name, default)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(name, _("expected a list of texts"), value)
        return tuple(v.strip() for v in value)

    def dates(self, name: str) -> frozenset[date]:
        value = self.get(name, [])
        if not isinstance(value, list):
            self.fail(name, _("expected a list of dates (YYYY-MM-DD)"), value)
        out = set()
        for i, item in enumerate(value, start=1):
            if isinstance(item, date):
                out.add(item)
                continue
            try:
                out.add(date.fromisoformat(str(item)))
            except ValueError:
                self.fail(f"{name}[{i}]", _("expected a date YYYY-MM-DD"), item)
        return frozenset(out)

    def table_of(self, name: str) -> _Reader:
        return _Reader(self.get(name, {}), self.key(name), self.source)

    def array_of_tables(self, name: str) -> list[_Reader]:
        value = self.get(name, [])
        if not isinstance(value, list):
            self.fail(name, _("expected an array of tables ([[{name}]])").format(name=name), value)
        return [_Reader(item, f"{self.key(name)}[{i}]", self.source) for i, item in enumerate(value, start=1)]

    def done(self) -> None:
        """Unknown keys are errors: a typo must not silently fall back to a default."""
        for name in self.table:
            if name not in self.used:
                self.fail(name, _("unknown key"))


def parse_policy(data: dict, source: str = "policy") -> Policy:
    top = _Reader(data, "", source)
    name = top.text("name", "")
    cal = top.table_of("calendar")
    weekdays = cal.get("working_weekdays", [1, 2, 3, 4, 5, 6])
    if not isinstance(weekdays, list) or not all(
            isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 7 for d in weekdays):
        cal.fail("working_weekdays", _("expected a list of weekdays 1 (Monday) to 7 (Sunday)"), weekdays)
    holidays = cal.dates("holidays")
    # extra_workdays is the name; extra_working_days the older one. Both add working days.
    extra = cal.dates("extra_working_days") | cal.dates("extra_workdays")
    statutory = cal.text("statutory", "china", STATUTORY)
    anchor = cal.text("cycle_anchor", "rolling", ANCHORS)
    cal.done()

    up = top.table_of("uploads")
    interval = up.integer("min_interval_seconds", 300)
    default_photos = up.integer("default_photos", 1)
    noon = _clock_time(up, "noon", "12:00")
    up.done()

    car = top.table_of("two_in_a_car")
    pairs = car.get("pairs", [])
    if not isinstance(pairs, list) or not all(
            isinstance(p, list) and len(p) >= 2 and all(isinstance(s, str) and s.strip() for s in p) for p in pairs):
        car.fail("pairs", _("expected a list of groups of two or more staff names or numbers"), pairs)
    from_areas = car.get("from_areas", False)
    if not isinstance(from_areas, bool):
        car.fail("from_areas", _("expected true or false"), from_areas)
    car.done()

    fr = top.table_of("fines")
    fines = Fines(small=fr.integer("small", 50), large=fr.integer("large", 100),
                  boundary_percent=fr.integer("boundary_percent", 50, minimum=1, maximum=100),
                  at_boundary=fr.text("at_boundary", "large", AT_BOUNDARY),
                  per_customer=fr.integer("per_customer", 50))
    fr.done()

    fx = top.table_of("flex")
    flex = Flex(per_missing_upload=fx.integer("per_missing_upload", 0), when_short=fx.integer("when_short", 0))
    fx.done()

    roles = tuple(_role(r) for r in top.array_of_tables("roles"))
    _check_roles_unique(roles, top)
    cycles = tuple(_cycle(c) for c in top.array_of_tables("cycles"))
    events = tuple(_event(e) for e in top.array_of_tables("events"))
    seen: set[tuple[str, str]] = set()
    for i, ev in enumerate(events, start=1):
        if (ev.kind, ev.department) in seen:
            top.fail(f"events[{i}]", _("a second rule for {kind} in {department}").format(
                kind=ev.kind, department=ev.department))
        seen.add((ev.kind, ev.department))
    top.done()
    return Policy(name=name, working_weekdays=frozenset(weekdays), holidays=holidays, extra_working_days=extra,
                  cycle_anchor=anchor, min_interval_seconds=interval, default_photos=default_photos, fines=fines,
                  flex=flex, roles=roles, cycles=cycles, events=events, source=source,
                  statutory=statutory, noon_seconds=noon,
                  car_pairs=tuple(tuple(s.strip() for s in p) for p in pairs), car_pairs_from_areas=from_areas)


def _clock_time(r: _Reader, name: str, default: str) -> int:
    """"HH:MM" → seconds after midnight."""
    value = r.text(name, default)
    try:
        hours, minutes = (int(part) for part in value.split(":"))
        if not (0 <= hours <= 23 and 0 <= minutes <= 59):
            raise ValueError
    except ValueError:
        r.fail(name, _("expected a time of day HH:MM"), value)
    return hours * 3600 + minutes * 60


def _role(r: _Reader) -> RoleRule:
    rule = RoleRule(
        department=r.text("department"), role=r.text("role"), areas=r.texts("areas", []),
        visits_per_day=r.integer("visits_per_day", None), uploads_per_day=r.integer("uploads_per_day", None),
        photos=r.integer("photos", 1), minimum=r.integer("minimum", 0),
        period=r.text("period", "month", PERIODS), note=r.text("note", ""),
        am_min=r.integer("am_min", 0), pm_min=r.integer("pm_min", 0),
        promotion_store=r.text("promotion_store", None, PROMOTION_STORES))
    if rule.uploads_per_day is not None and rule.am_min + rule.pm_min > rule.uploads_per_day:
        r.fail("am_min", _("am_min + pm_min must not exceed uploads_per_day"), rule.am_min + rule.pm_min)
    r.done()
    return rule


def _check_roles_unique(roles: tuple[RoleRule, ...], top: _Reader) -> None:
    seen: dict[tuple[str, str, str | None], int] = {}
    for i, rule in enumerate(roles, start=1):
        for area in rule.areas or (None,):
            key = (rule.department, rule.role, area)
            if key in seen:
                top.fail(f"roles[{i}]", _("the same department, role and area as roles[{other}]").format(
                    other=seen[key]))
            seen[key] = i


def _cycle(c: _Reader) -> CycleRule:
    rule = CycleRule(roles=c.texts("roles"), classification=c.text("classification"),
                     months=c.integer("months", minimum=1, maximum=120), minimum=c.integer("minimum", 1, minimum=1),
                     department=c.text("department", None), note=c.text("note", ""))
    c.done()
    return rule


def _event(e: _Reader) -> EventRule:
    rule = EventRule(kind=e.text("kind"), department=e.text("department"), visits=e.integer("visits", 0),
                     uploads=e.integer("uploads", 0))
    e.done()
    return rule
