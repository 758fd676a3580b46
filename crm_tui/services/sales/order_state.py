"""An order as the other sales documents see it: loaded with the customer visibility check, and how far it
has got (shipped, invoiced, paid). It sits below orders, deliveries, stock-outs and expenses, which all read orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.db.models.sales import (
    Receipt,
    ReceiptApplication,
    SalesInvoice,
    SalesOrder,
    SalesOrderLine,
    SalesStockOut,
    SalesStockOutLine,
)
from crm_tui.i18n import _
from crm_tui.services.sales import documents as docs
from crm_tui.services.sales import permissions as perms

ZERO = Decimal(0)


def order_label(order: SalesOrder) -> str:
    return _("sales order {number}").format(number=docs.label(order))


def load_order(session: Session, actor: Actor, order_id: int, *, lock: bool = False,
               shipping: bool = False) -> SalesOrder:
    order = docs.load(session, SalesOrder, order_id, lock=lock)
    perms.require_customer(session, actor, order.customer_id, order_label(order), shipping=shipping)
    return order


@dataclass(frozen=True)
class Progress:
    """How far an order has got: what shipped, was invoiced and was paid (RMB, tax-inclusive)."""

    gross: Decimal
    shipped: Decimal
    invoiced: Decimal
    paid: Decimal

    @property
    def unpaid(self) -> Decimal:
        return self.gross - self.paid

    @property
    def uninvoiced(self) -> Decimal:
        return self.gross - self.invoiced

    @staticmethod
    def state(done: Decimal, total: Decimal) -> str:
        if done <= 0:
            return "none"
        return "full" if done >= total else "partial"


def progress_of(session: Session, order_ids: list[int]) -> dict[int, Progress]:
    """order id -> Progress, in three grouped queries."""
    from crm_tui.services.sales.red_invoices import order_totals as red_order_totals

    if not order_ids:
        return {}
    gross = dict(session.execute(select(SalesOrder.id, SalesOrder.gross_total).where(SalesOrder.id.in_(order_ids))).all())
    shipped = dict(session.execute(
        select(SalesOrderLine.order_id, func.sum(SalesStockOutLine.gross_amount))
        .join(SalesStockOutLine, SalesStockOutLine.order_line_id == SalesOrderLine.id)
        .join(SalesStockOut, SalesStockOut.id == SalesStockOutLine.stock_out_id)
        .where(SalesOrderLine.order_id.in_(order_ids), SalesStockOut.status == "confirmed")
        .group_by(SalesOrderLine.order_id)).all())
    invoiced = dict(session.execute(
        select(SalesInvoice.order_id, func.sum(SalesInvoice.gross_amount))
        .where(SalesInvoice.order_id.in_(order_ids), SalesInvoice.status == "confirmed")
        .group_by(SalesInvoice.order_id)).all())
    for oid, red in red_order_totals(session, order_ids).items():  # red-letter invoices (negative)
        invoiced[oid] = (invoiced.get(oid) or ZERO) + red
    paid = dict(session.execute(
        select(ReceiptApplication.order_id, func.sum(ReceiptApplication.amount))
        .join(Receipt, Receipt.id == ReceiptApplication.receipt_id)
        .where(ReceiptApplication.order_id.in_(order_ids), Receipt.status == "confirmed")
        .group_by(ReceiptApplication.order_id)).all())
    return {oid: Progress(g, shipped.get(oid) or ZERO, invoiced.get(oid) or ZERO, paid.get(oid) or ZERO)
            for oid, g in gross.items()}
