"""Ticket use cases: open, list, show, assign, log, resolve, close, reopen.

A ticket is visible to whoever sees its customer (the customer rule, services/customers/visibility.py), and
to its assignee and the assignee's managers, so a service engineer sees the work given to them. Writing takes
a user who handles records (salespeople, clerks, managers, administrators); assigning a ticket to someone
else takes ``records.assign`` (managers, clerks), anyone who may work on it can take it themselves. Every
write is one transaction and lands in the audit log (the rows are ``Audited``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from crm_tui.config import get_settings
from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import ConflictError, NotFound, PermissionDenied, StateError, ValidationError
from crm_tui.db.models.customers import Contact, Customer
from crm_tui.db.models.people import User
from crm_tui.db.models.products import Product
from crm_tui.db.models.sales import SalesOrder
from crm_tui.db.models.service import Ticket, TicketLog
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.common import events
from crm_tui.services.common.numbering import take_number, validate_mask
from crm_tui.services.customers.visibility import (
    owner_ids,
    require_visible,
    sees_everything,
    visible_customers_clause,
)
from crm_tui.services.tickets import states

SUBJECT_MAX = 200
TEXT_MAX = 4000
LIST_LIMIT = 500


def now() -> datetime:
    """Business times are local wall-clock time to the second (as contact logs)."""
    return clock.now().replace(microsecond=0)


@dataclass(frozen=True)
class TicketRow:
    id: int
    number: str
    customer_id: int
    customer_code: str
    customer_name: str
    contact: str | None
    order_number: str | None
    product: str | None
    kind: str
    priority: str
    subject: str
    description: str | None
    assignee_id: int | None
    assignee: str | None
    status: str
    opened_at: datetime
    due_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    resolution: str | None
    satisfaction: int | None
    reopen_count: int
    overdue: bool
    version: int


@dataclass(frozen=True)
class TicketLogRow:
    id: int
    at: datetime
    author: str | None
    action: str
    text: str


@dataclass(frozen=True)
class TicketDetail:
    ticket: TicketRow
    logs: list[TicketLogRow] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)  # the moves its status allows (states.MOVES)


# --- visibility and loading -------------------------------------------------------------------------------

def visible_tickets_clause(session: Session, actor: Actor) -> ColumnElement[bool]:
    if sees_everything(actor):
        return true()
    owners = sorted(owner_ids(session, actor) or ())
    customers = select(Customer.id).where(visible_customers_clause(session, actor))
    return or_(Ticket.assignee_id.in_(owners), Ticket.customer_id.in_(customers))


def _select_rows():
    assignee = aliased(User)
    return (
        select(Ticket, Customer.code, Customer.name, Contact.name, SalesOrder.number, Product.code, Product.name,
               assignee.display_name)
        .join(Customer, Customer.id == Ticket.customer_id)
        .outerjoin(Contact, Contact.id == Ticket.contact_id)
        .outerjoin(SalesOrder, SalesOrder.id == Ticket.order_id)
        .outerjoin(Product, Product.id == Ticket.product_id)
        .outerjoin(assignee, assignee.id == Ticket.assignee_id)
    )


def _rows(session: Session, stmt, at: datetime) -> list[TicketRow]:
    out = []
    for t, code, name, contact, order_no, p_code, p_name, assignee in session.execute(stmt):
        out.append(TicketRow(
            t.id, t.number, t.customer_id, code, name, contact, order_no,
            f"{p_code} {p_name}" if p_code else None, t.kind, t.priority, t.subject, t.description,
            t.assignee_id, assignee, t.status, t.opened_at, t.due_at, t.resolved_at, t.closed_at, t.resolution,
            t.satisfaction, t.reopen_count, states.is_overdue(t.status, t.due_at, at), t.version))
    return out


def _no_such(key) -> NotFound:
    return NotFound(_("No such ticket: {key}").format(key=key))


def find_ticket(session: Session, actor: Actor, key: str | int) -> int:
    """A visible ticket's id from its number (TK202611-0001) or id; the same answer for a missing one and one
    the actor may not see."""
    text = str(key).strip()
    cond = Ticket.number == text.upper()
    if text.isdigit():
        cond = or_(cond, Ticket.id == int(text))
    tid = session.scalar(select(Ticket.id).where(cond, visible_tickets_clause(session, actor)).limit(1))
    if tid is None:
        raise _no_such(key)
    return tid


def _load_for_write(session: Session, actor: Actor, ticket_id: int) -> Ticket:
    _require_worker(actor)
    visible = session.scalar(select(Ticket.id).where(Ticket.id == ticket_id, visible_tickets_clause(session, actor)))
    if visible is None:
        raise _no_such(ticket_id)
    ticket = session.scalar(select(Ticket).where(Ticket.id == ticket_id).with_for_update())
    return ticket


def _check_version(ticket: Ticket, expected_version: int | None) -> None:
    if expected_version is not None and ticket.version != expected_version:
        raise ConflictError(_("Ticket {number} was changed in the meantime; reload and try again.").format(
            number=ticket.number))


def _require_worker(actor: Actor) -> None:
    if actor.id is None or not (actor.is_admin or permissions.can(actor, "records.create")
                                or permissions.can(actor, "records.assign")):
        raise PermissionDenied(_("Only staff who handle customers may work on service tickets."))


def _text(value: str | None, name: str, field_id: str, *, required: bool = False, limit: int = TEXT_MAX) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise ValidationError(f"{name}: {_('required')}", field=field_id)
        return None
    if len(text) > limit:
        raise ValidationError(_("{field}: at most {n} characters").format(field=name, n=limit), field=field_id)
    return text


def _log(session: Session, actor: Actor, ticket: Ticket, action: str, text: str, at: datetime) -> None:
    session.add(TicketLog(ticket_id=ticket.id, at=at, author_id=actor.id, action=action, text=text))


def _active_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise ValidationError(_("Assignee: no such active user: {id}").format(id=user_id), field="assignee")
    return user


# --- writing ----------------------------------------------------------------------------------------------

def add_ticket(session: Session, actor: Actor, customer_id: int, kind: str, subject: str, *,
               priority: str | None = None, description: str | None = None, contact_id: int | None = None,
               order_id: int | None = None, product_id: int | None = None, assignee_id: int | None = None,
               at: datetime | None = None) -> TicketRow:
    """Open a ticket for a visible customer; its number comes from the ``[tickets] number_mask`` counter and its
    due time from the SLA of its priority."""
    _require_worker(actor)
    require_visible(session, actor, customer_id)
    kind = states.clean_kind(kind)
    priority = states.clean_priority(priority)
    subject = _text(subject, _("Subject"), "subject", required=True, limit=SUBJECT_MAX)
    description = _text(description, _("Problem description"), "description")
    if contact_id is not None:
        owner = session.scalar(select(Contact.customer_id).where(Contact.id == contact_id))
        if owner != customer_id:
            raise ValidationError(_("That contact does not belong to this customer."), field="contact_id")
    if order_id is not None:
        order_customer = session.scalar(select(SalesOrder.customer_id).where(SalesOrder.id == order_id))
        if order_customer != customer_id:
            raise ValidationError(_("That order is not this customer's."), field="order")
    if product_id is not None and session.get(Product, product_id) is None:
        raise ValidationError(_("No such product: {key}").format(key=product_id), field="product")
    if assignee_id is not None and assignee_id != actor.id:
        permissions.require(actor, "records.assign")
    if assignee_id is not None:
        _active_user(session, assignee_id)
    opened = (at or now()).replace(microsecond=0)
    mask = number_mask()
    ticket = Ticket(number=take_number(session, "ticket", opened.date(), mask=mask), customer_id=customer_id,
                    contact_id=contact_id, order_id=order_id, product_id=product_id, kind=kind, priority=priority,
                    subject=subject, description=description, assignee_id=assignee_id, created_by_id=actor.id,
                    status="new", opened_at=opened, due_at=states.due_time(opened, priority), reopen_count=0)
    session.add(ticket)
    session.flush()
    return get_ticket(session, actor, ticket.id).ticket


def number_mask() -> str:
    mask = get_settings().get("tickets", {}).get("number_mask") or "TK{yyyy}{mm}-{seq:4}"
    validate_mask(mask)
    return mask


def assign(session: Session, actor: Actor, ticket_id: int, assignee_id: int, *,
           expected_version: int | None = None) -> None:
    """Give an open ticket to someone (to someone else: ``records.assign``; anyone may take it themselves)."""
    ticket = _load_for_write(session, actor, ticket_id)
    _check_version(ticket, expected_version)
    if ticket.status not in states.OPEN:
        raise _not_open_error(ticket)
    if assignee_id != actor.id:
        permissions.require(actor, "records.assign")
    user = _active_user(session, assignee_id)
    if ticket.assignee_id == assignee_id:
        raise ValidationError(_("Ticket {number} is already assigned to {name}.").format(
            number=ticket.number, name=user.display_name), field="assignee")
    ticket.assignee_id = assignee_id
    _log(session, actor, ticket, "assign", _("Assigned to {name}").format(name=user.display_name), now())
    session.flush()


def _not_open_error(ticket: Ticket) -> StateError:
    return StateError(_("Ticket {number} is {status}: only an open ticket can be assigned.").format(
        number=ticket.number, status=states.status_label(ticket.status)))


def add_log(session: Session, actor: Actor, ticket_id: int, text: str, *, status: str | None = None,
            expected_version: int | None = None) -> None:
    """A follow-up note; ``status`` (in_progress or waiting) moves the ticket as well."""
    ticket = _load_for_write(session, actor, ticket_id)
    _check_version(ticket, expected_version)
    text = _text(text, _("Follow-up"), "text", required=True)
    if status is not None and status not in states.LOG_STATUS_ACTIONS:
        raise ValidationError(_("Status: a follow-up can only move a ticket to {choices}").format(
            choices=", ".join(f"{c} ({states.status_label(c)})" for c in states.LOG_STATUS_ACTIONS)),
            field="status")
    if ticket.status == "closed":
        raise _closed_error(ticket)
    if status is not None and status != ticket.status:
        ticket.status = states.move(ticket.number, ticket.status, states.LOG_STATUS_ACTIONS[status])
        _log(session, actor, ticket, "status", text, now())
    else:
        _log(session, actor, ticket, "note", text, now())
    session.flush()


def _closed_error(ticket: Ticket) -> StateError:
    return StateError(_("Ticket {number} is closed; reopen it to add a follow-up.").format(number=ticket.number))


def resolve(session: Session, actor: Actor, ticket_id: int, resolution: str, *,
            expected_version: int | None = None) -> None:
    ticket = _load_for_write(session, actor, ticket_id)
    _check_version(ticket, expected_version)
    resolution = _text(resolution, _("Resolution"), "resolution", required=True)
    ticket.status = states.move(ticket.number, ticket.status, "resolve")
    at = now()
    ticket.resolution = resolution
    ticket.resolved_at = at
    _log(session, actor, ticket, "resolve", resolution, at)
    session.flush()
    events.emit(session, actor, "ticket_resolved", ticket_id=ticket.id, customer_id=ticket.customer_id,
                contact_id=ticket.contact_id)


def close(session: Session, actor: Actor, ticket_id: int, satisfaction: int | str, note: str | None = None, *,
          expected_version: int | None = None) -> None:
    """Close a resolved ticket with the customer's satisfaction score, 1 (very unhappy) to 5 (very happy)."""
    ticket = _load_for_write(session, actor, ticket_id)
    _check_version(ticket, expected_version)
    score = clean_score(satisfaction)
    note = _text(note, _("Note"), "note")
    ticket.status = states.move(ticket.number, ticket.status, "close")
    at = now()
    ticket.satisfaction = score
    ticket.closed_at = at
    text = _("Satisfaction {score}/5").format(score=score) + (f": {note}" if note else "")
    _log(session, actor, ticket, "close", text, at)
    session.flush()


