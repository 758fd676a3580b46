"""``crm report tickets``: the service desk in numbers, over the tickets the user may see.

Counts by status, kind and priority; how many open tickets are overdue now; the average hours from opening to
resolution (of the tickets resolved or closed) and the average satisfaction (of the closed ones with a score).
Averages are Decimals rounded half-up to one place, or None when nothing counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.db.models.service import TICKET_KINDS, TICKET_PRIORITIES, TICKET_STATUSES, Ticket
from crm_tui.services.tickets import states
from crm_tui.services.tickets.records import visible_tickets_clause

ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class TicketReport:
    as_of: datetime
    total: int
    by_status: dict[str, int]
    by_kind: dict[str, int]
    by_priority: dict[str, int]
    overdue: int
    avg_resolution_hours: Decimal | None
    avg_satisfaction: Decimal | None
    resolved_count: int  # tickets the resolution average is over
    rated_count: int  # tickets the satisfaction average is over


def _counts(session: Session, column, where, codes) -> dict[str, int]:
    found = dict(session.execute(select(column, func.count()).where(where).group_by(column)).all())
    return {code: int(found.get(code, 0)) for code in codes}


def ticket_report(session: Session, actor: Actor, at: datetime) -> TicketReport:
    where = visible_tickets_clause(session, actor)
    by_status = _counts(session, Ticket.status, where, TICKET_STATUSES)
    overdue = session.scalar(select(func.count()).select_from(Ticket).where(
        where, Ticket.status.in_(states.OPEN), Ticket.due_at < at)) or 0
    # Durations in Python over (opened, resolved) pairs: date arithmetic differs between the engines, and the
    # service desk of a small company has thousands of tickets, not millions.
    seconds, resolved = 0, 0
    for opened, done in session.execute(select(Ticket.opened_at, Ticket.resolved_at).where(
            where, Ticket.resolved_at.is_not(None))):
        seconds += int((done - opened).total_seconds())
        resolved += 1
    score_sum, rated = session.execute(select(func.coalesce(func.sum(Ticket.satisfaction), 0), func.count())
                                       .where(where, Ticket.satisfaction.is_not(None))).one()
    avg_hours = (Decimal(seconds) / 3600 / resolved).quantize(ONE_PLACE, ROUND_HALF_UP) if resolved else None
    avg_score = (Decimal(int(score_sum)) / rated).quantize(ONE_PLACE, ROUND_HALF_UP) if rated else None
    return TicketReport(at, sum(by_status.values()), by_status,
                        _counts(session, Ticket.kind, where, TICKET_KINDS),
                        _counts(session, Ticket.priority, where, TICKET_PRIORITIES),
                        int(overdue), avg_hours, avg_score, resolved, int(rated))


def report_json(report: TicketReport) -> dict:
    """The JSON of ``crm report tickets --format json``: counts as integers, averages as decimal strings."""
    return {
        "as_of": report.as_of.isoformat(timespec="seconds"),
        "total": report.total,
        "by_status": report.by_status,
        "by_kind": report.by_kind,
        "by_priority": report.by_priority,
        "overdue": report.overdue,
        "avg_resolution_hours": None if report.avg_resolution_hours is None else str(report.avg_resolution_hours),
        "avg_satisfaction": None if report.avg_satisfaction is None else str(report.avg_satisfaction),
        "resolved_count": report.resolved_count,
        "rated_count": report.rated_count,
    }
