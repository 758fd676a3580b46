"""Sales orders (销售订单 / 合同): draft → (pending_approval →) confirmed → done, or cancelled.

Confirming takes the number in the same transaction. When a line gives more discount than the confirming
user's role may (``[sales] discount_limits``), the order waits in the approval queue instead; the manager's
approval confirms it. Stock-outs mark it done when everything has shipped; ``close_order`` ends it by hand.
Cancelling a confirmed order cancels its delivery notices and its own stock-outs (the goods go back into
stock) and frees the receipts applied to it (they become advances again); invoices must be cancelled first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import StateError, ValidationError
from crm_tui.db.base import utcnow
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.people import User
from crm_tui.db.models.sales import (
    Approval,
    DeliveryNotice,
    DeliveryNoticeLine,
    Quote,
    Receipt,
    ReceiptApplication,
    SalesInvoice,
    SalesOrder,
    SalesOrderLine,
    SalesStockOut,
    SalesStockOutLine,
    TrackingNumber,
)
from crm_tui.i18n import _
from crm_tui.services.common import drafts, events
from crm_tui.services.common import list_filters as lf
from crm_tui.services.sales import approval_requests, couriers, credit, deliveries
from crm_tui.services.sales import documents as docs
from crm_tui.services.sales import permissions as perms
from crm_tui.services.sales import stock_outs as sales_stock_outs
from crm_tui.services.sales import terms as payment_terms_of
from crm_tui.services.sales.documents import LineView, line_views
from crm_tui.services.sales.order_state import Progress, load_order, order_label, progress_of
from crm_tui.services.sales.pricing import LineInput, build_lines, discount_limit, max_discount

ZERO = Decimal(0)
OPEN = ("confirmed", "done")  # orders that count: billed, shippable, payable
ORDER_APPROVALS = ("order_discount", "order_credit")  # what an order may wait for: a discount, its credit
HEADER_FIELDS = ("contact_name", "contact_phone", "order_date", "delivery_date", "delivery_address", "payment_terms",
                 "remarks", "owner_id", "external_ref", "terms")


def create_order(session: Session, actor: Actor, customer_id: int, lines: list[LineInput], *,
                 order_date: date | None = None, quote_id: int | None = None, external_ref: str | None = None,
                 delivery_date: date | None = None, delivery_address: str | None = None,
                 payment_terms: str | None = None, contact_name: str | None = None, contact_phone: str | None = None,
                 remarks: str | None = None, owner_id: int | None = None, terms: str | None = None) -> int:
    """A draft order; returns its id. ``terms``: this order's payment terms (terms.py), else the customer's."""
    perms.require(actor, "sales.edit")
    customer = docs.active_customer(session, actor, customer_id)
    ref = docs.clean(external_ref, 64)
    _check_reference(session, customer.id, ref)
    rows = build_lines(session, customer.id, lines)
    order = SalesOrder(customer_id=customer.id, status="draft", order_date=order_date or clock.today(),
                       quote_id=quote_id, external_ref=ref, delivery_date=delivery_date,
                       delivery_address=docs.clean(delivery_address, 300) or customer.address,
                       payment_terms=docs.clean(payment_terms, 200), contact_name=docs.clean(contact_name, 64),
                       contact_phone=docs.clean(contact_phone, 32), remarks=docs.clean(remarks),
                       owner_id=owner_id or customer.owner_id or actor.id, created_by=actor.id,
                       terms=payment_terms_of.parse_terms(terms))
    docs.set_totals(order, rows)
    session.add(order)
    session.flush()
    session.add_all(SalesOrderLine(order_id=order.id, **r) for r in rows)
    session.flush()
    return order.id


def _check_reference(session: Session, customer_id: int, ref: str | None, order_id: int | None = None) -> None:
    if not ref:
        return
    stmt = select(SalesOrder.id, SalesOrder.number).where(SalesOrder.customer_id == customer_id,
                                                          SalesOrder.external_ref == ref)
    for oid, number in session.execute(stmt):
        if oid != order_id:
            raise ValidationError(_("The customer already has order {number} with reference {ref}.").format(
                number=number or f"#{oid}", ref=ref), field="external_ref")


def _draft(session: Session, actor: Actor, order_id: int, expected_version: int | None = None) -> SalesOrder:
    perms.require(actor, "sales.edit")
    order = load_order(session, actor, order_id, lock=True)
    docs.require_status(order, "draft", action="change")
    docs.check_version(session, order, expected_version)
    return order


def set_lines(session: Session, actor: Actor, order_id: int, lines: list[LineInput], *,
              expected_version: int | None = None) -> None:
    """Replace the draft's lines; ``expected_version``: the version the editor loaded."""
    order = _draft(session, actor, order_id, expected_version)
    rows = build_lines(session, order.customer_id, lines)
    session.execute(delete(SalesOrderLine).where(SalesOrderLine.order_id == order.id))
    session.add_all(SalesOrderLine(order_id=order.id, **r) for r in rows)
    docs.set_totals(order, rows)
    order.approved_discount = None  # new lines need a new approval
    order.approved_by = None
    drafts.touch(session, order)


