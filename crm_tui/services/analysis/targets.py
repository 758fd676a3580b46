"""Performance: each salesperson against a monthly sales target (tax-inclusive amount of confirmed orders)."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, PermissionDenied, ValidationError
from crm_tui.core.money import parse_money
from crm_tui.db.models.analysis import SalesTarget
from crm_tui.db.models.people import User
from crm_tui.db.models.sales import SalesOrder
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.analysis.common import (
    ZERO,
    Chart,
    Column,
    Period,
    Report,
    period_or,
    ratio,
    this_month,
    visible_orders,
)
from crm_tui.services.customers.visibility import owner_ids

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

COLUMNS = [Column("month", "Month"), Column("staff", "Salesperson"), Column("target", "Target", "money"),
           Column("actual", "Actual", "money"), Column("achieved", "Achieved", "rate")]


def find_staff(session: Session, key: str) -> User:
    """A user by login, staff number or display name."""
    key = (key or "").strip()
    user = session.scalar(select(User).where(or_(User.login == key, User.staff_number == key)))
    if user is None:
        found = session.scalars(select(User).where(User.display_name == key)).all()
        user = found[0] if len(found) == 1 else None
    if user is None:
        raise NotFound(_("--staff: no such user: {key!r} (a login, staff number or name)").format(key=key))
    return user


def set_target(session: Session, actor: Actor, staff: str | int, month: str, amount) -> SalesTarget:
    """Set (or change) one person's target for one month. Managers set their people's, administrators
    anyone's; the change is audited."""
    if not (actor.is_admin or permissions.can(actor, "reports.team")):
        raise PermissionDenied(_("Only managers and administrators set sales targets."))
    user = session.get(User, staff) if isinstance(staff, int) else find_staff(session, staff)
    if user is None:
        raise NotFound(_("--staff: no such user: {key!r} (a login, staff number or name)").format(key=staff))
    visible = owner_ids(session, actor)
    if visible is not None and user.id not in visible:
        raise PermissionDenied(_("{name} is not one of your people.").format(name=user.display_name))
    month = (month or "").strip()
    if not MONTH.match(month):
        raise ValidationError(_("--month: not a month: {value!r} (expected YYYY-MM)").format(value=month),
                              field="month")
    try:
        value = parse_money(str(amount))
    except Exception:
        value = None
    if value is None or value < 0:
        raise ValidationError(_("--amount: not an amount: {value!r} (expected a number of yuan, 0 or more)")
                              .format(value=amount), field="amount")
    target = session.scalar(select(SalesTarget).where(SalesTarget.user_id == user.id, SalesTarget.month == month))
    if target is None:
        target = SalesTarget(user_id=user.id, month=month, amount=value)
        session.add(target)
    else:
        target.amount = value
    session.flush()
    return target


def _months(period: Period) -> list[str]:
    out, y, m = [], period.start.year, period.start.month
    while (y, m) <= (period.end.year, period.end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def targets(session: Session, actor: Actor, date_from: date | None = None, date_to: date | None = None) -> Report:
    """Each visible salesperson's target and actual per month of the period (default this month)."""
    period = period_or(date_from, date_to, this_month())
    months = _months(period)
    visible = owner_ids(session, actor)
    month = func.substr(cast(SalesOrder.order_date, String(10)), 1, 7)
    actual_q = (select(SalesOrder.owner_id, month, func.sum(SalesOrder.gross_total))
                .where(*visible_orders(session, actor), SalesOrder.order_date.between(period.start, period.end))
                .group_by(SalesOrder.owner_id, month))
    actual = {(uid, m): amount or ZERO for uid, m, amount in session.execute(actual_q) if uid is not None}
    target_q = select(SalesTarget.user_id, SalesTarget.month, SalesTarget.amount).where(SalesTarget.month.in_(months))
    goal = {(uid, m): amount for uid, m, amount in session.execute(target_q)}
    people = {uid for uid, _m in (*actual, *goal) if visible is None or uid in visible}
    names = dict(session.execute(select(User.id, User.display_name).where(User.id.in_(people))).all()) if people else {}
    rows = []
    for m in months:
        for uid in sorted(people, key=lambda u: names.get(u, "")):
            if (uid, m) not in goal and (uid, m) not in actual:
                continue
            t, a = goal.get((uid, m)), actual.get((uid, m), ZERO)
            rows.append({"month": m, "staff": names.get(uid, ""), "target": t, "actual": a,
                         "achieved": ratio(a, t) if t else None})
    rule = _("Each salesperson's confirmed orders (tax-inclusive) per month from {start} to {end} against the "
             "target set for the month (crm targets set).").format(start=period.start, end=period.end)
    return Report("targets", "Sales against targets", rule, COLUMNS, rows,
                  Chart("bar", "staff", ("target", "actual")))
