"""The today view's lines, the customer page's tabs and the employee page's sections of opportunities, service
tickets and attached documents: each area's own query, shaped for the registries (registered in
crm_tui/bootstrap.py). Areas a reader may not use answer nothing or raise, and the page leaves them out."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.money import format_money
from crm_tui.i18n import _
from crm_tui.services.today.registry import Line, Table
from crm_tui.services.today.tables import cell

LIMIT = 200


def _day(d) -> str:
    return cell(d)


# --- today sources ---------------------------------------------------------------------------------------------

def opportunities_closing(session: Session, actor: Actor, today: date) -> list[Line]:
    """My open opportunities (and my team's) expected to close this week."""
    from crm_tui.services.opportunities import records as opportunities

    return [Line(f"{r.number} {r.customer_name}: {r.title} · {r.stage} · {format_money(r.expected_amount)}",
                 _day(r.expected_close), f"opportunity:{r.id}")
            for r in opportunities.closing_this_week(session, actor, today)[:50]]


def tickets_due(session: Session, actor: Actor, today: date) -> list[Line]:
    """Service tickets overdue or assigned to me, still open."""
    from crm_tui.services.tickets import records as tickets
    from crm_tui.services.tickets.states import STATUS_LABELS

    return [Line(f"{r.number} {r.customer_name}: {r.subject} · {_(STATUS_LABELS[r.status])}", _day(r.due_at),
                 f"ticket:{r.id}") for r in tickets.overdue_or_mine(session, actor, clock.now())[:50]]


# --- customer page tabs ------------------------------------------------------------------------------------------

def opportunities_tab(session: Session, actor: Actor, customer_id: int) -> Table:
    from crm_tui.services.opportunities import records as opportunities

    rows = opportunities.for_customer(session, actor, customer_id)
    shown = rows[:LIMIT]
    return Table(("Number", "Title", "Stage", "Amount", "Expected close", "Owner"),
                 [(r.number, r.title, r.stage, format_money(r.expected_amount), _day(r.expected_close),
                   r.owner_name or "") for r in shown], [f"opportunity:{r.id}" for r in shown], len(rows))


def tickets_tab(session: Session, actor: Actor, customer_id: int) -> Table:
    from crm_tui.services.tickets import records as tickets
    from crm_tui.services.tickets.states import KIND_LABELS, PRIORITY_LABELS, STATUS_LABELS

    rows = tickets.for_customer(session, actor, customer_id)
    shown = rows[:LIMIT]
    return Table(("Number", "Subject", "Kind", "Priority", "Status", "Due"),
                 [(r.number, r.subject, _(KIND_LABELS[r.kind]), _(PRIORITY_LABELS[r.priority]),
                   _(STATUS_LABELS[r.status]), _day(r.due_at)) for r in shown],
                 [f"ticket:{r.id}" for r in shown], len(rows))


def documents_tab(session: Session, actor: Actor, customer_id: int) -> Table:
    from crm_tui.services.docs import attachments

    rows = [r for r in attachments.for_record(session, actor, "customer", customer_id) if r.deleted_at is None]
    shown = rows[:LIMIT]
    return Table(("File", "Size", "Note", "Uploaded by", "Uploaded at"),
                 [(r.file_name, f"{r.size:,}", r.note or "", r.uploaded_by, _day(r.uploaded_at)) for r in shown],
                 [None for _r in shown], len(rows))


# --- employee page sections -------------------------------------------------------------------------------------

def opportunities_section(session: Session, actor: Actor, user_id: int, start: date, end: date) -> Table:
    """The person's opportunities expected to close in the period."""
    from crm_tui.services.opportunities import records as opportunities

    rows = opportunities.list_opportunities(session, actor, owner_id=user_id, close_from=start, close_to=end,
                                            limit=LIMIT + 1)
    shown = rows[:LIMIT]
    return Table(("Number", "Customer", "Title", "Stage", "Amount", "Expected close"),
                 [(r.number, r.customer_name, r.title, r.stage, format_money(r.expected_amount),
                   _day(r.expected_close)) for r in shown], [f"opportunity:{r.id}" for r in shown], len(rows))
