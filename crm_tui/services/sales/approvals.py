"""The approval queue (审批): orders whose discount is beyond the limit, expense claims.

A request is written by the service that needs it (``approval_requests.request``). It goes to the supervisor chain
of its route owner — the customer's salesperson for an order (whoever typed the order in), the claimant for an
expense — and to the administrators: a user holding ``sales.approve`` sees the pending requests routed to the
people below them and approves or rejects them; the writer sees their own. Approving an order's discount needs
a limit of one's own that covers it (a manager whose limit falls short leaves it to someone further up); it
confirms the order (numbered) in the same transaction. Rejecting sends the document back to its writer; the
comment stays on the request (not in the order's remarks, which print for the customer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, PermissionDenied, StateError
from crm_tui.db.base import utcnow
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.people import User
from crm_tui.db.models.sales import Approval, ExpenseClaim, SalesOrder
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.sales import approval_texts, credit, expenses, orders
from crm_tui.services.sales import permissions as perms
from crm_tui.services.sales.pricing import discount_limit, max_discount


@dataclass(frozen=True)
class ApprovalRow:
    id: int
    kind: str
    doc_id: int
    status: str
    requested_by: str | None
    requested_at: datetime
    customer_name: str | None
    summary: str  # in the reader's language (approval_texts)
    document: str  # the order's number (or #id and reference), the claim's number
    amount: Decimal | None
    discount: Decimal | None
    comment: str | None


def _route():
    return func.coalesce(Approval.route_owner_id, Approval.requested_by)


def _visible(session: Session, actor: Actor):
    """Requests routed to people ``actor`` sees (own, subordinates'; all for administrators), and their own."""
    return or_(permissions.owner_filter(session, actor, _route()), Approval.requested_by == actor.id)


def queue(session: Session, actor: Actor, *, status: str | None = "pending", kind: str | None = None,
          limit: int = 500) -> list[ApprovalRow]:
    """The requests ``actor`` may see: those waiting (default) or all of them with ``status=None``."""
    stmt = (select(Approval, User.display_name, Customer.name, SalesOrder.number, SalesOrder.external_ref,
                   ExpenseClaim.number)
            .outerjoin(User, User.id == Approval.requested_by).outerjoin(Customer, Customer.id == Approval.customer_id)
            .outerjoin(SalesOrder, and_(Approval.kind.in_(orders.ORDER_APPROVALS), SalesOrder.id == Approval.doc_id))
            .outerjoin(ExpenseClaim, and_(Approval.kind == "expense", ExpenseClaim.id == Approval.doc_id))
            .where(_visible(session, actor)).order_by(Approval.requested_at.desc(), Approval.id.desc()).limit(limit))
    if status:
        stmt = stmt.where(Approval.status == status)
    if kind:
        stmt = stmt.where(Approval.kind == kind)
    return [ApprovalRow(a.id, a.kind, a.doc_id, a.status, who, a.requested_at, cust,
                        approval_texts.render(a.message_code, a.message_args, a.summary),
                        _document(a, order_no, ref, claim_no), a.amount, a.discount, a.comment)
            for a, who, cust, order_no, ref, claim_no in session.execute(stmt)]


def _document(row: Approval, order_no: str | None, ref: str | None, claim_no: str | None) -> str:
    is_order = row.kind in orders.ORDER_APPROVALS
    number = (order_no if is_order else claim_no) or f"#{row.doc_id}"
    return f"{number} ({ref})" if is_order and ref else number


def _load_pending(session: Session, actor: Actor, approval_id: int) -> Approval:
    perms.require(actor, "sales.approve")
    row = session.scalar(select(Approval).where(Approval.id == approval_id).with_for_update())
    if row is None:
        raise NotFound(_("No such approval request: {id}").format(id=approval_id))
    if row.requested_by == actor.id and not actor.is_admin:
        raise PermissionDenied(_("You cannot approve your own request."))
    route = row.route_owner_id or row.requested_by
    if not permissions.can_see_owner(session, actor, route):
        raise PermissionDenied(_("This request goes to the managers of someone you do not manage."))
    if route == actor.id and not actor.is_admin:  # a discount for one's own customer goes up the chain
        raise PermissionDenied(_("This request is for your own customer: your manager decides it."))
    if row.status != "pending":
        raise StateError(_("This request is already {status}.").format(status=_(row.status)))
    return row


def approve(session: Session, actor: Actor, approval_id: int, comment: str | None = None, *,
            at: datetime | None = None) -> str:
    """Approve a request; returns the document's number once it is confirmed."""
    row = _load_pending(session, actor, approval_id)
    if row.kind == "order_discount":
        if row.discount is not None and row.discount > discount_limit(actor.role):
            raise PermissionDenied(_("The discount {discount} is beyond your own limit {limit}.").format(
                discount=f"{row.discount:.2%}", limit=f"{discount_limit(actor.role):.2%}"))
    _decide(row, actor, "approved", comment, at)
    if row.kind == "order_credit":
        return _approve_credit(session, actor, row, at)
    if row.kind == "order_discount":
        return _approve_order(session, actor, row, at)
    return expenses.approved(session, actor, row.doc_id, comment, at)


def _approve_order(session: Session, actor: Actor, row: Approval, at: datetime | None) -> str:
    order = orders.load_order(session, actor, row.doc_id, lock=True)
    if order.status != "pending_approval":
        raise StateError(_("The order is no longer waiting for approval."))
    order.approved_discount = max(max_discount(orders.order_lines(session, order.id)), row.discount or Decimal(0))
    order.approved_by = actor.id
    if credit.check_order(session, actor, order, requested_by=row.requested_by):  # the credit: a second question
        return order.number or ""
    return orders.finish_confirmation(session, actor, order, at)


def _approve_credit(session: Session, actor: Actor, row: Approval, at: datetime | None) -> str:
    """Going over the customer's credit limit approved: the order is confirmed (any discount was settled first)."""
    order = orders.load_order(session, actor, row.doc_id, lock=True)
    if order.status != "pending_approval":
        raise StateError(_("The order is no longer waiting for approval."))
    return orders.finish_confirmation(session, actor, order, at)


def reject(session: Session, actor: Actor, approval_id: int, comment: str | None = None) -> None:
    row = _load_pending(session, actor, approval_id)
    _decide(row, actor, "rejected", comment, None)
    if row.kind in orders.ORDER_APPROVALS:
        order = orders.load_order(session, actor, row.doc_id, lock=True)
        order.status = "draft"  # the comment stays on the request; the order shows it when read (get_order)
    else:
        expenses.rejected(session, actor, row.doc_id, comment)
    session.flush()


def _decide(row: Approval, actor: Actor, status: str, comment: str | None, at: datetime | None) -> None:
    row.status = status
    row.decided_by = actor.id
    row.decided_at = at or utcnow()
    row.comment = (comment or "").strip()[:300] or None
