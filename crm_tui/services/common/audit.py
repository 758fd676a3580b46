"""The audit log: every change to an ``Audited`` row is recorded in the same transaction, automatically.

A session listener diffs new, changed and deleted rows at flush time, so a service cannot forget it. Bulk
writes that bypass the ORM (imports) call ``record()`` themselves with a summary.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from crm_tui.db.base import Audited, utcnow
from crm_tui.db.models.system import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    return value


def _fields(obj) -> list[str]:
    exclude = set(getattr(obj, "__audit_exclude__", ()))
    return [attr.key for attr in inspect(obj).mapper.column_attrs if attr.key not in exclude]


def _snapshot(obj) -> dict[str, Any]:
    return {k: _plain(getattr(obj, k)) for k in _fields(obj)}


def _diff(obj) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for key in _fields(obj):
        hist = state.attrs[key].history
        if hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old != new:
                changes[key] = [_plain(old), _plain(new)]
    return changes


def _entity_name(obj) -> str:
    return obj.__tablename__


def _actor_fields(session: Session) -> dict[str, Any]:
    actor = session.info.get("actor")
    return {"user_id": getattr(actor, "id", None), "user_login": getattr(actor, "login", None)}


def record(session: Session, entity: str, entity_id: Any, action: str, changes: dict | None = None) -> None:
    """Write one audit entry explicitly (bulk operations, logins, backups, reopenings)."""
    session.execute(
        insert(AuditEntry).values(
            at=utcnow(),
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            action=action,
            changes=json.dumps(changes, ensure_ascii=False, default=str) if changes else None,
            **_actor_fields(session),
        )
    )


@event.listens_for(Session, "before_flush")
def _collect(session: Session, _ctx, _instances) -> None:
    pending = session.info.setdefault("_audit_pending", [])
    for obj in session.dirty:
        if isinstance(obj, Audited) and session.is_modified(obj, include_collections=False):
            changes = _diff(obj)
            if changes:
                pending.append((obj, "update", changes))
    for obj in session.deleted:
        if isinstance(obj, Audited):
            pending.append((obj, "delete", _snapshot(obj)))
    for obj in session.new:
        if isinstance(obj, Audited):
            pending.append((obj, "create", None))


@event.listens_for(Session, "after_flush")
def _write(session: Session, _ctx) -> None:
    pending = session.info.pop("_audit_pending", [])
    if not pending:
        return
    who = _actor_fields(session)
    now = utcnow()
    rows = []
    for obj, action, changes in pending:
        if action == "create":
            changes = {k: [None, v] for k, v in _snapshot(obj).items() if v is not None}
        ident = inspect(obj).mapper.primary_key_from_instance(obj)  # identity is not set yet for new rows
        rows.append(
            {
                "at": now,
                "entity": _entity_name(obj),
                "entity_id": ",".join(str(i) for i in ident),
                "action": action,
                "changes": json.dumps(changes, ensure_ascii=False, default=str),
                **who,
            }
        )
    session.connection().execute(insert(AuditEntry.__table__), rows)


def history(session: Session, entity: str, entity_id: Any) -> list[AuditEntry]:
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.id)
    )
    return list(session.scalars(stmt))
