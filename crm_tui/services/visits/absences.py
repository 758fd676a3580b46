"""Absences reported in advance (报备): leave days, and flex months (no daily fines; the month's total counts).

A flex absence always covers whole months: the months its dates touch. Absences that would change a
published (frozen) week or month are refused; cancelling one is recorded, never a delete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, StateError, ValidationError
from crm_tui.db.models.people import User
from crm_tui.db.models.visits import ABSENCE_KINDS, VisitAbsence
from crm_tui.i18n import _
from crm_tui.services.admin.permissions import require
from crm_tui.services.admin.users import find_user
from crm_tui.services.visits.calendar import month_bounds
from crm_tui.services.visits.publish import MANAGE, refuse_if_frozen

_MONTH_ONLY = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


@dataclass(frozen=True)
class AbsenceRow:
    id: int
    staff: str
    staff_number: str | None
    kind: str
    start: date
    end: date
    note: str | None
    cancelled: bool


def parse_day(text: str, field: str, *, end: bool = False) -> date:
    """YYYY-MM-DD, or YYYY-MM meaning the month's first (or, for an end, last) day."""
    if isinstance(text, date):
        return text
    m = _MONTH_ONLY.match(text or "")
    try:
        if m:
            first, last = month_bounds(int(m.group(1)), int(m.group(2)))
            return last if end else first
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValidationError(_("{field}: expected a date YYYY-MM-DD, got {value!r}").format(
            field=field, value=text), field=field) from None


def add_absence(session: Session, actor: Actor, staff: str, start: date, end: date, kind: str,
                note: str | None = None) -> int:
    require(actor, MANAGE)
    if kind not in ABSENCE_KINDS:
        raise ValidationError(_("kind: expected leave or flex, got {value!r}").format(value=kind), field="kind")
    if end < start:
        raise ValidationError(_("The absence ends ({end}) before it starts ({start}).").format(
            start=start.isoformat(), end=end.isoformat()), field="to")
    if (end - start).days > 366:
        raise ValidationError(_("An absence may cover a year at most."), field="to")
    user = find_user(session, staff)
    if kind == "flex":
        start = month_bounds(start.year, start.month)[0]
        end = month_bounds(end.year, end.month)[1]
    refuse_if_frozen(session, start, end)
    row = VisitAbsence(user_id=user.id, kind=kind, start_date=start, end_date=end, note=note or None)
    session.add(row)
    session.flush()
    return row.id


def cancel_absence(session: Session, actor: Actor, absence_id: int) -> None:
    require(actor, MANAGE)
    row = session.get(VisitAbsence, absence_id)
    if row is None:
        raise NotFound(_("No such absence: {id}").format(id=absence_id))
    if row.cancelled:
        raise StateError(_("This absence is already cancelled."))
    refuse_if_frozen(session, row.start_date, row.end_date)
    row.cancelled = True
    session.flush()


def list_absences(session: Session, first: date | None = None, last: date | None = None,
                  include_cancelled: bool = False) -> list[AbsenceRow]:
    stmt = select(VisitAbsence, User.display_name, User.staff_number).join(User, User.id == VisitAbsence.user_id)
    if first is not None:
        stmt = stmt.where(VisitAbsence.end_date >= first)
    if last is not None:
        stmt = stmt.where(VisitAbsence.start_date <= last)
    if not include_cancelled:
        stmt = stmt.where(VisitAbsence.cancelled.is_(False))
    stmt = stmt.order_by(VisitAbsence.start_date, User.display_name)
    return [AbsenceRow(a.id, name, number, a.kind, a.start_date, a.end_date, a.note, a.cancelled)
            for a, name, number in session.execute(stmt)]
