"""Delivery notices (发货通知): which order lines may ship and how much; the warehouse works from them.

A confirmed notice reserves what it names: a line may not ask for more than the order line's unshipped
quantity less what other open notices still reserve. Stock-outs (``sales_stock_outs``) ship against the notice
lines; a notice is done when everything on it has shipped. With ``[sales] require_payment_before_delivery``
a notice (and a stock-out) may only send goods worth what the order has been paid.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, func, select, type_coerce
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, ValidationError
from crm_tui.core.money import plain as _plain
from crm_tui.core.money import round_money
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.products import Product
from crm_tui.db.models.sales import DeliveryNotice, DeliveryNoticeLine, SalesOrder, SalesOrderLine
from crm_tui.db.models.stock import Warehouse
from crm_tui.db.types import Quantity
from crm_tui.i18n import _
from crm_tui.services.common import drafts
from crm_tui.services.sales import documents as docs
from crm_tui.services.sales import permissions as perms
from crm_tui.services.sales.order_state import load_order, progress_of
from crm_tui.services.sales.pricing import parse_quantity, payment_before_delivery
from crm_tui.services.stock.units import base_quantity, base_sql, factor_of, in_unit

ZERO = Decimal(0)


@dataclass(frozen=True)
class NoticeLineInput:
    order_line_id: int
    quantity: object
    remarks: str | None = None


def _what(notice: DeliveryNotice) -> str:
    return _("delivery notice {number}").format(number=docs.label(notice))


def load_notice(session: Session, actor: Actor, notice_id: int, *, lock: bool = False) -> DeliveryNotice:
    notice = docs.load(session, DeliveryNotice, notice_id, lock=lock)
    perms.require_customer(session, actor, notice.customer_id, _what(notice), shipping=True)
    return notice


# --- what may still ship ------------------------------------------------------------------------------------


def reserved(session: Session, order_line_ids: list[int], *, except_notice: int | None = None) -> dict[int, Decimal]:
    """order line id -> base quantity open (confirmed) notices still hold for it."""
    if not order_line_ids:
        return {}
    left = _notice_left_sql()
    stmt = (select(DeliveryNoticeLine.order_line_id, type_coerce(func.sum(left), Quantity))
            .join(DeliveryNotice, DeliveryNotice.id == DeliveryNoticeLine.notice_id)
            .where(DeliveryNoticeLine.order_line_id.in_(order_line_ids), DeliveryNotice.status == "confirmed",
                   left > 0)
            .group_by(DeliveryNoticeLine.order_line_id))
    if except_notice is not None:
        stmt = stmt.where(DeliveryNotice.id != except_notice)
    return {k: v or ZERO for k, v in session.execute(stmt)}


def _notice_left_sql():
    """SQL: the base quantity a notice line still holds (its quantity is in its unit; shipped is in base units)."""
    return base_sql(DeliveryNoticeLine.quantity, DeliveryNoticeLine.unit_factor, DeliveryNoticeLine.shipped_quantity)


def order_line_left(line: SalesOrderLine) -> Decimal:
    """The base quantity of an order line not shipped yet."""
    return line.quantity * factor_of(line) - line.shipped_quantity


def notice_line_left(line: DeliveryNoticeLine) -> Decimal:
    """The base quantity a notice line still holds."""
    return line.quantity * factor_of(line) - line.shipped_quantity


def _order_lines(session: Session, ids: list[int]) -> dict[int, tuple[SalesOrderLine, SalesOrder, str]]:
    rows = session.execute(select(SalesOrderLine, SalesOrder, Product.code)
                           .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
                           .join(Product, Product.id == SalesOrderLine.product_id)
                           .where(SalesOrderLine.id.in_(ids))).all()
    return {ln.id: (ln, order, code) for ln, order, code in rows}


def check_payment(session: Session, extra_by_order: dict[int, Decimal]) -> None:
    """With payment before delivery: the value shipped (and to ship) of each order must be covered by its receipts."""
    if not payment_before_delivery() or not extra_by_order:
        return
    prog = progress_of(session, list(extra_by_order))
    for oid, extra in extra_by_order.items():
        p = prog[oid]
        if p.shipped + extra > p.paid:
            number = session.scalar(select(SalesOrder.number).where(SalesOrder.id == oid))
            raise ValidationError(_("Order {number} is paid {paid}; goods worth {value} cannot ship before payment "
                                    "(settings [sales] require_payment_before_delivery).").format(
                number=number, paid=f"{p.paid:,.2f}", value=f"{p.shipped + extra:,.2f}"), field="payment")


def line_value(line: SalesOrderLine, quantity: Decimal) -> Decimal:
    """The tax-inclusive value of ``quantity`` (in the line's unit) of an order line (its share of the line's amount)."""
    return line.gross_amount if quantity == line.quantity else round_money(line.gross_amount * quantity / line.quantity)


# --- writing ----------------------------------------------------------------------------------------------


def _rows(session: Session, customer_id: int, lines: list[NoticeLineInput]) -> list[dict]:
    if not lines:
        raise ValidationError(_("The document has no lines."), field="lines")
    found = _order_lines(session, [ln.order_line_id for ln in lines])
    rows = []
    for n, ln in enumerate(lines, start=1):
        if ln.order_line_id not in found:
            raise NotFound(_("Line {n}: no such order line: {id}").format(n=n, id=ln.order_line_id))
        order_line, order, code = found[ln.order_line_id]
        where = _("Line {n} ({code})").format(n=n, code=code)
        if order.customer_id != customer_id:
            raise ValidationError(_("{what}: order {number} is another customer's.").format(
                what=where, number=docs.label(order)), field="order")
        qty = parse_quantity(ln.quantity, where)
        base_quantity(qty, factor_of(order_line), where)
        rows.append({"line_no": n, "order_line_id": order_line.id, "quantity": qty, "unit": order_line.unit,
                     "unit_factor": factor_of(order_line), "remarks": docs.clean(ln.remarks, 300)})
    return rows


def create_notice(session: Session, actor: Actor, customer_id: int, lines: list[NoticeLineInput], *,
                  warehouse_id: int | None = None, notice_date: date | None = None, ship_by: date | None = None,
                  address: str | None = None, contact_name: str | None = None, contact_phone: str | None = None,
                  remarks: str | None = None) -> int:
    perms.require(actor, "sales.edit")
    customer = docs.active_customer(session, actor, customer_id)
    rows = _rows(session, customer.id, lines)
    notice = DeliveryNotice(customer_id=customer.id, status="draft", warehouse_id=warehouse_id,
                            notice_date=notice_date or clock.today(), ship_by=ship_by,
                            address=docs.clean(address, 300) or customer.address,
                            contact_name=docs.clean(contact_name, 64), contact_phone=docs.clean(contact_phone, 32),
                            remarks=docs.clean(remarks), created_by=actor.id)
    session.add(notice)
    session.flush()
    session.add_all(DeliveryNoticeLine(notice_id=notice.id, **r) for r in rows)
    session.flush()
    return notice.id


def notice_from_order(session: Session, actor: Actor, order_id: int, quantities: dict[int, object] | None = None,
                      **header) -> int:
    """A draft notice for what of the order may still ship (``quantities``: order line id -> quantity to send)."""
    order = load_order(session, actor, order_id)
    docs.require_status(order, "confirmed", action="deliver")
    lines = list(session.scalars(select(SalesOrderLine).where(SalesOrderLine.order_id == order.id)
                                 .order_by(SalesOrderLine.line_no)))
    held = reserved(session, [ln.id for ln in lines])
    inputs = []
    for ln in lines:
        free = in_unit(order_line_left(ln) - held.get(ln.id, ZERO), factor_of(ln))  # in the line's unit
        qty = free if quantities is None else quantities.get(ln.id)
        if qty is not None and (quantities is not None or free > 0):
            inputs.append(NoticeLineInput(ln.id, qty))
    if not inputs:
        raise ValidationError(_("Nothing of order {number} is left to deliver.").format(number=order.number),
                              field="lines")
    header.setdefault("address", order.delivery_address)
    header.setdefault("contact_name", order.contact_name)
    header.setdefault("contact_phone", order.contact_phone)
    header.setdefault("ship_by", order.delivery_date)
    return create_notice(session, actor, order.customer_id, inputs, **header)


def _draft(session: Session, actor: Actor, notice_id: int, expected_version: int | None = None) -> DeliveryNotice:
    perms.require(actor, "sales.edit")
    notice = load_notice(session, actor, notice_id, lock=True)
    docs.require_status(notice, "draft", action="change")
    docs.check_version(session, notice, expected_version)
    return notice


def set_lines(session: Session, actor: Actor, notice_id: int, lines: list[NoticeLineInput], *,
              expected_version: int | None = None) -> None:
    """Replace the draft's lines; ``expected_version``: the version the editor loaded."""
    notice = _draft(session, actor, notice_id, expected_version)
    rows = _rows(session, notice.customer_id, lines)
    session.execute(delete(DeliveryNoticeLine).where(DeliveryNoticeLine.notice_id == notice.id))
    session.add_all(DeliveryNoticeLine(notice_id=notice.id, **r) for r in rows)
    drafts.touch(session, notice)


