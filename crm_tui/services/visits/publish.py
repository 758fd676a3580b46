"""Tally on demand, publish weeks (公示) and months (考核), and reopen them.

A published week or month is frozen: its report is stored as it was published and returned from then on;
imports and absences that would change one of its days are refused. Re-tallying it takes an explicit reopen,
which is recorded in the audit log with its reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.clock import today
from crm_tui.core.errors import StateError, ValidationError
from crm_tui.db.base import utcnow
from crm_tui.db.models.visits import VisitPublication
from crm_tui.i18n import _
from crm_tui.services.admin.permissions import require, visible_owner_ids
from crm_tui.services.common import audit
from crm_tui.services.visits.calendar import (
    month_bounds,
    month_key,
    month_of_week,
    parse_month,
    parse_week,
    week_key,
)
from crm_tui.services.visits.loader import run_month, upload_details
from crm_tui.services.visits.policy import Policy, load_policy
from crm_tui.services.visits.report import month_report, week_report

MANAGE = "visits.manage"
DETAIL_KEYS = ("customer_code", "customer_name", "address", "photos", "remarks")


@dataclass(frozen=True)
class Period:
    kind: str          # week | month
    key: str           # 2027-W09 | 2027-03
    first: date
    last: date

    @property
    def label(self) -> str:
        return (_("week {key}") if self.kind == "week" else _("month {key}")).format(key=self.key)


def week_period(text: str) -> Period:
    monday = parse_week(text)
    return Period("week", week_key(monday), monday, monday + timedelta(days=6))


def month_period(text: str) -> Period:
    y, m = parse_month(text)
    first, last = month_bounds(y, m)
    return Period("month", month_key(y, m), first, last)


# --- frozen periods ------------------------------------------------------------------------------------------

def publication(session: Session, period: Period) -> VisitPublication | None:
    return session.scalar(select(VisitPublication).where(VisitPublication.period_kind == period.kind,
                                                         VisitPublication.period == period.key))


def frozen_periods(session: Session, first: date | None = None, last: date | None = None) -> list[Period]:
    """Published weeks and months, optionally only those touching first..last."""
    stmt = select(VisitPublication.period_kind, VisitPublication.period, VisitPublication.first_day,
                  VisitPublication.last_day).where(VisitPublication.status == "published")
    if first is not None and last is not None:
        stmt = stmt.where(VisitPublication.first_day <= last, VisitPublication.last_day >= first)
    return [Period(k, p, f, la) for k, p, f, la in session.execute(stmt)]


def frozen_period_of(periods: list[Period], day: date) -> Period | None:
    for period in periods:
        if period.first <= day <= period.last:
            return period
    return None


def refuse_if_frozen(session: Session, first: date, last: date) -> None:
    """Raise when first..last touches a published week or month."""
    periods = frozen_periods(session, first, last)
    if periods:
        raise StateError(_("{period} is published and frozen; reopen it first (crm visits reopen).").format(
            period=periods[0].label))


# --- the tally -----------------------------------------------------------------------------------------------

def _policy(policy: Policy | str | None) -> Policy:
    return policy if isinstance(policy, Policy) else load_policy(policy)


def live_month(session: Session, actor: Actor, year: int, month: int, policy: Policy,
               visible: frozenset[int] | None = None, as_of: date | None = None) -> dict[str, Any]:
    result = run_month(session, policy, year, month, as_of or today())
    conn = session.connection()

    def details(refs: list[int]) -> list[dict[str, Any]]:
        # Read when the report's void rows are read: in this session's transaction while it is open, later
        # (the CLI writing the JSON, a screen showing a person's month) on a short connection of their own.
        found = upload_details(conn.engine if conn.closed else conn, refs)
        return [dict(zip(DETAIL_KEYS, found.get(ref, (None,) * 5), strict=True)) for ref in refs]

    return month_report(result, details, visible, policy.digest)


def month_tally(session: Session, actor: Actor, month: str, policy: Policy | str | None = None,
                as_of: date | None = None) -> dict[str, Any]:
    """The month's report: the frozen one when the month is published, else tallied as of a day (default today).

    A reader who may not see everyone's records gets only the people they may see (themselves and their
    subordinates); the totals are theirs.
    """
    period = month_period(month)
    visible = visible_owner_ids(session, actor)
    pub = publication(session, period)
    if pub is not None and pub.status == "published":
        if policy is not None:
            raise StateError(_("{period} is published; reopen it to tally it with another policy.").format(
                period=period.label))
        if as_of is not None:
            raise StateError(_("{period} is published; reopen it to tally it as of another day.").format(
                period=period.label))
        report = json.loads(pub.result)
        if visible is not None:
            from crm_tui.services.visits.report import departments_of, totals_of

            names = _visible_staff(session, visible)
            report["people"] = [p for p in report["people"] if (p["staff_number"], p["staff"]) in names]
            report["departments"] = departments_of(report["people"])
            report["totals"] = totals_of(report["people"])
            report["warnings"] = []
        return report
    y, m = parse_month(month)
    return live_month(session, actor, y, m, _policy(policy), visible, as_of)


def _visible_staff(session: Session, ids: frozenset[int]) -> set[tuple[str | None, str]]:
    from crm_tui.db.models.people import User

    rows = session.execute(select(User.staff_number, User.display_name).where(User.id.in_(sorted(ids))))
    return {(number, name) for number, name in rows}


def week_tally(session: Session, actor: Actor, week: str, policy: Policy | str | None = None) -> dict[str, Any]:
    period = week_period(week)
    pub = publication(session, period)
    if pub is not None and pub.status == "published" and policy is None:
        return json.loads(pub.result)
    y, m = month_of_week(period.first)
    result = run_month(session, _policy(policy), y, m, today())
    return week_report(result, period.first, visible_owner_ids(session, actor))


# --- publish and reopen --------------------------------------------------------------------------------------

def publish(session: Session, actor: Actor, period: Period, policy: Policy | str | None = None) -> dict[str, Any]:
    """Tally the week or month now and freeze the result."""
    require(actor, MANAGE)
    pol = _policy(policy)
    pub = publication(session, period)
    if pub is not None and pub.status == "published":
        raise StateError(_("{period} is already published.").format(period=period.label))
    _refuse_unfinished(period)
    if period.kind == "week":
        y, m = month_of_week(period.first)
        report = week_report(run_month(session, pol, y, m, today()), period.first)
    else:
        y, m = parse_month(period.key)
        report = live_month(session, actor, y, m, pol, as_of=today())
    report["published"] = True
    report["published_at"] = utcnow().isoformat(timespec="seconds")
    report["published_by"] = actor.login
    text = json.dumps(report, ensure_ascii=False)
    if pub is None:
        pub = VisitPublication(period_kind=period.kind, period=period.key, first_day=period.first,
                               last_day=period.last, result=text)
        session.add(pub)
    else:
        pub.times_published += 1
        pub.result = text
    pub.status = "published"
    pub.published_at = utcnow()
    pub.published_by = actor.id
    pub.policy_name, pub.policy_digest = pol.name, pol.digest
    session.flush()
    return report


def _refuse_unfinished(period: Period) -> None:
    """A week is published once it is over; a month on its last day or later (its fines are final then)."""
    day = today()
    if period.kind == "week" and day <= period.last:
        raise StateError(_("{period} is not over yet (it ends on {last}); publish it from {next} on.").format(
            period=period.label, last=period.last.isoformat(), next=(period.last + timedelta(days=1)).isoformat()))
    if period.kind == "month" and day < period.last:
        raise StateError(_("{period} is not over yet: publish it on its last day ({last}) or later.").format(
            period=period.label, last=period.last.isoformat()))


def reopen(session: Session, actor: Actor, period: Period, reason: str | None = None) -> int:
    """Unfreeze a published week or month; the audit log records who, when and why. Returns how many late
    uploads (imported while it was published) now count."""
    require(actor, MANAGE)
    pub = publication(session, period)
    if pub is None or pub.status != "published":
        raise StateError(_("{period} is not published.").format(period=period.label))
    if reason is not None and len(reason) > 300:
        raise ValidationError(_("The reason is too long (300 characters at most)."), field="reason")
    pub.status = "reopened"
    pub.reopened_at = utcnow()
    pub.reopened_by = actor.id
    pub.reopen_reason = reason
    admitted = _admit_late_uploads(session, period)
    session.flush()
    audit.record(session, "visit_publications", pub.id, "reopen",
                 {"period": period.key, "kind": period.kind, "reason": reason, "late_uploads_admitted": admitted,
                  "published_at": pub.published_at.isoformat(timespec="seconds")})
    return admitted


def _admit_late_uploads(session: Session, period: Period) -> int:
    """Reopening is the only way in for uploads imported after the period was published: they count again,
    unless another published week or month still holds their day."""
    from sqlalchemy import update

    from crm_tui.db.models.visits import VisitUpload
    from crm_tui.services.visits.calendar import DAY, day_number

    still = [p for p in frozen_periods(session, period.first, period.last)
             if (p.kind, p.key) != (period.kind, period.key)]
    admitted = 0
    for day in _days(period.first, period.last):
        if frozen_period_of(still, day) is not None:
            continue
        lo = day_number(day) * DAY
        done = session.execute(update(VisitUpload).where(VisitUpload.late.is_(True), VisitUpload.at >= lo,
                                                         VisitUpload.at < lo + DAY).values(late=False))
        admitted += done.rowcount or 0
    return admitted


def _days(first: date, last: date):
    while first <= last:
        yield first
        first += timedelta(days=1)


def list_publications(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(select(VisitPublication).order_by(VisitPublication.first_day,
                                                             VisitPublication.period_kind))
    return [{"kind": p.period_kind, "period": p.period, "status": p.status, "first_day": p.first_day.isoformat(),
             "last_day": p.last_day.isoformat(), "published_at": p.published_at.isoformat(timespec="seconds"),
             "times_published": p.times_published, "reopened_at": p.reopened_at and
             p.reopened_at.isoformat(timespec="seconds"), "reason": p.reopen_reason} for p in rows]
