"""Reminders: any user sets one on any record (kind and id), for a date and time, with a note. An open reminder
is due once its time has come; it shows on the today view and in the status line until done or dismissed.
Only its owner sees and closes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, PermissionDenied, StateError, ValidationError
from crm_tui.db.models.notices import Reminder
from crm_tui.i18n import _
from crm_tui.services.customers import fields as F
from crm_tui.services.customers.visibility import require_visible

# Kinds of record a reminder may point at; "none" is a plain reminder. Other areas' kinds are accepted as
# registered here (an integrator adds e.g. "opportunity", "ticket").
RECORD_KINDS = {"none", "customer", "contact_log", "quote", "order", "stock_out", "receipt", "invoice", "expense",
                "user", "announcement", "opportunity", "ticket"}
NOTE_MAX = 500


@dataclass(frozen=True)
class ReminderRow:
    id: int
    kind: str
    record_id: int | None
    due_at: datetime
    note: str
    state: str
    version: int

    @property
    def link(self) -> str | None:
        return f"{self.kind}:{self.record_id}" if self.kind != "none" and self.record_id is not None else None

    def as_json(self) -> dict:
        return {"id": self.id, "record": self.link, "due_at": self.due_at, "note": self.note, "state": self.state}


def parse_due(text: str | datetime) -> datetime:
    """"2026-11-30 09:00", "2026-11-30T09:00" or "2026-11-30" (09:00 that day)."""
    if isinstance(text, datetime):
        return text.replace(second=0, microsecond=0)
    value = F.text(text) or ""
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            due = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return due.replace(hour=9) if fmt == "%Y-%m-%d" else due
    raise ValidationError(_("Due: expected a date and time like 2026-11-30 09:00, got {value!r}").format(
        value=value), field="due_at")


def parse_record(text: str | None) -> tuple[str, int | None]:
    """"customer:12" -> ("customer", 12); empty -> ("none", None)."""
    if not text:
        return "none", None
    kind, _sep, ident = text.strip().partition(":")
    if kind not in RECORD_KINDS or (kind != "none" and not ident.strip().isdigit()):
        raise ValidationError(_("Record: expected kind:id with a kind among {kinds}, got {value!r}").format(
            kinds=", ".join(sorted(RECORD_KINDS - {"none"})), value=text), field="record")
    return kind, int(ident) if ident.strip() else None


def add_reminder(session: Session, actor: Actor, due_at: str | datetime, note: str, *, kind: str = "none",
                 record_id: int | None = None) -> int:
    if actor.id is None:
        raise PermissionDenied(_("Only a user can set reminders."))
    if kind not in RECORD_KINDS:
        raise ValidationError(_("Record: unknown kind {kind!r}").format(kind=kind), field="record")
    due = parse_due(due_at)
    note = F.prose(note) or ""
    if not note:
        raise ValidationError(f"{_('Note')}: {_('required')}", field="note")
    if len(note) > NOTE_MAX:
        raise ValidationError(_("Note: at most {n} characters").format(n=NOTE_MAX), field="note")
    if kind == "customer" and record_id is not None:
        require_visible(session, actor, record_id)  # no reminder reveals a customer one may not see
    row = Reminder(user_id=actor.id, kind=kind, record_id=record_id if kind != "none" else None, due_at=due,
                   note=note, state="open")
    session.add(row)
    session.flush()
    return row.id


def _row(r: Reminder) -> ReminderRow:
    return ReminderRow(r.id, r.kind, r.record_id, r.due_at, r.note, r.state, r.version)


def list_reminders(session: Session, actor: Actor, *, due_only: bool = False, include_closed: bool = False,
                   limit: int = 200) -> list[ReminderRow]:
    """The actor's reminders, soonest first: open ones (or all), or only those due now."""
    stmt = select(Reminder).where(Reminder.user_id == (actor.id or -1))
    if not include_closed:
        stmt = stmt.where(Reminder.state == "open")
    if due_only:
        stmt = stmt.where(Reminder.due_at <= clock.now())
    return [_row(r) for r in session.scalars(stmt.order_by(Reminder.due_at, Reminder.id).limit(limit))]


def due_count(session: Session, actor: Actor) -> int:
    return session.scalar(select(func.count()).select_from(Reminder).where(
        Reminder.user_id == (actor.id or -1), Reminder.state == "open", Reminder.due_at <= clock.now())) or 0


def close_reminder(session: Session, actor: Actor, reminder_id: int, state: str = "done") -> None:
    """Mark a reminder done (or dismissed)."""
    if state not in ("done", "dismissed"):
        raise ValidationError(_("A reminder is closed as done or dismissed."))
    row = session.get(Reminder, reminder_id)
    if row is None or row.user_id != actor.id:
        raise NotFound(_("No such reminder: {id}").format(id=reminder_id))
    if row.state != "open":
        raise StateError(_("This reminder is already {state}.").format(state=_(row.state)))
    row.state = state
    row.closed_at = clock.now().replace(microsecond=0)
    session.flush()