def delete_draft(session: Session, actor: Actor, notice_id: int) -> None:
    session.delete(_draft(session, actor, notice_id))
    session.flush()


def confirm_notice(session: Session, actor: Actor, notice_id: int, *, at: datetime | None = None) -> str:
    """Check the quantities against what may still ship and number the notice."""
    from crm_tui.services.common.numbering import take_number

    notice = _draft(session, actor, notice_id)
    lines = list(session.scalars(select(DeliveryNoticeLine).where(DeliveryNoticeLine.notice_id == notice.id)
                                 .order_by(DeliveryNoticeLine.line_no)))
    if not lines:
        raise ValidationError(_("The document has no lines."), field="lines")
    found = _order_lines(session, [ln.order_line_id for ln in lines])
    lock_orders(session, {order.id for _l, order, _c in found.values()})
    held = reserved(session, list(found), except_notice=notice.id)
    asked: dict[int, Decimal] = defaultdict(lambda: ZERO)
    value: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for ln in lines:
        order_line, order, code = found[ln.order_line_id]
        where = _("Line {n} ({code})").format(n=ln.line_no, code=code)
        if order.status != "confirmed":
            raise ValidationError(_("{what}: order {number} is {status}.").format(
                what=where, number=docs.label(order), status=_(order.status)), field="order")
        asked[order_line.id] += base_quantity(ln.quantity, factor_of(ln), where)
        free = order_line_left(order_line) - held.get(order_line.id, ZERO)
        if asked[order_line.id] > free:
            raise ValidationError(_("{what}: {qty} asked but only {free} of order {number} may still ship.").format(
                what=where, qty=_plain(in_unit(asked[order_line.id], factor_of(ln))),
                free=_plain(max(in_unit(free, factor_of(ln)), ZERO)), number=order.number), field="quantity")
        value[order.id] += line_value(order_line, ln.quantity)
    check_payment(session, value)
    docs.mark_confirmed(notice, actor, take_number(session, "delivery_notice", on=docs.number_day(at)), at)
    session.flush()
    return notice.number


