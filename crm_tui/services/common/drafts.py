"""Version checks for draft documents: a save started from an older version is refused, never merged.

The editor passes the version it loaded. The check runs on the row the save has locked, so two saves of the
same version cannot both pass; a successful save moves the version on (``touch``) even when only the lines
changed, so the next stale save fails too.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.errors import ConflictError
from crm_tui.db.base import utcnow
from crm_tui.db.models.people import User
from crm_tui.db.models.system import AuditEntry
from crm_tui.i18n import _
from crm_tui.services.common import audit


def check_version(session: Session, doc, expected: int | None, what: str) -> None:
    """Refuse the save when ``doc`` moved on since the editor loaded ``expected`` (None: not checked, for
    commands that read and write in one transaction)."""
    if expected is None or doc.version == expected:
        return
    who, at = last_change(session, doc)
    raise ConflictError(_("{what} was changed by {who} at {time}; reopen it and save again.").format(
        what=what, who=who, time=at))


def last_change(session: Session, doc) -> tuple[str, str]:
    """Who last wrote ``doc`` and when (local HH:MM, with the date when not today), from the audit log."""
    entry = session.execute(
        select(AuditEntry.user_id, AuditEntry.user_login, AuditEntry.at)
        .where(AuditEntry.entity == doc.__tablename__, AuditEntry.entity_id == str(doc.id))
        .order_by(AuditEntry.id.desc()).limit(1)).first()
    if entry is None:
        return _("someone else"), _local(doc.updated_at)
    name = session.scalar(select(User.display_name).where(User.id == entry.user_id)) if entry.user_id else None
    return name or entry.user_login or _("someone else"), _local(entry.at)


def _local(moment: datetime | None) -> str:
    if moment is None:
        return "?"
    local = moment.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
    return local.strftime("%H:%M") if local.date() == clock.today() else local.strftime("%Y-%m-%d %H:%M")


def touch(session: Session, doc) -> None:
    """Record the save and move the version on, also when only the lines (other rows) changed."""
    doc.updated_at = utcnow()
    session.flush()
    audit.record(session, doc.__tablename__, doc.id, "save", {"version": doc.version})