def clean_score(value: int | str | None) -> int:
    try:
        score = int(str(value).strip())
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError(_("Satisfaction: expected a whole number from 1 to 5, got {value!r}").format(
            value=value), field="satisfaction")
    return score


def reopen(session: Session, actor: Actor, ticket_id: int, reason: str, *,
           expected_version: int | None = None) -> None:
    """Back to in progress: the resolution and score go (they stay in the logs) and the SLA starts again."""
    ticket = _load_for_write(session, actor, ticket_id)
    _check_version(ticket, expected_version)
    reason = _text(reason, _("Reason"), "reason", required=True)
    ticket.status = states.move(ticket.number, ticket.status, "reopen")
    at = now()
    ticket.resolved_at = None
    ticket.closed_at = None
    ticket.resolution = None
    ticket.satisfaction = None
    ticket.reopen_count = (ticket.reopen_count or 0) + 1
    ticket.due_at = states.due_time(at, ticket.priority)
    _log(session, actor, ticket, "reopen", reason, at)
    session.flush()


# --- reading ----------------------------------------------------------------------------------------------

def list_tickets(session: Session, actor: Actor, *, status: str | None = None, assignee_id: int | None = None,
                 customer_id: int | None = None, overdue: bool = False, open_only: bool = False,
                 at: datetime | None = None, limit: int = LIST_LIMIT, offset: int = 0) -> list[TicketRow]:
    """Visible tickets: overdue first by due time, then the rest newest first."""
    at = at or now()
    if status is not None and status not in states.STATUS_LABELS:
        raise ValidationError(_("Status: expected one of {choices}").format(
            choices=", ".join(states.STATUS_LABELS)), field="status")
    if customer_id is not None:
        require_visible(session, actor, customer_id)
    stmt = _select_rows().where(visible_tickets_clause(session, actor))
    if status is not None:
        stmt = stmt.where(Ticket.status == status)
    if open_only:
        stmt = stmt.where(Ticket.status.in_(states.OPEN))
    if assignee_id is not None:
        stmt = stmt.where(Ticket.assignee_id == assignee_id)
    if customer_id is not None:
        stmt = stmt.where(Ticket.customer_id == customer_id)
    if overdue:
        stmt = stmt.where(Ticket.status.in_(states.OPEN), Ticket.due_at < at)
        stmt = stmt.order_by(Ticket.due_at, Ticket.id)
    else:
        stmt = stmt.order_by(Ticket.opened_at.desc(), Ticket.id.desc())
    return _rows(session, stmt.limit(limit).offset(offset), at)