def cancel_notice(session: Session, actor: Actor, notice_id: int, reason: str | None = None) -> None:
    """Cancel a notice: what it held and has not shipped is free again (what shipped stays shipped)."""
    perms.require(actor, "sales.edit")
    notice = load_notice(session, actor, notice_id, lock=True)
    docs.require_status(notice, "confirmed", "done", action="cancel")
    docs.mark_cancelled(notice, actor, reason)
    session.flush()


def cancel_notices_of_order(session: Session, actor: Actor, order_id: int) -> list[str]:
    ids = (select(DeliveryNoticeLine.notice_id).join(SalesOrderLine, SalesOrderLine.id == DeliveryNoticeLine.order_line_id)
           .where(SalesOrderLine.order_id == order_id))
    numbers = []
    for notice in session.scalars(select(DeliveryNotice).where(DeliveryNotice.id.in_(ids),
                                                               DeliveryNotice.status.in_(("draft", "confirmed")))):
        if notice.status == "draft":
            session.delete(notice)
        else:
            docs.mark_cancelled(notice, actor, _("order cancelled"))
            numbers.append(notice.number)
    session.flush()
    return numbers


def lock_orders(session: Session, order_ids: set[int]) -> None:
    """Lock the orders whose lines are being shipped or reserved, in id order (no deadlocks between shippers)."""
    if order_ids:
        session.execute(select(SalesOrder.id).where(SalesOrder.id.in_(sorted(order_ids)))
                        .order_by(SalesOrder.id).with_for_update()).all()



