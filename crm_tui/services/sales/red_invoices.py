"""Red-letter invoices (红字发票): negative invoices raised against a recorded one, partly or wholly.

Together they may not exceed the original (its remaining = its amount − the earlier confirmed red ones); a reason
is required, and a red invoice may name the sales return it is for. Amounts are stored negative; the part of the
whole remainder is the remainder's exact net and tax, a smaller part is split at the original's rate. The
invoiced total of an order counts them (``order_totals``).
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
from crm_tui.db.models.returns import RedInvoice, SalesReturn
from crm_tui.db.models.sales import SalesInvoice, SalesOrder
from crm_tui.i18n import _
from crm_tui.services.sales import documents as docs
from crm_tui.services.sales import permissions as perms

ZERO = Decimal(0)

docs.KIND_NAMES.setdefault("sales_red_invoices", "red-letter invoice")


def _what(red: RedInvoice) -> str:
    return _("red-letter invoice {number}").format(number=docs.label(red))


def load_red(session: Session, actor: Actor, red_id: int, *, lock: bool = False) -> RedInvoice:
    red = docs.load(session, RedInvoice, red_id, lock=lock)
    perms.require_customer(session, actor, red.customer_id, _what(red))
    return red


def reds_of(session: Session, invoice_id: int) -> tuple[Decimal, Decimal, Decimal]:
    """(net, tax, gross) of the confirmed red invoices against one invoice (negative or zero)."""
    n, t, g = session.execute(select(func.sum(RedInvoice.net_amount), func.sum(RedInvoice.tax_amount),
                                     func.sum(RedInvoice.gross_amount))
                              .where(RedInvoice.invoice_id == invoice_id, RedInvoice.status == "confirmed")).one()
    return n or ZERO, t or ZERO, g or ZERO


def remaining(session: Session, invoice: SalesInvoice) -> Decimal:
    """What of an invoice may still be reversed by red invoices."""
    return invoice.gross_amount + reds_of(session, invoice.id)[2]


def what_is_left(session: Session, actor: Actor, invoice_id: int) -> tuple[str, Decimal]:
    """(invoice no., what red invoices may still reverse) of a recorded invoice ``actor`` may see."""
    inv = docs.load(session, SalesInvoice, invoice_id)
    perms.require_customer(session, actor, inv.customer_id, _("invoice {number}").format(number=docs.label(inv)))
    if inv.status != "confirmed":
        raise ValidationError(_("Only a recorded invoice is reversed by a red-letter invoice."), field="invoice")
    return inv.invoice_no, remaining(session, inv)


def order_totals(session: Session, order_ids: list[int] | None = None) -> dict[int, Decimal]:
    """order id -> the (negative) sum of its confirmed red invoices."""
    stmt = (select(RedInvoice.order_id, func.sum(RedInvoice.gross_amount))
            .where(RedInvoice.status == "confirmed", RedInvoice.order_id.is_not(None)).group_by(RedInvoice.order_id))
    if order_ids is not None:
        stmt = stmt.where(RedInvoice.order_id.in_(order_ids))
    return {k: v or ZERO for k, v in session.execute(stmt)}


def _amount(value) -> Decimal:
    try:
        amount = abs(round_money(parse_money(value)))
    except ValueError:
        raise ValidationError(_("Not an amount: {value}").format(value=value), field="amount") from None
    if amount <= 0:
        raise ValidationError(_("The amount must be greater than zero."), field="amount")
    return amount


def record_red(session: Session, actor: Actor, invoice_id: int, amount, reason: str, *,
               return_id: int | None = None, invoice_date: date | None = None, remarks: str | None = None,
               at: datetime | None = None) -> int:
    """Record a red-letter invoice of ``amount`` (given positive or negative) against an invoice; returns its id."""
    from crm_tui.services.common.numbering import take_number

    perms.require(actor, "sales.money")
    reason = docs.clean(reason, 300)
    if not reason:
        raise ValidationError(_("Give the reason for the red-letter invoice."), field="reason")
    gross = _amount(amount)
    inv = docs.load(session, SalesInvoice, invoice_id, lock=True)
    perms.require_customer(session, actor, inv.customer_id, _("invoice {number}").format(number=docs.label(inv)))
    docs.require_status(inv, "confirmed", action="reverse")
    red_net, red_tax, red_gross = reds_of(session, inv.id)
    left = inv.gross_amount + red_gross
    if gross > left:
        raise ValidationError(_("Invoice {no} has {left} left to reverse; {amount} is more.").format(
            no=inv.invoice_no, left=f"{left:,.2f}", amount=f"{gross:,.2f}"), field="amount")
    if gross == left:
        net, tax = inv.net_amount + red_net, inv.tax_amount + red_tax
    else:
        net, tax = split_gross(gross, inv.tax_rate)
    if return_id is not None:
        ret = docs.load(session, SalesReturn, return_id)
        if ret.customer_id != inv.customer_id or ret.status != "confirmed":
            raise ValidationError(_("Sales return {number} is not a confirmed return of this customer.").format(
                number=docs.label(ret)), field="return")
    day = invoice_date or clock.today()
    red = RedInvoice(customer_id=inv.customer_id, invoice_id=inv.id, order_id=inv.order_id, return_id=return_id,
                     invoice_date=day, tax_rate=inv.tax_rate, net_amount=-net, tax_amount=-tax, gross_amount=-gross,
                     reason=reason, remarks=docs.clean(remarks), status="draft", created_by=actor.id)
    session.add(red)
    session.flush()
    docs.mark_confirmed(red, actor, take_number(session, "red_invoice", on=docs.number_day(at, day)), at)
    session.flush()
    return red.id


def cancel_red(session: Session, actor: Actor, red_id: int, reason: str | None = None) -> None:
    perms.require(actor, "sales.money")
    red = load_red(session, actor, red_id, lock=True)
    docs.require_status(red, "confirmed", action="cancel")
    docs.mark_cancelled(red, actor, reason)
    session.flush()


@dataclass(frozen=True)
class RedRow:
    id: int
    number: str | None
    status: str
    invoice_date: date
    invoice_no: str
    invoice_number: str | None
    customer_code: str
    customer_name: str
    order_number: str | None
    return_number: str | None
    tax_rate: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal
    reason: str

    def as_json(self) -> dict:
        return {"number": self.number, "status": self.status, "invoice_date": self.invoice_date.isoformat(),
                "invoice_no": self.invoice_no, "invoice": self.invoice_number, "customer_code": self.customer_code,
                "customer_name": self.customer_name, "order": self.order_number, "return": self.return_number,
                "tax_rate": format(self.tax_rate.normalize(), "f"), "net_amount": f"{self.net_amount:.2f}",
                "tax_amount": f"{self.tax_amount:.2f}", "gross_amount": f"{self.gross_amount:.2f}",
                "reason": self.reason}


def list_reds(session: Session, actor: Actor, *, invoice_id: int | None = None, red_id: int | None = None,
              limit: int = 200) -> list[RedRow]:
    stmt = (select(RedInvoice.id, RedInvoice.number, RedInvoice.status, RedInvoice.invoice_date,
                   SalesInvoice.invoice_no, SalesInvoice.number, Customer.code, Customer.name, SalesOrder.number,
                   SalesReturn.number, RedInvoice.tax_rate, RedInvoice.net_amount, RedInvoice.tax_amount,
                   RedInvoice.gross_amount, RedInvoice.reason)
            .join(SalesInvoice, SalesInvoice.id == RedInvoice.invoice_id)
            .join(Customer, Customer.id == RedInvoice.customer_id)
            .outerjoin(SalesOrder, SalesOrder.id == RedInvoice.order_id)
            .outerjoin(SalesReturn, SalesReturn.id == RedInvoice.return_id)
            .where(perms.visible_clause(session, actor, RedInvoice.customer_id))
            .order_by(RedInvoice.invoice_date.desc(), RedInvoice.id.desc()).limit(limit))
    if invoice_id is not None:
        stmt = stmt.where(RedInvoice.invoice_id == invoice_id)
    if red_id is not None:
        stmt = stmt.where(RedInvoice.id == red_id)
    return [RedRow(*r) for r in session.execute(stmt)]


def find_red(session: Session, actor: Actor, key: str) -> int | None:
    """A red invoice's id from its number, or None when ``key`` is not one."""
    red_id = session.scalar(select(RedInvoice.id).where(RedInvoice.number == str(key).strip()))
    if red_id is not None:
        load_red(session, actor, red_id)
    return red_id
