"""Expense claims (费用报销): draft → pending_approval (numbered) → approved / rejected, or cancelled.

A salesperson claims what they spent (category, amount, date), linked to a customer and/or an order. A claim
for money spent longer ago than ``[sales] expense_validity_days`` is refused when submitted. The claimant's
manager approves or rejects it in the approval queue. Claims are seen by their claimant and the people above.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, PermissionDenied, ValidationError
from crm_tui.core.money import parse_money, round_money
from crm_tui.db.base import utcnow
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.people import User
from crm_tui.db.models.sales import ExpenseClaim, SalesOrder
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.notices.notifications import notify
from crm_tui.services.sales import approval_requests
from crm_tui.services.sales import documents as docs
from crm_tui.services.sales import permissions as perms
from crm_tui.services.sales.pricing import expense_validity_days

CATEGORIES = ("差旅费", "交通费", "招待费", "通讯费", "样品费", "办公费", "其他")


def _what(c: ExpenseClaim) -> str:
    return _("expense claim {number}").format(number=docs.label(c))


def load_claim(session: Session, actor: Actor, claim_id: int, *, lock: bool = False) -> ExpenseClaim:
    claim = docs.load(session, ExpenseClaim, claim_id, lock=lock)
    if not permissions.can_see_owner(session, actor, claim.claimant_id):
        raise PermissionDenied(_("You may not see {what}.").format(what=_what(claim)))
    return claim


def create_claim(session: Session, actor: Actor, amount, category: str, spent_on: date, *,
                 customer_id: int | None = None, order_id: int | None = None, description: str | None = None,
                 claimant_id: int | None = None) -> int:
    perms.require(actor, "expenses.claim")
    claimant = claimant_id or actor.id
    if claimant is None or session.get(User, claimant) is None:
        raise NotFound(_("No such user: {id}").format(id=claimant))
    if not permissions.can_see_owner(session, actor, claimant):
        raise PermissionDenied(_("You may file claims only for yourself and the people you manage."))
    try:
        value = round_money(parse_money(amount))
    except ValueError:
        raise ValidationError(_("Not an amount: {value}").format(value=amount), field="amount") from None
    if value <= 0:
        raise ValidationError(_("The amount must be greater than zero."), field="amount")
    category = docs.clean(category, 32)
    if not category:
        raise ValidationError(_("Give the expense category (e.g. {examples}).").format(examples="、".join(CATEGORIES)),
                              field="category")
    if order_id is not None:
        from crm_tui.services.sales.orders import load_order

        order = load_order(session, actor, order_id)
        if customer_id is not None and customer_id != order.customer_id:
            raise ValidationError(_("Order {order} is another customer's.").format(order=docs.label(order)),
                                  field="order")
        customer_id = order.customer_id
    if customer_id is not None:
        perms.require_customer_record(session, actor, customer_id)
    claim = ExpenseClaim(claimant_id=claimant, category=category, amount=value, spent_on=spent_on,
                         customer_id=customer_id, order_id=order_id, description=docs.clean(description),
                         status="draft", created_by=actor.id)
    session.add(claim)
    session.flush()
    return claim.id


def submit_claim(session: Session, actor: Actor, claim_id: int, *, today: date | None = None,
                 at: datetime | None = None) -> str:
    """Number the claim and put it in the manager's queue; a claim past its validity period is refused."""
    from crm_tui.services.common.numbering import take_number
    perms.require(actor, "expenses.claim")
    claim = load_claim(session, actor, claim_id, lock=True)
    docs.require_status(claim, "draft", "rejected", action="submit")
    today = today or clock.today()
    days = expense_validity_days()
    if claim.spent_on < today - timedelta(days=days):
        raise ValidationError(_("Money spent on {day} can no longer be claimed: claims must come within {days} days."
                                ).format(day=claim.spent_on, days=days), field="spent_on")
    if claim.spent_on > today:
        raise ValidationError(_("The expense date {day} is in the future.").format(day=claim.spent_on),
                              field="spent_on")
    if claim.number is None:
        claim.number = take_number(session, "expense", on=docs.number_day(at))
    claim.status = "pending_approval"
    claim.submitted_at = at or utcnow()
    claimant = session.get(User, claim.claimant_id)
    approval_requests.request(session, actor, "expense", claim.id, customer_id=claim.customer_id, amount=claim.amount,
                      requested_by=claim.claimant_id,
                      message={"number": claim.number, "who": claimant.display_name, "category": claim.category,
                               "amount": claim.amount})
    session.flush()
    return claim.number