def update_header(session: Session, actor: Actor, order_id: int, expected_version: int | None = None,
                  **values) -> None:
    order = _draft(session, actor, order_id, expected_version)
    for key, value in values.items():
        if key not in HEADER_FIELDS:
            raise ValidationError(_("Unknown order field: {field}").format(field=key), field=key)
        if key == "terms":
            value = payment_terms_of.parse_terms(value)
        setattr(order, key, docs.clean(value) if isinstance(value, str) else value)
    _check_reference(session, order.customer_id, order.external_ref, order.id)
    session.flush()


def delete_draft(session: Session, actor: Actor, order_id: int) -> None:
    order = _draft(session, actor, order_id)
    session.delete(order)
    session.flush()


def order_lines(session: Session, order_id: int) -> list[SalesOrderLine]:
    return list(session.scalars(select(SalesOrderLine).where(SalesOrderLine.order_id == order_id)
                                .order_by(SalesOrderLine.line_no)))


def confirm_order(session: Session, actor: Actor, order_id: int, *, at: datetime | None = None) -> str:
    """Confirm a draft, or send it to the approval queue when its discount is beyond the user's limit.

    Returns the new status: ``confirmed`` or ``pending_approval``."""
    order = _draft(session, actor, order_id)
    lines = order_lines(session, order.id)
    if not lines:
        raise ValidationError(_("The document has no lines."), field="lines")
    discount = max_discount(lines)
    approved = order.approved_discount if order.approved_discount is not None else ZERO
    if discount > discount_limit(actor.role) and discount > approved:
        order.status = "pending_approval"
        label = docs.label(order) + (f" ({order.external_ref})" if order.external_ref else "")
        approval_requests.request(
            session, actor, "order_discount", order.id, customer_id=order.customer_id, amount=order.gross_total,
            discount=discount, message={"order": label, "discount": discount, "limit": discount_limit(actor.role),
                                        "role": actor.role},
            route_owner_id=approval_requests.route_owner(session, order.customer_id, order.created_by or actor.id))
        session.flush()
        return order.status
    if credit.check_order(session, actor, order):  # over the credit limit: a manager decides (credit.py)
        return order.status
    finish_confirmation(session, actor, order, at)
    return order.status


def finish_confirmation(session: Session, actor: Actor, order: SalesOrder, at: datetime | None = None) -> str:
    """Number the order (called by ``confirm_order`` and by an approval)."""
    from crm_tui.services.common.numbering import take_number

    payment_terms_of.stamp_order(session, order)
    if order.quote_id:
        quote = session.get(Quote, order.quote_id)
        if quote is not None and quote.status == "confirmed":
            quote.status = "done"
    # Numbered last: the counter stays locked from here to the commit.
    docs.mark_confirmed(order, actor, take_number(session, "sales_order", on=docs.number_day(at)), at)
    session.flush()
    events.emit(session, actor, "order_confirmed", order_id=order.id)
    return order.number


def withdraw(session: Session, actor: Actor, order_id: int) -> None:
    """Take an order waiting for approval back to draft (to change it)."""
    perms.require(actor, "sales.edit")
    order = load_order(session, actor, order_id, lock=True)
    docs.require_status(order, "pending_approval", action="withdraw")
    for kind in ORDER_APPROVALS:
        approval_requests.close_pending(session, actor, kind, order.id, "withdrawn")
    order.status = "draft"
    session.flush()


