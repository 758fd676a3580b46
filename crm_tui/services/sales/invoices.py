"""Invoices (发票): the tax invoices issued to customers, several per order, ordinary (普票) or special (专票).

An invoice is recorded (and numbered with our own mask) once issued; a mistake is cancelled (作废/红冲), never
edited. Given a tax-inclusive amount and a rate, net = round(gross / (1 + rate), 2) and tax = gross − net; an
order may not be invoiced beyond its total.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import ValidationError
from crm_tui.core.money import parse_money, round_money, split_gross
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.sales import INVOICE_KINDS, SalesInvoice, SalesOrder
from crm_tui.i18n import _
from crm_tui.services.common import list_filters as lf
from crm_tui.services.sales import documents as docs
from crm_tui.services.sales import permissions as perms
from crm_tui.services.sales import terms
from crm_tui.services.sales.pricing import parse_tax_rate

ZERO = Decimal(0)


def _what(inv: SalesInvoice) -> str:
    return _("invoice {number}").format(number=docs.label(inv))


def load_invoice(session: Session, actor: Actor, invoice_id: int, *, lock: bool = False) -> SalesInvoice:
    inv = docs.load(session, SalesInvoice, invoice_id, lock=lock)
    perms.require_customer(session, actor, inv.customer_id, _what(inv))
    return inv


def invoiced_total(session: Session, order_id: int) -> Decimal:
    from crm_tui.services.sales.red_invoices import order_totals

    invoiced = session.scalar(select(func.sum(SalesInvoice.gross_amount)).where(
        SalesInvoice.order_id == order_id, SalesInvoice.status == "confirmed")) or ZERO
    return invoiced + order_totals(session, [order_id]).get(order_id, ZERO)  # red invoices are negative


def record_invoice(session: Session, actor: Actor, invoice_no: str, gross_amount, *, customer_id: int | None = None,
                   order_id: int | None = None, kind: str = "special", tax_rate=None,
                   invoice_date: date | None = None, remarks: str | None = None, at: datetime | None = None) -> int:
    """Record an issued invoice for an order (or a customer on account); returns its id."""
    from crm_tui.services.common.numbering import take_number
    from crm_tui.services.sales.orders import load_order

    perms.require(actor, "sales.money")
    no = docs.clean(invoice_no, 40)
    if not no:
        raise ValidationError(_("Give the invoice number printed on the invoice."), field="invoice_no")
    if session.scalar(select(SalesInvoice.id).where(SalesInvoice.invoice_no == no)):
        raise ValidationError(_("Invoice number {no} is already recorded.").format(no=no), field="invoice_no")
    if kind not in INVOICE_KINDS:
        raise ValidationError(_("Unknown invoice type {kind}: expected ordinary (普票) or special (专票).").format(
            kind=kind), field="kind")
    try:
        gross = round_money(parse_money(gross_amount))
    except ValueError:
        raise ValidationError(_("Not an amount: {value}").format(value=gross_amount), field="amount") from None
    if gross <= 0:
        raise ValidationError(_("The amount must be greater than zero."), field="amount")
    order = None
    if order_id is not None:
        order = load_order(session, actor, order_id, lock=True)
        if order.status not in ("confirmed", "done"):
            raise ValidationError(_("Order {order} is {status}; only confirmed orders are invoiced.").format(
                order=docs.label(order), status=_(order.status)), field="order")
        customer_id = order.customer_id
        left = order.gross_total - invoiced_total(session, order.id)
        if gross > left:
            raise ValidationError(_("Order {order} has {left} left to invoice; {amount} is more.").format(
                order=order.number, left=f"{left:,.2f}", amount=f"{gross:,.2f}"), field="amount")
    if customer_id is None:
        raise ValidationError(_("Give the order or the customer the invoice is for."), field="customer")
    customer = perms.require_customer_record(session, actor, customer_id)
    rate = _rate(session, order, tax_rate)
    net, tax = split_gross(gross, rate)
    day = invoice_date or clock.today()
    inv = SalesInvoice(customer_id=customer.id, order_id=order.id if order else None, invoice_no=no, kind=kind,
                       invoice_date=day, tax_rate=rate, net_amount=net, tax_amount=tax, gross_amount=gross,
                       remarks=docs.clean(remarks), status="draft", created_by=actor.id)
    terms.stamp_invoice(session, inv)
    session.add(inv)
    session.flush()
    docs.mark_confirmed(inv, actor, take_number(session, "invoice", on=docs.number_day(at, day)), at)
    session.flush()
    return inv.id


def _rate(session: Session, order: SalesOrder | None, tax_rate) -> Decimal:
    if tax_rate is not None and str(tax_rate).strip():
        return parse_tax_rate(tax_rate, _("Invoice"))
    if order is not None:
        from crm_tui.db.models.sales import SalesOrderLine

        rates = set(session.scalars(select(SalesOrderLine.tax_rate).where(SalesOrderLine.order_id == order.id)))
        if len(rates) == 1:
            return rates.pop()
    raise ValidationError(_("Give the tax rate of the invoice."), field="tax_rate")


def cancel_invoice(session: Session, actor: Actor, invoice_id: int, reason: str | None = None) -> None:
    perms.require(actor, "sales.money")
    inv = load_invoice(session, actor, invoice_id, lock=True)
    docs.require_status(inv, "confirmed", action="cancel")
    from crm_tui.services.sales.red_invoices import reds_of

    if reds_of(session, inv.id)[2]:
        raise ValidationError(_("Invoice {no} has red-letter invoices; cancel them first.").format(no=inv.invoice_no),
                              field="invoice")
    docs.mark_cancelled(inv, actor, reason)
    session.flush()


@dataclass(frozen=True)
class InvoiceRow:
    id: int
    number: str | None
    invoice_no: str
    kind: str
    status: str
    invoice_date: date
    customer_code: str
    customer_name: str
    order_number: str | None
    tax_rate: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal


def list_invoices(session: Session, actor: Actor, *, customer_id: int | None = None, order_id: int | None = None,
                  status: str | None = None, date_from: date | None = None, date_to: date | None = None,
                  text: str = "", limit: int = 200, offset: int = 0) -> list[InvoiceRow]:
    stmt = (select(SalesInvoice.id, SalesInvoice.number, SalesInvoice.invoice_no, SalesInvoice.kind, SalesInvoice.status,
                   SalesInvoice.invoice_date, Customer.code, Customer.name, SalesOrder.number, SalesInvoice.tax_rate,
                   SalesInvoice.net_amount, SalesInvoice.tax_amount, SalesInvoice.gross_amount)
            .join(Customer, Customer.id == SalesInvoice.customer_id)
            .outerjoin(SalesOrder, SalesOrder.id == SalesInvoice.order_id)
            .where(perms.visible_clause(session, actor, SalesInvoice.customer_id))
            .order_by(SalesInvoice.invoice_date.desc(), SalesInvoice.id.desc()).limit(limit).offset(offset))
    stmt = lf.equal_to(stmt, (SalesInvoice.customer_id, customer_id), (SalesInvoice.order_id, order_id),
                       (SalesInvoice.status, status))
    stmt = lf.between(stmt, SalesInvoice.invoice_date, date_from, date_to)
    stmt = lf.search(stmt, text, SalesInvoice.invoice_no, SalesInvoice.number, Customer.name)
    return [InvoiceRow(*r) for r in session.execute(stmt)]


def find_invoice(session: Session, actor: Actor, key: str) -> int:
    inv_id = docs.find_id(session, SalesInvoice, key, extra=SalesInvoice.invoice_no)
    load_invoice(session, actor, inv_id)
    return inv_id