def approved(session: Session, actor: Actor, claim_id: int, comment: str | None, at: datetime | None) -> str:
    """Called by the approval queue."""
    claim = load_claim(session, actor, claim_id, lock=True)
    docs.require_status(claim, "pending_approval", action="approve")
    claim.status = "approved"
    claim.confirmed_by = claim.decided_by = actor.id
    claim.confirmed_at = claim.decided_at = at or utcnow()
    claim.decision_comment = (comment or "").strip()[:300] or None
    session.flush()
    if claim.claimant_id != actor.id:
        notify(session, claim.claimant_id, "expense_approved", {"number": claim.number, "who": actor.display_name},
               ("expense", claim.id))
    return claim.number


def rejected(session: Session, actor: Actor, claim_id: int, comment: str | None) -> None:
    claim = load_claim(session, actor, claim_id, lock=True)
    docs.require_status(claim, "pending_approval", action="reject")
    claim.status = "rejected"
    claim.decided_by = actor.id
    claim.decided_at = utcnow()
    claim.decision_comment = (comment or "").strip()[:300] or None
    session.flush()
    if claim.claimant_id != actor.id:
        notify(session, claim.claimant_id, "expense_rejected",
               {"number": claim.number or f"#{claim.id}", "who": actor.display_name,
                "comment": claim.decision_comment or "-"}, ("expense", claim.id))


def cancel_claim(session: Session, actor: Actor, claim_id: int, reason: str | None = None) -> None:
    """Withdraw a claim (a draft is deleted)."""
    claim = load_claim(session, actor, claim_id, lock=True)
    if claim.status == "draft":
        session.delete(claim)
        session.flush()
        return
    docs.require_status(claim, "pending_approval", "rejected", "approved", action="cancel")
    if claim.status == "approved":
        perms.require(actor, "sales.approve")
    approval_requests.close_pending(session, actor, "expense", claim.id, "withdrawn")
    docs.mark_cancelled(claim, actor, reason)
    session.flush()


@dataclass(frozen=True)
class ClaimRow:
    id: int
    number: str | None
    status: str
    claimant: str
    category: str
    amount: Decimal
    spent_on: date
    customer_name: str | None
    order_number: str | None
    description: str | None
    decision_comment: str | None


def list_claims(session: Session, actor: Actor, *, status: str | None = None, claimant_id: int | None = None,
                customer_id: int | None = None, date_from: date | None = None, date_to: date | None = None,
                limit: int = 200, offset: int = 0) -> list[ClaimRow]:
    stmt = (select(ExpenseClaim.id, ExpenseClaim.number, ExpenseClaim.status, User.display_name, ExpenseClaim.category,
                   ExpenseClaim.amount, ExpenseClaim.spent_on, Customer.name, SalesOrder.number,
                   ExpenseClaim.description, ExpenseClaim.decision_comment)
            .join(User, User.id == ExpenseClaim.claimant_id)
            .outerjoin(Customer, Customer.id == ExpenseClaim.customer_id)
            .outerjoin(SalesOrder, SalesOrder.id == ExpenseClaim.order_id)
            .where(permissions.owner_filter(session, actor, ExpenseClaim.claimant_id))
            .order_by(ExpenseClaim.spent_on.desc(), ExpenseClaim.id.desc()).limit(limit).offset(offset))
    for column, value in ((ExpenseClaim.status, status), (ExpenseClaim.claimant_id, claimant_id),
                          (ExpenseClaim.customer_id, customer_id)):
        if value:
            stmt = stmt.where(column == value)
    if date_from:
        stmt = stmt.where(ExpenseClaim.spent_on >= date_from)
    if date_to:
        stmt = stmt.where(ExpenseClaim.spent_on <= date_to)
    return [ClaimRow(*r) for r in session.execute(stmt)]


def find_claim(session: Session, actor: Actor, key: str) -> int:
    claim_id = docs.find_id(session, ExpenseClaim, key)
    load_claim(session, actor, claim_id)
    return claim_id