def close_order(session: Session, actor: Actor, order_id: int) -> None:
    """End a confirmed order by hand: what has not shipped yet will not ship."""
    perms.require(actor, "sales.edit")
    order = load_order(session, actor, order_id, lock=True)
    docs.require_status(order, "confirmed", action="close")
    _open_notices_done(session, order.id)
    order.status = "done"
    order.done_reason = "closed"
    order.done_at = utcnow()
    session.flush()


def _open_notices_done(session: Session, order_id: int) -> None:
    """Notices of a closed order have nothing left to ship."""
    ids = session.scalars(select(DeliveryNoticeLine.notice_id).join(SalesOrderLine,
                                                                    SalesOrderLine.id == DeliveryNoticeLine.order_line_id)
                          .where(SalesOrderLine.order_id == order_id).distinct()).all()
    for notice in session.scalars(select(DeliveryNotice).where(DeliveryNotice.id.in_(ids),
                                                              DeliveryNotice.status == "confirmed")):
        notice.status = "done"


def cancel_order(session: Session, actor: Actor, order_id: int, reason: str | None = None) -> dict:
    """Cancel an order; what it started is undone (module doc). Returns what was cancelled and freed."""
    perms.require(actor, "sales.edit")
    order = load_order(session, actor, order_id, lock=True)
    docs.require_status(order, "draft", "pending_approval", "confirmed", "done", action="cancel")
    if order.status == "draft":
        raise StateError(_("{what} is a draft: delete it instead.").format(what=order_label(order).capitalize()))
    invoices = session.scalars(select(SalesInvoice.number).where(SalesInvoice.order_id == order.id,
                                                                 SalesInvoice.status == "confirmed")).all()
    if invoices:
        raise StateError(_("{what} has invoices ({numbers}); cancel them first.").format(
            what=order_label(order).capitalize(), numbers=", ".join(invoices)))
    outs = stock_outs_of(session, order.id)
    for out in outs:
        others = orders_of_stock_out(session, out.id) - {order.id}
        if others:
            raise StateError(_("Stock-out {number} also ships other orders; cancel it on its own first.").format(
                number=out.number))
    if order.status == "pending_approval":
        for kind in ORDER_APPROVALS:
            approval_requests.close_pending(session, actor, kind, order.id, "withdrawn")
    for out in outs:
        sales_stock_outs.cancel_stock_out(session, actor, out.id, reason or _("order {number} cancelled").format(
            number=order.number))
    for draft_id in draft_stock_outs_of(session, order.id):  # a draft of a cancelled order could never ship
        sales_stock_outs.delete_draft(session, actor, draft_id)
    notices = deliveries.cancel_notices_of_order(session, actor, order.id)
    freed = _free_applications(session, order.id)
    order = load_order(session, actor, order_id, lock=True)
    docs.mark_cancelled(order, actor, reason)
    session.flush()
    return {"stock_outs": [o.number for o in outs], "notices": notices, "freed": freed}


def stock_outs_of(session: Session, order_id: int) -> list[SalesStockOut]:
    ids = (select(SalesStockOutLine.stock_out_id)
           .join(SalesOrderLine, SalesOrderLine.id == SalesStockOutLine.order_line_id)
           .where(SalesOrderLine.order_id == order_id))
    return list(session.scalars(select(SalesStockOut).where(SalesStockOut.id.in_(ids),
                                                            SalesStockOut.status == "confirmed")
                                .order_by(SalesStockOut.id)))


def draft_stock_outs_of(session: Session, order_id: int) -> list[int]:
    ids = (select(SalesStockOutLine.stock_out_id)
           .join(SalesOrderLine, SalesOrderLine.id == SalesStockOutLine.order_line_id)
           .where(SalesOrderLine.order_id == order_id))
    return list(session.scalars(select(SalesStockOut.id).where(SalesStockOut.id.in_(ids),
                                                               SalesStockOut.status == "draft")))


def orders_of_stock_out(session: Session, stock_out_id: int) -> set[int]:
    return set(session.scalars(select(SalesOrderLine.order_id).join(
        SalesStockOutLine, SalesStockOutLine.order_line_id == SalesOrderLine.id)
        .where(SalesStockOutLine.stock_out_id == stock_out_id).distinct()))


def _free_applications(session: Session, order_id: int) -> Decimal:
    freed = ZERO
    for app in session.scalars(select(ReceiptApplication).where(ReceiptApplication.order_id == order_id)):
        freed += app.amount
        session.delete(app)
    session.flush()
    return freed


