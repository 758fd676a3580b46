"""Credit limits (信用额度), enforced when an order is confirmed.

A customer's exposure is what they owe plus what they have been promised: the open balance (opening + billed −
received, as the receivables count it) and, when the basis is ``stock_outs``, the part of their confirmed orders
that has not shipped yet (on the ``orders`` basis a confirmed order is billed already, so it is in the balance).
Confirming an order whose total would take the exposure over the customer's ``credit_limit`` is refused or sent
to the approval queue, as ``[credit] over_limit`` says (``approve``, ``refuse`` or ``off``). A customer without a
limit (empty or zero) is not checked. Every date counts: an order dated next month still uses up the credit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.config import get_settings
from crm_tui.core.actor import Actor
from crm_tui.core.errors import StateError, ValidationError
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.sales import Receipt, SalesOrder, SalesOrderLine, SalesStockOut, SalesStockOutLine
from crm_tui.i18n import _
from crm_tui.services.sales import approval_requests, return_credits
from crm_tui.services.sales import documents as docs
from crm_tui.services.sales import permissions as perms
from crm_tui.services.sales.pricing import receivable_basis

ZERO = Decimal(0)
MODES = ("approve", "refuse", "off")
BILLED = ("confirmed", "done")


class CreditLimitExceeded(StateError):
    """Confirming the order would take the customer over their credit limit (``over_limit = "refuse"``)."""


def over_limit_mode() -> str:
    mode = str(get_settings().get("credit", {}).get("over_limit", "approve"))
    if mode not in MODES:
        raise ValidationError(_("Settings [credit] over_limit must be approve, refuse or off, not {value}.")
                              .format(value=mode), field="over_limit")
    return mode


@dataclass(frozen=True)
class Credit:
    """A customer's credit: the limit (None: none), what is used, and what is left (None without a limit)."""

    customer_id: int
    limit: Decimal | None
    exposure: Decimal

    @property
    def headroom(self) -> Decimal | None:
        return None if self.limit is None else self.limit - self.exposure

    def as_json(self) -> dict:
        return {"limit": None if self.limit is None else f"{self.limit:.2f}", "exposure": f"{self.exposure:.2f}",
                "headroom": None if self.headroom is None else f"{self.headroom:.2f}"}


def exposure(session: Session, customer_id: int, *, basis: str | None = None) -> Decimal:
    """Opening + billed − received (every date), plus the unshipped part of confirmed orders on the stock-out
    basis (module doc)."""
    basis = basis or receivable_basis()
    opening = session.scalar(select(Customer.opening_balance).where(Customer.id == customer_id)) or ZERO
    received = session.scalar(select(func.sum(Receipt.amount_cny)).where(
        Receipt.customer_id == customer_id, Receipt.status == "confirmed")) or ZERO
    ordered = session.scalar(select(func.sum(SalesOrder.gross_total)).where(
        SalesOrder.customer_id == customer_id, SalesOrder.status.in_(BILLED))) or ZERO
    received += return_credits.customer_total(session, customer_id)  # a return credits like a receipt
    if basis != "stock_outs":
        return opening + ordered - received
    shipped = session.scalar(select(func.sum(SalesStockOut.gross_total)).where(
        SalesStockOut.customer_id == customer_id, SalesStockOut.status == "confirmed")) or ZERO
    open_orders = select(SalesOrder.id).where(SalesOrder.customer_id == customer_id, SalesOrder.status == "confirmed")
    open_total = session.scalar(select(func.sum(SalesOrder.gross_total)).where(SalesOrder.id.in_(open_orders))) or ZERO
    open_shipped = session.scalar(
        select(func.sum(SalesStockOutLine.gross_amount))
        .join(SalesStockOut, SalesStockOut.id == SalesStockOutLine.stock_out_id)
        .join(SalesOrderLine, SalesOrderLine.id == SalesStockOutLine.order_line_id)
        .where(SalesStockOut.status == "confirmed", SalesOrderLine.order_id.in_(open_orders))) or ZERO
    return opening + shipped - received + max(open_total - open_shipped, ZERO)


def customer_credit(session: Session, actor: Actor, customer_id: int) -> Credit:
    """The credit of a customer ``actor`` may see (the order entry computes it once, when the customer is chosen,
    and takes the running total off the headroom as lines are typed)."""
    customer = perms.require_customer_record(session, actor, customer_id)
    return Credit(customer.id, customer.credit_limit or None, exposure(session, customer.id))


def check_order(session: Session, actor: Actor, order: SalesOrder, *, requested_by: int | None = None) -> bool:
    """At confirmation: True when the order went to the approval queue for its credit (status pending_approval);
    raises ``CreditLimitExceeded`` when the setting refuses; False when it is within the limit (or not checked).
    ``requested_by``: who asks (default ``actor``; the discount's requester when a discount approval leads here)."""
    mode = over_limit_mode()
    if mode == "off":
        return False
    # The customer's row locked (PostgreSQL; SQLite's write transaction is exclusive already): two orders
    # confirmed at once cannot both take the last of the credit.
    limit = session.scalar(select(Customer.credit_limit).where(Customer.id == order.customer_id).with_for_update())
    if not limit:
        return False
    used = exposure(session, order.customer_id)
    if used + order.gross_total <= limit:
        return False
    label = docs.label(order) + (f" ({order.external_ref})" if order.external_ref else "")
    if mode == "refuse":
        raise CreditLimitExceeded(_(
            "{what} is refused: {total} would take the customer over their credit limit {limit} "
            "(already used {used}, left {left}).").format(
                what=label, total=f"{order.gross_total:,.2f}", limit=f"{limit:,.2f}", used=f"{used:,.2f}",
                left=f"{limit - used:,.2f}"))
    order.status = "pending_approval"
    approval_requests.request(
        session, actor, "order_credit", order.id, customer_id=order.customer_id, amount=order.gross_total,
        message={"order": label, "amount": order.gross_total, "credit_limit": limit, "exposure": used},
        requested_by=requested_by,
        route_owner_id=approval_requests.route_owner(session, order.customer_id, order.created_by or actor.id))
    session.flush()
    return True
