"""Supplier payments, input invoices (进项发票) and payables (应付) per supplier and per order.

Definitions (tax-inclusive amounts):
- ordered: the totals of confirmed and done orders (cancelled and unconfirmed ones do not count);
- received: the value of confirmed receipts — what we owe for goods that arrived;
- invoiced: active input invoices; paid: active payments;
- returned: the value of confirmed purchase returns (采购退货) — the supplier is debited with it;
- balance (应付余额) = opening balance + received − returned − paid; to invoice = received − returned − invoiced.
Payments and invoices are never deleted: a mistaken one is cancelled and no longer counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import ConflictError, NotFound, StateError, ValidationError
from crm_tui.core.money import parse_money, round_money, split_gross
from crm_tui.db.models.purchase_returns import PurchaseReturn
from crm_tui.db.models.purchasing import (
    INVOICE_TYPES,
    InputInvoice,
    PurchaseOrder,
    PurchaseReceipt,
    Supplier,
    SupplierPayment,
)
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.stock.labels import label

ZERO = Decimal(0)
COUNTED_ORDER_STATUSES = ("confirmed", "done")


def _amount(value, field: str) -> Decimal:
    try:
        amount = round_money(parse_money(value))
    except (ValueError, TypeError):
        raise ValidationError(_("{field}: not an amount: {value}").format(field=label(field), value=value),
                              field=field) from None
    if amount <= 0:
        raise ValidationError(_("{field} must be greater than zero.").format(field=label(field)), field=field)
    return amount


def _check_order(session: Session, supplier_id: int, order_id: int | None) -> None:
    if session.get(Supplier, supplier_id) is None:
        raise NotFound(_("No such supplier: {id}").format(id=supplier_id))
    if order_id is None:
        return
    order = session.get(PurchaseOrder, order_id)
    if order is None:
        raise NotFound(_("No such purchase order: {id}").format(id=order_id))
    if order.supplier_id != supplier_id:
        raise ValidationError(_("Purchase order {number} belongs to another supplier.").format(
            number=order.number or order.id), field="order")
    if order.status not in COUNTED_ORDER_STATUSES:
        raise StateError(_("Purchase order {number} is {status}; pay or invoice a confirmed order.").format(
            number=order.number or order.id, status=_(order.status)))


def record_payment(session: Session, actor: Actor, supplier_id: int, amount, paid_on: date | None = None, *,
                   order_id: int | None = None, method: str | None = None, account: str | None = None,
                   reference: str | None = None, remarks: str | None = None) -> int:
    permissions.require(actor, "purchase.manage")
    _check_order(session, supplier_id, order_id)
    payment = SupplierPayment(supplier_id=supplier_id, order_id=order_id, paid_on=paid_on or clock.today(),
                              amount=_amount(amount, "amount"), method=method, account=account,
                              reference=reference, remarks=remarks, status="active", created_by=actor.id)
    session.add(payment)
    session.flush()
    return payment.id


def cancel_payment(session: Session, actor: Actor, payment_id: int, reason: str | None = None) -> None:
    permissions.require(actor, "purchase.manage")
    payment = session.get(SupplierPayment, payment_id, with_for_update=True)
    if payment is None:
        raise NotFound(_("No such payment: {id}").format(id=payment_id))
    if payment.status != "active":
        raise StateError(_("The payment is already cancelled."))
    payment.status = "cancelled"
    if reason:
        payment.remarks = ((payment.remarks or "") + "\n" + _("Cancelled: {reason}").format(reason=reason)).strip()
    session.flush()


def record_invoice(session: Session, actor: Actor, supplier_id: int, invoice_number: str, *,
                   amount_gross=None, amount_net=None, tax=None, tax_rate: Decimal | None = None,
                   invoice_type: str = "special", invoice_date: date | None = None, order_id: int | None = None,
                   remarks: str | None = None) -> int:
    """Record a supplier's invoice: give net and tax, or the gross with a rate (split half-up), or all three."""
    permissions.require(actor, "purchase.manage")
    _check_order(session, supplier_id, order_id)
    number = (invoice_number or "").strip()
    if not number or len(number) > 40:
        raise ValidationError(_("An invoice number of 1 to 40 characters is required."), field="invoice_number")
    if invoice_type not in INVOICE_TYPES:
        raise ValidationError(_("Invoice type must be one of: {types}").format(types=", ".join(INVOICE_TYPES)),
                              field="invoice_type")
    if amount_net is not None and tax is not None:
        net = _amount(amount_net, "amount_net")
        tax_d = round_money(parse_money(tax))
        gross = net + tax_d
        if amount_gross is not None and _amount(amount_gross, "amount_gross") != gross:
            raise ValidationError(_("Net {net} plus tax {tax} is not the total {gross}.").format(
                net=net, tax=tax_d, gross=amount_gross), field="amount_gross")
    elif amount_gross is not None and tax_rate is not None:
        gross = _amount(amount_gross, "amount_gross")
        net, tax_d = split_gross(gross, Decimal(tax_rate))
    else:
        raise ValidationError(_("Give the net amount and the tax, or the total and the tax rate."),
                              field="amount_gross")
    if tax_d < 0:
        raise ValidationError(_("The tax cannot be negative."), field="tax")
    duplicate = session.scalar(select(InputInvoice.id).where(InputInvoice.supplier_id == supplier_id,
                                                             InputInvoice.invoice_number == number))
    if duplicate is not None:
        raise ConflictError(_("Invoice {number} of this supplier is already recorded.").format(number=number))
    invoice = InputInvoice(supplier_id=supplier_id, order_id=order_id, invoice_number=number,
                           invoice_type=invoice_type, invoice_date=invoice_date or clock.today(), amount_net=net,
                           tax=tax_d, amount_gross=gross, status="active", remarks=remarks, created_by=actor.id)
    session.add(invoice)
    session.flush()
    return invoice.id


