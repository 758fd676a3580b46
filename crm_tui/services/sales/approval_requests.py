"""Writing approval requests (审批) and closing the pending ones: what orders and expense claims do when they
need a manager's word. The queue and the decisions are in ``approvals``, above orders and expenses.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.db.base import utcnow
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.sales import Approval
from crm_tui.services.sales import approval_texts


def request(session: Session, actor: Actor, kind: str, doc_id: int, *, message: dict, customer_id: int | None = None,
            amount: Decimal | None = None, discount: Decimal | None = None, requested_by: int | None = None,
            route_owner_id: int | None = None) -> int:
    """Write a pending request (closing an earlier one of the document). ``message`` holds the parameters of the
    sentence of ``kind`` (approval_texts); ``route_owner_id`` is whose supervisor chain decides (default: the
    requester)."""
    close_pending(session, actor, kind, doc_id, "withdrawn")
    args = approval_texts.encode(**message)
    requester = requested_by or actor.id
    row = Approval(kind=kind, doc_id=doc_id, status="pending", requested_by=requester, requested_at=utcnow(),
                   customer_id=customer_id, summary=approval_texts.english(kind, args), message_code=kind,
                   message_args=args, route_owner_id=route_owner_id or requester, amount=amount, discount=discount)
    session.add(row)
    session.flush()
    return row.id


def route_owner(session: Session, customer_id: int | None, writer_id: int | None) -> int | None:
    """Whose chain approves a customer's document: the customer's salesperson, else the document's writer."""
    owner = session.scalar(select(Customer.owner_id).where(Customer.id == customer_id)) if customer_id else None
    return owner or writer_id


def close_pending(session: Session, actor: Actor, kind: str, doc_id: int, status: str) -> None:
    for row in session.scalars(select(Approval).where(Approval.kind == kind, Approval.doc_id == doc_id,
                                                      Approval.status == "pending")):
        row.status = status
        row.decided_by = actor.id
        row.decided_at = utcnow()
    session.flush()
