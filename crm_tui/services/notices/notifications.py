"""In-app notifications: ``notify`` writes one for a user inside the caller's transaction; the reader lists
them (newest first), counts the unread ones and marks them read. Only the addressee reads their notifications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound
from crm_tui.db.models.notices import Notification
from crm_tui.i18n import _
from crm_tui.services.notices import texts


@dataclass(frozen=True)
class NotificationRow:
    id: int
    at: datetime
    text: str  # in the reader's language
    link_kind: str | None
    link_id: int | None
    read_at: datetime | None

    def as_json(self) -> dict:
        return {"id": self.id, "at": self.at, "text": self.text, "link": _link(self.link_kind, self.link_id),
                "read": self.read_at is not None}


def _link(kind: str | None, record_id: int | None) -> str | None:
    return f"{kind}:{record_id}" if kind and record_id is not None else kind


def parse_link(link: str | None) -> tuple[str | None, int | None]:
    """``"customer:12"`` -> ("customer", 12); ``"customers"`` -> ("customers", None)."""
    if not link:
        return None, None
    kind, _sep, ident = link.partition(":")
    return kind, int(ident) if ident.isdigit() else None


def notify(session: Session, user_id: int | None, text_code: str, params: dict | None = None,
           link: str | tuple[str, int | None] | None = None) -> int | None:
    """Tell ``user_id`` something (nothing happens for no user). ``link`` names the record: "customer:12" or
    ("customer", 12). Written in the caller's transaction: the event and its notification stand or fall together."""
    if user_id is None:
        return None
    kind, ident = link if isinstance(link, tuple) else parse_link(link)
    row = Notification(user_id=user_id, at=clock.now().replace(microsecond=0), text_code=text_code,
                       params=texts.encode(params), link_kind=kind, link_id=ident)
    session.add(row)
    session.flush()
    return row.id


def list_notifications(session: Session, actor: Actor, *, unread_only: bool = False,
                       limit: int = 100) -> list[NotificationRow]:
    stmt = select(Notification).where(Notification.user_id == (actor.id or -1))
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    stmt = stmt.order_by(Notification.at.desc(), Notification.id.desc()).limit(limit)
    return [NotificationRow(n.id, n.at, texts.render(n.text_code, n.params), n.link_kind, n.link_id, n.read_at)
            for n in session.scalars(stmt)]


def unread_count(session: Session, actor: Actor) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == (actor.id or -1), Notification.read_at.is_(None))) or 0


def mark_read(session: Session, actor: Actor, notification_id: int | None = None) -> int:
    """Mark one of the actor's notifications (or all of them, with None) read; returns how many changed."""
    stmt = update(Notification).where(Notification.user_id == (actor.id or -1), Notification.read_at.is_(None))
    if notification_id is not None:
        if session.scalar(select(Notification.user_id).where(Notification.id == notification_id)) != actor.id:
            raise NotFound(_("No such notification: {id}").format(id=notification_id))
        stmt = stmt.where(Notification.id == notification_id)
    result = session.execute(stmt.values(read_at=clock.now().replace(microsecond=0))
                             .execution_options(synchronize_session=False))
    return result.rowcount or 0


def pool_return_notice(session: Session, owner_id: int, customers: list[tuple[int, str, str]], days: int) -> None:
    """A former owner is told which of their customers went back to the public pool (customers/pool.py)."""
    codes = ", ".join(code for _id, code, _name in customers[:10]) + (" …" if len(customers) > 10 else "")
    notify(session, owner_id, "customers_pooled", {"n": len(customers), "days": days, "codes": codes},
           ("customers", None))