def cancel_invoice(session: Session, actor: Actor, invoice_id: int, reason: str | None = None) -> None:
    permissions.require(actor, "purchase.manage")
    invoice = session.get(InputInvoice, invoice_id, with_for_update=True)
    if invoice is None:
        raise NotFound(_("No such invoice: {id}").format(id=invoice_id))
    if invoice.status != "active":
        raise StateError(_("The invoice is already cancelled."))
    invoice.status = "cancelled"
    if reason:
        invoice.remarks = ((invoice.remarks or "") + "\n" + _("Cancelled: {reason}").format(reason=reason)).strip()
    session.flush()


def order_has_money(session: Session, order_id: int) -> bool:
    paid = session.scalar(select(SupplierPayment.id).where(SupplierPayment.order_id == order_id,
                                                           SupplierPayment.status == "active").limit(1))
    invoiced = session.scalar(select(InputInvoice.id).where(InputInvoice.order_id == order_id,
                                                            InputInvoice.status == "active").limit(1))
    return paid is not None or invoiced is not None


# --- payables ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Payable:
    supplier_id: int
    supplier_code: str
    supplier_name: str
    opening: Decimal
    ordered: Decimal
    received: Decimal
    invoiced: Decimal
    paid: Decimal
    returned: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        return self.opening + self.received - self.returned - self.paid

    @property
    def to_invoice(self) -> Decimal:
        return self.received - self.returned - self.invoiced

    def as_json(self) -> dict:
        return {"supplier": self.supplier_code, "name": self.supplier_name, "opening": str(self.opening),
                "ordered": str(self.ordered), "received": str(self.received), "invoiced": str(self.invoiced),
                "paid": str(self.paid), "returned": str(self.returned), "balance": str(self.balance)}


def _sums(session: Session, column, key, *where) -> dict[int, Decimal]:
    return {k: v for k, v in session.execute(select(key, func.sum(column)).where(*where).group_by(key))}


