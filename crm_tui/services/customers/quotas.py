"""Contact-log quotas and their check (联系记录工作量指标与稽核): the seed's 实施 "定出工作量指标…指派专人稽核".

Administrators set, per permission role, how many contact logs a person must write per week and per month
(``set_quota``; stored in ``contact_quotas``, so every user of the database checks against the same numbers).
``check`` is the checker's view: every active person the checker may see (everyone for administrators,
clerks and statisticians; their own people for managers; themselves for others) whose role has a quota for
the period, with the logs they wrote in it, and how many they are short. A week is Monday to Sunday, a month
the calendar month, both taken around a given day (default today); the whole period counts (a running one up
to today).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import ValidationError
from crm_tui.db.models.contact_quotas import ContactQuota
from crm_tui.db.models.customers import ContactLog
from crm_tui.db.models.people import ROLES, Department, User
from crm_tui.i18n import _
from crm_tui.services.admin import permissions

PERIODS = ("week", "month")
MAX_QUOTA = 10_000


@dataclass(frozen=True)
class QuotaRow:
    role: str
    week: int
    month: int


@dataclass(frozen=True)
class Shortfall:
    user_id: int
    login: str
    name: str
    role: str
    department: str | None
    required: int
    written: int

    @property
    def short(self) -> int:
        return max(self.required - self.written, 0)

    def as_json(self) -> dict:
        return {**asdict(self), "short": self.short}


@dataclass(frozen=True)
class QuotaCheck:
    period: str
    first: date
    last: date
    rows: list[Shortfall]  # most short first

    @property
    def short_rows(self) -> list[Shortfall]:
        return [r for r in self.rows if r.short]

    def as_json(self, include_met: bool = False) -> dict:
        rows = self.rows if include_met else self.short_rows
        return {"period": self.period, "from": self.first.isoformat(), "to": self.last.isoformat(),
                "people": [r.as_json() for r in rows]}


def list_quotas(session: Session) -> list[QuotaRow]:
    """Every role with its week and month quota (0 where none is set)."""
    got = {(q.role, q.period): q.quota for q in session.scalars(select(ContactQuota))}
    return [QuotaRow(role, got.get((role, "week"), 0), got.get((role, "month"), 0)) for role in ROLES]


def set_quota(session: Session, actor: Actor, role: str, period: str, quota: int) -> None:
    """Set one role's quota for a period (0 removes it). Administrators only; audited."""
    permissions.require(actor, "admin.customers")
    if role not in ROLES:
        raise ValidationError(_("No such role: {role}; choose one of {roles}").format(
            role=role, roles=", ".join(ROLES)), field="role")
    if period not in PERIODS:
        raise ValidationError(_("Period must be week or month, not {value}.").format(value=period), field="period")
    try:
        quota = int(quota)
    except (TypeError, ValueError):
        raise ValidationError(_("Quota: expected a whole number of contact logs, got {value}.").format(
            value=quota), field="quota") from None
    if not 0 <= quota <= MAX_QUOTA:
        raise ValidationError(_("Quota: expected 0 to {most} contact logs, got {value}.").format(
            most=MAX_QUOTA, value=quota), field="quota")
    row = session.scalar(select(ContactQuota).where(ContactQuota.role == role, ContactQuota.period == period)
                         .with_for_update())
    if row is None:
        session.add(ContactQuota(role=role, period=period, quota=quota))
    else:
        row.quota = quota
    session.flush()


def period_bounds(period: str, day: date) -> tuple[date, date]:
    if period == "week":
        first = day - timedelta(days=day.weekday())
        return first, first + timedelta(days=6)
    if period == "month":
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return first, following - timedelta(days=1)
    raise ValidationError(_("Period must be week or month, not {value}.").format(value=period), field="period")


def check(session: Session, actor: Actor, period: str = "week", day: date | None = None) -> QuotaCheck:
    """Who the checker may see is short of their role's quota in the week or month around ``day``."""
    day = day or clock.today()
    first, last = period_bounds(period, day)
    quotas = {q.role: q.quota for q in session.scalars(select(ContactQuota).where(ContactQuota.period == period))
              if q.quota > 0}
    if not quotas:
        return QuotaCheck(period, first, last, [])
    people = (select(User.id, User.login, User.display_name, User.role, Department.name)
              .outerjoin(Department, Department.id == User.department_id)
              .where(User.active.is_(True), User.role.in_(sorted(quotas)),
                     permissions.owner_filter(session, actor, User.id)))
    start = datetime.combine(first, time.min)
    end = datetime.combine(last + timedelta(days=1), time.min)
    written = dict(session.execute(
        select(ContactLog.author_id, func.count()).where(ContactLog.at >= start, ContactLog.at < end)
        .group_by(ContactLog.author_id)).all())
    rows = [Shortfall(uid, login, name, role, dept, quotas[role], written.get(uid, 0))
            for uid, login, name, role, dept in session.execute(people)]
    rows.sort(key=lambda r: (-r.short, r.department or "", r.login))
    return QuotaCheck(period, first, last, rows)