# --- reading ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Related:
    """A document hanging on an order, as the order's detail lists it."""

    kind: str  # delivery_notice | stock_out | receipt | invoice | tracking
    id: int
    number: str | None
    day: date
    status: str
    amount: Decimal | None
    text: str = ""


@dataclass(frozen=True)
class OrderView:
    id: int
    number: str | None
    status: str
    customer_id: int
    customer_code: str
    customer_name: str
    external_ref: str | None
    quote_number: str | None
    contact_name: str | None
    contact_phone: str | None
    owner_id: int | None
    owner_name: str | None
    order_date: date
    delivery_date: date | None
    delivery_address: str | None
    payment_terms: str | None
    remarks: str | None
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    max_discount: Decimal
    approved_discount: Decimal | None
    done_reason: str | None
    version: int
    progress: Progress
    lines: list[LineView] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    rejection: str | None = None  # why a draft came back from approval, in the reader's language


def find_order(session: Session, actor: Actor, key: str | int, *, shipping: bool = False) -> int:
    """An order's id from its number, its external reference (订单号) or its id."""
    order_id = docs.find_id(session, SalesOrder, key, extra=SalesOrder.external_ref)
    load_order(session, actor, order_id, shipping=shipping)
    return order_id


def get_order(session: Session, actor: Actor, order_id: int) -> OrderView:
    o = load_order(session, actor, order_id)
    customer = session.get(Customer, o.customer_id)
    owner = session.get(User, o.owner_id) if o.owner_id else None
    quote = session.get(Quote, o.quote_id) if o.quote_id else None
    lines = line_views(session, SalesOrderLine, SalesOrderLine.order_id, o.id)
    return OrderView(o.id, o.number, o.status, o.customer_id, customer.code, customer.name, o.external_ref,
                     docs.label(quote) if quote else None, o.contact_name, o.contact_phone, o.owner_id,
                     owner.display_name if owner else None, o.order_date, o.delivery_date, o.delivery_address,
                     o.payment_terms, o.remarks, o.net_total, o.tax_total, o.gross_total,
                     max_discount(order_lines(session, o.id)), o.approved_discount, o.done_reason, o.version,
                     progress_of(session, [o.id])[o.id], lines, related_documents(session, o.id),
                     _rejection(session, o) if o.status == "draft" else None)


def _rejection(session: Session, order: SalesOrder) -> str | None:
    """The last rejection of the order's discount, made into a sentence when it is read (the comment is the
    approver's own words; the sentence around it is in the reader's language)."""
    last = session.execute(select(Approval.status, Approval.comment, User.display_name, Approval.kind)
                           .outerjoin(User, User.id == Approval.decided_by)
                           .where(Approval.kind.in_(ORDER_APPROVALS), Approval.doc_id == order.id)
                           .order_by(Approval.id.desc()).limit(1)).first()
    if last is None or last.status != "rejected":
        return None
    if last.kind == "order_credit":
        return _("Credit rejected by {who}: {comment}").format(who=last.display_name or "",
                                                              comment=last.comment or "")
    return _("Discount rejected by {who}: {comment}").format(who=last.display_name or "", comment=last.comment or "")