def payables(session: Session, supplier_id: int | None = None, include_zero: bool = False) -> list[Payable]:
    """Payables per supplier, by supplier code."""
    extra = [] if supplier_id is None else [Supplier.id == supplier_id]
    suppliers = session.execute(select(Supplier.id, Supplier.code, Supplier.name, Supplier.opening_balance)
                                .where(*extra).order_by(Supplier.code)).all()
    ordered = _sums(session, PurchaseOrder.amount_gross, PurchaseOrder.supplier_id,
                    PurchaseOrder.status.in_(COUNTED_ORDER_STATUSES))
    received = _sums(session, PurchaseReceipt.amount_gross, PurchaseReceipt.supplier_id,
                     PurchaseReceipt.status == "confirmed")
    invoiced = _sums(session, InputInvoice.amount_gross, InputInvoice.supplier_id, InputInvoice.status == "active")
    paid = _sums(session, SupplierPayment.amount, SupplierPayment.supplier_id, SupplierPayment.status == "active")
    returned = _sums(session, PurchaseReturn.amount_gross, PurchaseReturn.supplier_id,
                     PurchaseReturn.status == "confirmed")
    out = []
    for sid, code, name, opening in suppliers:
        row = Payable(sid, code, name, opening or ZERO, ordered.get(sid, ZERO), received.get(sid, ZERO),
                      invoiced.get(sid, ZERO), paid.get(sid, ZERO), returned.get(sid, ZERO))
        if include_zero or supplier_id is not None or any(
                (row.opening, row.ordered, row.received, row.invoiced, row.paid, row.returned)):
            out.append(row)
    return out


@dataclass(frozen=True)
class OrderMoney:
    order_id: int
    ordered: Decimal
    received: Decimal
    invoiced: Decimal
    paid: Decimal
    returned: Decimal = ZERO

    @property
    def payment_state(self) -> str:
        """unpaid | partial | paid | overpaid, measured against the order total."""
        return _state(self.paid, self.ordered, "unpaid")

    @property
    def invoice_state(self) -> str:
        """uninvoiced | partial | invoiced | overinvoiced"""
        state = _state(self.invoiced, self.ordered, "uninvoiced")
        return {"paid": "invoiced", "overpaid": "overinvoiced"}.get(state, state)

    @property
    def balance(self) -> Decimal:
        """What is owed on this order for goods received (less what went back)."""
        return self.received - self.returned - self.paid


def _state(amount: Decimal, total: Decimal, none: str) -> str:
    if amount == 0:
        return none
    if amount < total:
        return "partial"
    return "paid" if amount == total else "overpaid"


def order_money(session: Session, order_id: int) -> OrderMoney:
    order = session.get(PurchaseOrder, order_id)
    if order is None:
        raise NotFound(_("No such purchase order: {id}").format(id=order_id))

    def total(column, *where):
        return session.scalar(select(func.sum(column)).where(*where)) or ZERO

    ordered = order.amount_gross if order.status in COUNTED_ORDER_STATUSES else ZERO
    return OrderMoney(order.id, ordered,
                      total(PurchaseReceipt.amount_gross, PurchaseReceipt.order_id == order.id,
                            PurchaseReceipt.status == "confirmed"),
                      total(InputInvoice.amount_gross, InputInvoice.order_id == order.id,
                            InputInvoice.status == "active"),
                      total(SupplierPayment.amount, SupplierPayment.order_id == order.id,
                            SupplierPayment.status == "active"),
                      total(PurchaseReturn.amount_gross, PurchaseReturn.receipt_id == PurchaseReceipt.id,
                            PurchaseReceipt.order_id == order.id, PurchaseReturn.status == "confirmed"))


@dataclass(frozen=True)
class PaymentRow:
    id: int
    paid_on: date
    amount: Decimal
    method: str | None
    reference: str | None
    status: str  # active | cancelled


def order_payments(session: Session, order_id: int) -> list[PaymentRow]:
    """The payments recorded against a purchase order, cancelled ones included, oldest first."""
    rows = session.scalars(select(SupplierPayment).where(SupplierPayment.order_id == order_id)
                           .order_by(SupplierPayment.paid_on, SupplierPayment.id))
    return [PaymentRow(p.id, p.paid_on, p.amount, p.method, p.reference, p.status) for p in rows]
