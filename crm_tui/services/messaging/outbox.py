"""The outbox: every message is a row first, then delivered; nothing is sent twice.

Delivery of one message, each step its own transaction:

1. **claim**: ``UPDATE … SET status='sending' WHERE id=? AND status='queued'`` — only one deliverer wins;
2. **send** through the channel, carrying the row's ``message_id`` (the e-mail's Message-ID, the SMS gateway's
   reference);
3. **mark** it ``sent``, or ``queued`` again with a backoff (a transient failure), or ``failed``.

Recovery rule: a crash between 2 and 3 leaves the row ``sending``. A row ``sending`` for longer than
``messaging.sending_lease_seconds`` is marked ``uncertain`` and is **never resent by itself** (at most once):
the message may have gone out. A person checks (the recipient's mailbox or the gateway's log, by message id)
and re-queues it with ``requeue`` if it did not arrive. Messages merely waiting (no connection) stay ``queued``
and go out later; they were never handed to a server.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, StateError
from crm_tui.db.base import utcnow
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.messaging import OutboxMessage
from crm_tui.db.session import transaction
from crm_tui.i18n import _
from crm_tui.services.messaging.access import messageable_clause
from crm_tui.services.messaging.channels import Channel, Outgoing, Permanent, Transient


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@crm-tui>"


def settings() -> dict:
    from crm_tui.config import get_settings

    return get_settings()["messaging"]


def backoff(attempts: int, cfg: dict | None = None) -> timedelta:
    cfg = cfg or settings()
    base, cap = int(cfg["retry_base_seconds"]), int(cfg["retry_max_seconds"])
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    uncertain: int = 0
    errors: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"sent": self.sent, "failed": self.failed, "retrying": self.retrying, "uncertain": self.uncertain,
                "errors": self.errors}


def recover(engine: Engine, now: datetime | None = None, lease_seconds: int | None = None) -> int:
    """Mark messages left ``sending`` past the lease ``uncertain`` (see the module's recovery rule)."""
    now = now or utcnow()
    lease = timedelta(seconds=settings()["sending_lease_seconds"] if lease_seconds is None else lease_seconds)
    with transaction(engine) as s:
        stale = list(s.scalars(select(OutboxMessage).where(OutboxMessage.status == "sending",
                                                           OutboxMessage.claimed_at <= now - lease)))
        for row in stale:
            row.status = "uncertain"
            row.last_error = _("Interrupted while sending: it may have gone out. Check, then re-queue it.")
        return len(stale)


def _claim(engine: Engine, row_id: int, now: datetime) -> Outgoing | None:
    with transaction(engine) as s:
        done = s.execute(update(OutboxMessage).where(OutboxMessage.id == row_id, OutboxMessage.status == "queued")
                         .values(status="sending", claimed_at=now, attempts=OutboxMessage.attempts + 1))
        if done.rowcount != 1:
            return None
        row = s.get(OutboxMessage, row_id)
        return Outgoing(row.message_id, row.recipient, row.recipient_name, row.subject, row.body)


def _mark(engine: Engine, row_id: int, status: str, now: datetime, error: str | None = None,
          cfg: dict | None = None) -> str:
    with transaction(engine) as s:
        row = s.get(OutboxMessage, row_id)
        if status == "retry":
            if row.attempts >= int((cfg or settings())["max_attempts"]):
                status = "failed"
            else:
                row.next_attempt_at = now + backoff(row.attempts, cfg)
                status = "queued"
        row.status = status
        row.last_error = (error or "")[:500] or None
        if status == "sent":
            row.sent_at = now
        return status


def due_ids(engine: Engine, now: datetime, limit: int | None = None, ids: list[int] | None = None) -> list[int]:
    with transaction(engine, write=False) as s:
        stmt = select(OutboxMessage.id).where(OutboxMessage.status == "queued",
                                              (OutboxMessage.next_attempt_at.is_(None))
                                              | (OutboxMessage.next_attempt_at <= now))
        if ids is not None:
            stmt = stmt.where(OutboxMessage.id.in_(ids))
        stmt = stmt.order_by(OutboxMessage.id)
        if limit:
            stmt = stmt.limit(limit)
        return list(s.scalars(stmt))


def deliver_pending(engine: Engine, channels: dict[str, Channel] | None = None, *, now: datetime | None = None,
                    ids: list[int] | None = None, limit: int | None = None, on_sent=None) -> DeliveryReport:
    """Send the queued messages that are due (or only ``ids``), one channel connection per batch.

    A channel that cannot open leaves its messages queued with a backoff. ``on_sent(row_id)`` is told after each
    message is marked (tests kill the process there)."""
    cfg = settings()
    now = now or utcnow()
    report = DeliveryReport()
    report.uncertain = recover(engine, now)
    todo = due_ids(engine, now, limit, ids)
    if not todo:
        return report
    if channels is None:
        with transaction(engine, write=False) as s:
            from crm_tui.services.messaging.channels import from_settings

            channels = from_settings(s)
    with transaction(engine, write=False) as s:
        kinds = dict(s.execute(select(OutboxMessage.id, OutboxMessage.channel).where(OutboxMessage.id.in_(todo))).all())
    opened: dict[str, str | None] = {}  # channel -> why it cannot open (None: open)
    try:
        for row_id in todo:
            kind = kinds[row_id]
            channel = channels.get(kind)
            if kind not in opened:
                try:
                    if channel is None:
                        raise Transient(_("No channel for {kind}").format(kind=kind))
                    channel.open()
                    opened[kind] = None
                except Transient as exc:
                    opened[kind] = str(exc)
                    report.errors.append(str(exc))
            if opened[kind] is not None:
                # Not handed to any server: put off without counting an attempt against the message.
                with transaction(engine) as s:
                    s.execute(update(OutboxMessage).where(OutboxMessage.id == row_id, OutboxMessage.status == "queued")
                              .values(next_attempt_at=now + backoff(1, cfg), last_error=opened[kind][:500]))
                report.retrying += 1
                continue
            out = _claim(engine, row_id, now)
            if out is None:  # another deliverer has it
                continue
            try:
                channel.send(out)
            except Permanent as exc:
                _mark(engine, row_id, "failed", now, str(exc), cfg)
                report.failed += 1
            except Transient as exc:
                final = _mark(engine, row_id, "retry", now, str(exc), cfg)
                if final == "failed":
                    report.failed += 1
                else:
                    report.retrying += 1
                report.errors.append(str(exc))
            else:
                _mark(engine, row_id, "sent", now, None, cfg)
                report.sent += 1
            if on_sent is not None:
                on_sent(row_id)
    finally:
        for kind, why in opened.items():
            if why is None:
                channels[kind].close()
    return report


def requeue(session: Session, actor: Actor, row_id: int) -> None:
    """Send an uncertain or failed message again (a person checked that it did not arrive)."""
    row = session.scalar(select(OutboxMessage).join(Customer, Customer.id == OutboxMessage.customer_id)
                         .where(OutboxMessage.id == row_id, messageable_clause(session, actor)))
    if row is None:
        raise NotFound(_("No such message: {id}").format(id=row_id))
    if row.status not in ("uncertain", "failed"):
        raise StateError(_("Only an uncertain or failed message can be sent again; this one is {status}.").format(
            status=row.status))
    row.status, row.next_attempt_at, row.attempts = "queued", None, 0


@dataclass(frozen=True)
class OutboxRow:
    id: int
    message_id: str
    channel: str
    status: str
    customer_code: str | None
    customer_name: str | None
    recipient_name: str
    recipient: str
    subject: str
    body: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    error: str | None
    trigger: str | None
    campaign_id: int | None

    def as_json(self) -> dict:
        return {"id": self.id, "message_id": self.message_id, "channel": self.channel, "status": self.status,
                "customer_code": self.customer_code, "customer_name": self.customer_name,
                "contact": self.recipient_name, "recipient": self.recipient, "subject": self.subject,
                "body": self.body, "attempts": self.attempts, "created_at": self.created_at.isoformat(),
                "sent_at": self.sent_at.isoformat() if self.sent_at else None, "error": self.error,
                "trigger": self.trigger}


def list_outbox(session: Session, actor: Actor, *, status: str | None = None, limit: int = 200,
                campaign_id: int | None = None) -> list[OutboxRow]:
    """The newest messages first, only for customers ``actor`` may message."""
    stmt = (select(OutboxMessage, Customer.code, Customer.name)
            .join(Customer, Customer.id == OutboxMessage.customer_id)
            .where(messageable_clause(session, actor)))
    if status:
        stmt = stmt.where(OutboxMessage.status == status)
    if campaign_id is not None:
        stmt = stmt.where(OutboxMessage.campaign_id == campaign_id)
    rows = session.execute(stmt.order_by(OutboxMessage.id.desc()).limit(limit)).all()
    return [OutboxRow(m.id, m.message_id, m.channel, m.status, code, name, m.recipient_name, m.recipient, m.subject,
                      m.body, m.attempts, m.created_at, m.sent_at, m.last_error, m.trigger, m.campaign_id)
            for m, code, name in rows]


def results(session: Session, ids: list[int]) -> dict[int, tuple[str, str | None]]:
    """id -> (status, reason) of the given messages (what a send just queued)."""
    if not ids:
        return {}
    return {i: (st, err) for i, st, err in session.execute(select(
        OutboxMessage.id, OutboxMessage.status, OutboxMessage.last_error).where(OutboxMessage.id.in_(ids)))}


def status_counts(session: Session, actor: Actor) -> dict[str, int]:
    stmt = (select(OutboxMessage.status, func.count()).join(Customer, Customer.id == OutboxMessage.customer_id)
            .where(messageable_clause(session, actor)).group_by(OutboxMessage.status))
    return dict(session.execute(stmt).all())