def related_documents(session: Session, order_id: int) -> list[Related]:
    """The order's delivery notices, stock-outs (with tracking numbers), receipts and invoices."""
    line_ids = select(SalesOrderLine.id).where(SalesOrderLine.order_id == order_id)
    out: list[Related] = []
    for n in session.scalars(select(DeliveryNotice).where(DeliveryNotice.id.in_(
            select(DeliveryNoticeLine.notice_id).where(DeliveryNoticeLine.order_line_id.in_(line_ids))))
            .order_by(DeliveryNotice.id)):
        out.append(Related("delivery_notice", n.id, n.number, n.notice_date, n.status, None))
    out_ids = []
    for s in session.scalars(select(SalesStockOut).where(SalesStockOut.id.in_(
            select(SalesStockOutLine.stock_out_id).where(SalesStockOutLine.order_line_id.in_(line_ids))))
            .order_by(SalesStockOut.id)):
        out_ids.append(s.id)
        mine = session.scalar(select(func.sum(SalesStockOutLine.gross_amount)).where(
            SalesStockOutLine.stock_out_id == s.id, SalesStockOutLine.order_line_id.in_(line_ids)))
        out.append(Related("stock_out", s.id, s.number, s.out_date, s.status, mine))
    for t in session.scalars(select(TrackingNumber).where(
            (TrackingNumber.order_id == order_id) | TrackingNumber.stock_out_id.in_(out_ids or [-1]))
            .order_by(TrackingNumber.id)):
        out.append(Related("tracking", t.id, t.number, t.shipped_on, "confirmed", None, t.courier))
    for r, applied in session.execute(select(Receipt, ReceiptApplication.amount)
                                      .join(ReceiptApplication, ReceiptApplication.receipt_id == Receipt.id)
                                      .where(ReceiptApplication.order_id == order_id).order_by(Receipt.id)):
        out.append(Related("receipt", r.id, r.number, r.received_on, r.status, applied,
                           "" if r.currency == "CNY" else f"{r.currency} {r.amount}"))
    for i in session.scalars(select(SalesInvoice).where(SalesInvoice.order_id == order_id).order_by(SalesInvoice.id)):
        out.append(Related("invoice", i.id, i.number, i.invoice_date, i.status, i.gross_amount, i.invoice_no))
    return out


@dataclass(frozen=True)
class OrderRow:
    id: int
    number: str | None
    external_ref: str | None
    status: str
    order_date: date
    delivery_date: date | None
    customer_id: int
    customer_code: str
    customer_name: str
    owner_name: str | None
    gross_total: Decimal
    shipped: Decimal = ZERO
    invoiced: Decimal = ZERO
    paid: Decimal = ZERO

    def as_json(self) -> dict:
        return {"number": self.number, "id": self.id, "reference": self.external_ref, "status": self.status,
                "order_date": self.order_date.isoformat(), "customer_code": self.customer_code,
                "customer_name": self.customer_name, "salesperson": self.owner_name,
                "gross_total": f"{self.gross_total:.2f}", "shipped": f"{self.shipped:.2f}",
                "invoiced": f"{self.invoiced:.2f}", "paid": f"{self.paid:.2f}"}


def list_orders(session: Session, actor: Actor, *, status: str | None = None, customer_id: int | None = None,
                text: str = "", date_from: date | None = None, date_to: date | None = None,
                owner_id: int | None = None, limit: int = 200, offset: int = 0) -> list[OrderRow]:
    stmt = (select(SalesOrder.id, SalesOrder.number, SalesOrder.external_ref, SalesOrder.status,
                   SalesOrder.order_date, SalesOrder.delivery_date, SalesOrder.customer_id, Customer.code,
                   Customer.name, User.display_name, SalesOrder.gross_total)
            .join(Customer, Customer.id == SalesOrder.customer_id).outerjoin(User, User.id == SalesOrder.owner_id)
            .where(perms.visible_clause(session, actor, SalesOrder.customer_id))
            .order_by(SalesOrder.order_date.desc(), SalesOrder.id.desc()).limit(limit).offset(offset))
    stmt = lf.equal_to(stmt, (SalesOrder.status, status), (SalesOrder.customer_id, customer_id),
                       (SalesOrder.owner_id, owner_id))
    stmt = lf.between(stmt, SalesOrder.order_date, date_from, date_to)
    pattern = lf.contains_pattern(text)
    if pattern is not None:  # also by a tracking number of the order or its stock-outs (快递单号)
        stmt = stmt.where(or_(lf.matching(pattern, SalesOrder.number, SalesOrder.external_ref, Customer.name,
                                          Customer.code), couriers.tracked_clause(SalesOrder.id, text)))
    rows = session.execute(stmt).all()
    prog = progress_of(session, [r[0] for r in rows])
    out = []
    for r in rows:
        p = prog.get(r[0])
        out.append(OrderRow(*r, *((p.shipped, p.invoiced, p.paid) if p else (ZERO, ZERO, ZERO))))
    return out


def ordered_amounts(session: Session, start: date, end: date):
    """(customer id, tax-inclusive amount) of the orders that count, dated in [start, end]: what the customer
    ranking (customers area, 按销售额排名) sums when there are sales in the period."""
    return select(SalesOrder.customer_id, SalesOrder.gross_total).where(
        SalesOrder.status.in_(OPEN), SalesOrder.order_date.between(start, end))
