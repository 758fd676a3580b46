"""Writing approval requests (审批) and closing the pending ones: what orders and expense claims do when they
need a manager's word. The queue and the decisions are in ``approvals``, above orders and expenses.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.db.base import utcnow
from crm_tui.db.models.sales import Approval


def request(session: Session, actor: Actor, kind: str, doc_id: int, *, summary: str, customer_id: int | None = None,
            amount: Decimal | None = None, discount: Decimal | None = None, requested_by: int | None = None) -> int:
    close_pending(session, actor, kind, doc_id, "withdrawn")
    row = Approval(kind=kind, doc_id=doc_id, status="pending", requested_by=requested_by or actor.id,
                   requested_at=utcnow(), customer_id=customer_id, summary=summary[:300], amount=amount,
                   discount=discount)
    session.add(row)
    session.flush()
    return row.id


def close_pending(session: Session, actor: Actor, kind: str, doc_id: int, status: str) -> None:
    for row in session.scalars(select(Approval).where(Approval.kind == kind, Approval.doc_id == doc_id,
                                                      Approval.status == "pending")):
        row.status = status
        row.decided_by = actor.id
        row.decided_at = utcnow()
    session.flush()