def get_ticket(session: Session, actor: Actor, ticket_id: int, *, at: datetime | None = None) -> TicketDetail:
    at = at or now()
    rows = _rows(session, _select_rows().where(Ticket.id == ticket_id, visible_tickets_clause(session, actor)), at)
    if not rows:
        raise _no_such(ticket_id)
    author = aliased(User)
    logs = [TicketLogRow(lg.id, lg.at, name, lg.action, lg.text) for lg, name in session.execute(
        select(TicketLog, author.display_name).outerjoin(author, author.id == TicketLog.author_id)
        .where(TicketLog.ticket_id == ticket_id).order_by(TicketLog.at, TicketLog.id))]
    return TicketDetail(rows[0], logs, states.allowed_actions(rows[0].status))


def overdue_or_mine(session: Session, actor: Actor, now: datetime) -> list[TicketRow]:
    """For the today view: open tickets the actor sees that are overdue, and open tickets assigned to them;
    overdue first (earliest due first), then the rest by due time."""
    stmt = _select_rows().where(
        visible_tickets_clause(session, actor), Ticket.status.in_(states.OPEN),
        or_(Ticket.due_at < now, Ticket.assignee_id == (actor.id if actor.id is not None else -1)),
    ).order_by(Ticket.due_at, Ticket.id)
    return _rows(session, stmt.limit(LIST_LIMIT), now)


def for_customer(session: Session, actor: Actor, customer_id: int) -> list[TicketRow]:
    """For the customer page: every ticket of a visible customer, newest first."""
    return list_tickets(session, actor, customer_id=customer_id)


def count_overdue(session: Session, actor: Actor, at: datetime) -> int:
    return session.scalar(select(func.count()).select_from(Ticket).where(
        visible_tickets_clause(session, actor), Ticket.status.in_(states.OPEN), Ticket.due_at < at)) or 0