# --- reading ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeLineView:
    id: int
    line_no: int
    order_line_id: int
    order_id: int
    order_number: str | None
    product_id: int
    product_code: str
    product_name: str
    spec: str | None
    unit: str | None
    quantity: Decimal
    shipped_quantity: Decimal  # in base units
    remarks: str | None
    unit_factor: Decimal = Decimal(1)

    @property
    def shipped(self) -> Decimal:
        return in_unit(self.shipped_quantity, self.unit_factor)

    @property
    def remaining(self) -> Decimal:
        return max(self.quantity - self.shipped, ZERO)


@dataclass(frozen=True)
class NoticeView:
    id: int
    number: str | None
    status: str
    customer_id: int
    customer_code: str
    customer_name: str
    warehouse_code: str | None
    notice_date: date
    ship_by: date | None
    address: str | None
    contact_name: str | None
    contact_phone: str | None
    remarks: str | None
    version: int
    lines: list[NoticeLineView] = field(default_factory=list)


def get_notice(session: Session, actor: Actor, notice_id: int) -> NoticeView:
    n = load_notice(session, actor, notice_id)
    customer = session.get(Customer, n.customer_id)
    wh = session.get(Warehouse, n.warehouse_id) if n.warehouse_id else None
    rows = session.execute(
        select(DeliveryNoticeLine, SalesOrder.id, SalesOrder.number, Product.id, Product.code, Product.name,
               Product.spec, Product.unit)
        .join(SalesOrderLine, SalesOrderLine.id == DeliveryNoticeLine.order_line_id)
        .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
        .join(Product, Product.id == SalesOrderLine.product_id)
        .where(DeliveryNoticeLine.notice_id == n.id).order_by(DeliveryNoticeLine.line_no)).all()
    lines = [NoticeLineView(ln.id, ln.line_no, ln.order_line_id, oid, onum, pid, code, name, spec, ln.unit or unit,
                            ln.quantity, ln.shipped_quantity, ln.remarks, factor_of(ln))
             for ln, oid, onum, pid, code, name, spec, unit in rows]
    return NoticeView(n.id, n.number, n.status, n.customer_id, customer.code, customer.name, wh.code if wh else None,
                      n.notice_date, n.ship_by, n.address, n.contact_name, n.contact_phone, n.remarks, n.version, lines)


@dataclass(frozen=True)
class NoticeRow:
    id: int
    number: str | None
    status: str
    notice_date: date
    ship_by: date | None
    customer_code: str
    customer_name: str
    lines: int
    quantity: Decimal
    shipped: Decimal


def list_notices(session: Session, actor: Actor, *, status: str | None = None, customer_id: int | None = None,
                 date_from: date | None = None, date_to: date | None = None, limit: int = 200,
                 offset: int = 0) -> list[NoticeRow]:
    sums = (select(DeliveryNoticeLine.notice_id, func.count().label("n"),
                   func.sum(base_sql(DeliveryNoticeLine.quantity, DeliveryNoticeLine.unit_factor)).label("q"),
                   func.sum(DeliveryNoticeLine.shipped_quantity).label("s"))
            .group_by(DeliveryNoticeLine.notice_id).subquery())
    stmt = (select(DeliveryNotice.id, DeliveryNotice.number, DeliveryNotice.status, DeliveryNotice.notice_date,
                   DeliveryNotice.ship_by, Customer.code, Customer.name, sums.c.n, sums.c.q, sums.c.s)
            .join(Customer, Customer.id == DeliveryNotice.customer_id)
            .outerjoin(sums, sums.c.notice_id == DeliveryNotice.id)
            .where(perms.visible_clause(session, actor, DeliveryNotice.customer_id, shipping=True))
            .order_by(DeliveryNotice.notice_date.desc(), DeliveryNotice.id.desc()).limit(limit).offset(offset))
    if status:
        stmt = stmt.where(DeliveryNotice.status == status)
    if customer_id:
        stmt = stmt.where(DeliveryNotice.customer_id == customer_id)
    if date_from:
        stmt = stmt.where(DeliveryNotice.notice_date >= date_from)
    if date_to:
        stmt = stmt.where(DeliveryNotice.notice_date <= date_to)
    return [NoticeRow(i, num, st, d, sb, code, name, n or 0, q or ZERO, s or ZERO)
            for i, num, st, d, sb, code, name, n, q, s in session.execute(stmt)]
