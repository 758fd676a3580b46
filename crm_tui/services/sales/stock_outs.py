"""Sales stock-outs (销售出库单) and tracking numbers (快递单号).

A stock-out ships lines of one customer's confirmed orders — several orders in one stock-out, and an order
over several stock-outs — from one or more warehouses, optionally against delivery notice lines. Confirming it,
in one transaction: the orders are locked (id order), each line is checked against what is unshipped (and what
its notice line still holds), the moves are posted through the stock ledger (``doc_type = "sales_out"``;
negative stock is refused there), each line gets its share of its order line's amounts (the last shipment
takes the rest, so the shares add up to the order line exactly) and its cost from the posted moves, and the
shipped quantities of order and notice lines are updated; an order or notice with nothing left becomes done.
Cancelling posts the exact reversal of the moves and undoes the rest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, StateError, ValidationError
from crm_tui.core.money import plain as _plain
from crm_tui.core.money import round_money, round_quantity
from crm_tui.db.base import utcnow
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.products import Product
from crm_tui.db.models.sales import (
    DeliveryNotice,
    DeliveryNoticeLine,
    SalesOrder,
    SalesOrderLine,
    SalesStockOut,
    SalesStockOutLine,
    TrackingNumber,
)
from crm_tui.db.models.stock import Warehouse
from crm_tui.i18n import _
from crm_tui.services.common import events
from crm_tui.services.common import list_filters as lf
from crm_tui.services.sales import documents as docs
from crm_tui.services.sales import permissions as perms
from crm_tui.services.sales.deliveries import (
    check_payment,
    load_notice,
    lock_orders,
    notice_line_left,
    order_line_left,
    reserved,
)
from crm_tui.services.sales.order_state import load_order
from crm_tui.services.sales.pricing import parse_quantity
from crm_tui.services.stock import ledger as stock_ledger
from crm_tui.services.stock.ledger import MoveSpec
from crm_tui.services.stock.units import base_quantity, base_sql, factor_of, in_unit, resolve_unit, split_unit

ZERO = Decimal(0)
DOC_TYPE = "sales_out"  # the stock ledger's document type of a sales stock-out


@dataclass(frozen=True)
class OutLineInput:
    order_line_id: int
    quantity: object
    notice_line_id: int | None = None
    warehouse_id: int | None = None  # default: the stock-out's warehouse
    remarks: str | None = None
    unit: str | None = None  # default: the order line's unit


def _what(out: SalesStockOut) -> str:
    return _("stock-out {number}").format(number=docs.label(out))


def load_stock_out(session: Session, actor: Actor, out_id: int, *, lock: bool = False) -> SalesStockOut:
    out = docs.load(session, SalesStockOut, out_id, lock=lock)
    perms.require_customer(session, actor, out.customer_id, _what(out), shipping=True)
    return out


def _rows(session: Session, customer_id: int, lines: list[OutLineInput], warehouse_id: int) -> list[dict]:
    if not lines:
        raise ValidationError(_("The document has no lines."), field="lines")
    found = {ln.id: (ln, order) for ln, order in session.execute(
        select(SalesOrderLine, SalesOrder).join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
        .where(SalesOrderLine.id.in_({ln.order_line_id for ln in lines})))}
    notice_lines = _notice_lines(session, {ln.notice_line_id for ln in lines if ln.notice_line_id})
    rows = []
    for n, ln in enumerate(lines, start=1):
        if ln.order_line_id not in found:
            raise NotFound(_("Line {n}: no such order line: {id}").format(n=n, id=ln.order_line_id))
        order_line, order = found[ln.order_line_id]
        where = _("Line {n}").format(n=n)
        if order.customer_id != customer_id:
            raise ValidationError(_("{what}: order {number} is another customer's.").format(
                what=where, number=docs.label(order)), field="order")
        if ln.notice_line_id and notice_lines.get(ln.notice_line_id) is None:
            raise NotFound(_("{what}: no such delivery notice line: {id}").format(what=where, id=ln.notice_line_id))
        if ln.notice_line_id and notice_lines[ln.notice_line_id].order_line_id != order_line.id:
            raise ValidationError(_("{what}: the notice line is for another order line.").format(what=where),
                                  field="notice")
        qty = parse_quantity(ln.quantity, where)
        unit, factor = _unit_of(session, order_line, ln.unit)
        base_quantity(qty, factor, where)
        rows.append({"line_no": n, "order_line_id": order_line.id, "notice_line_id": ln.notice_line_id,
                     "product_id": order_line.product_id, "warehouse_id": ln.warehouse_id or warehouse_id,
                     "quantity": qty, "unit": unit, "unit_factor": factor, "remarks": docs.clean(ln.remarks, 300)})
    return rows


def _notice_lines(session: Session, ids: set[int]) -> dict[int, DeliveryNoticeLine]:
    """The delivery notice lines by id; most stock-outs have none, and then no query is sent."""
    if not ids:
        return {}
    return {nl.id: nl for nl in session.scalars(select(DeliveryNoticeLine).where(DeliveryNoticeLine.id.in_(ids)))}


def _unit_of(session: Session, order_line: SalesOrderLine, unit: str | None) -> tuple[str | None, Decimal]:
    """(unit, factor) of a stock-out line: the order line's, or another unit of the product."""
    if not (unit or "").strip() or unit.strip() == order_line.unit:
        return order_line.unit, factor_of(order_line)
    return resolve_unit(session, session.get(Product, order_line.product_id), unit)


def _left_input(session: Session, line, base_left: Decimal) -> tuple[Decimal, str | None]:
    """What is left of a line as (quantity, unit): in the line's unit when it divides, else in the base unit."""
    qty = base_left / factor_of(line)
    if qty == round_quantity(qty):
        return round_quantity(qty), line.unit
    return base_left, session.scalar(select(Product.unit).where(Product.id == _product_id(session, line)))


def _product_id(session: Session, line) -> int:
    if isinstance(line, SalesOrderLine):
        return line.product_id
    return session.scalar(select(SalesOrderLine.product_id).where(SalesOrderLine.id == line.order_line_id))


def create_stock_out(session: Session, actor: Actor, customer_id: int, warehouse_id: int, lines: list[OutLineInput],
                     *, out_date: date | None = None, address: str | None = None, contact_name: str | None = None,
                     contact_phone: str | None = None, remarks: str | None = None) -> int:
    from crm_tui.services.stock.warehouses import require_active

    perms.require(actor, "sales.ship")
    customer = perms.require_customer_record(session, actor, customer_id, shipping=True)
    require_active(session, warehouse_id)
    rows = _rows(session, customer_id, lines, warehouse_id)
    out = SalesStockOut(customer_id=customer_id, warehouse_id=warehouse_id, status="draft",
                        out_date=out_date or clock.today(), address=docs.clean(address, 300) or customer.address,
                        contact_name=docs.clean(contact_name, 64), contact_phone=docs.clean(contact_phone, 32),
                        remarks=docs.clean(remarks), created_by=actor.id)
    session.add(out)
    session.flush()
    session.add_all(SalesStockOutLine(stock_out_id=out.id, **r) for r in rows)
    session.flush()
    return out.id


def from_notice(session: Session, actor: Actor, notice_id: int, warehouse_id: int | None = None, **header) -> int:
    """A draft stock-out for everything the notice still holds."""

    notice = load_notice(session, actor, notice_id)
    docs.require_status(notice, "confirmed", action="ship")
    warehouse_id = warehouse_id or notice.warehouse_id
    if warehouse_id is None:
        raise ValidationError(_("Choose the warehouse the goods leave from."), field="warehouse")
    lines = [OutLineInput(nl.order_line_id, qty, notice_line_id=nl.id, unit=unit)
             for nl in session.scalars(select(DeliveryNoticeLine).where(DeliveryNoticeLine.notice_id == notice.id)
                                       .order_by(DeliveryNoticeLine.line_no))
             if notice_line_left(nl) > 0
             for qty, unit in [_left_input(session, nl, notice_line_left(nl))]]
    if not lines:
        raise ValidationError(_("Everything on notice {number} has shipped.").format(number=notice.number),
                              field="lines")
    for key, value in (("address", notice.address), ("contact_name", notice.contact_name),
                       ("contact_phone", notice.contact_phone)):
        header.setdefault(key, value)
    return create_stock_out(session, actor, notice.customer_id, warehouse_id, lines, **header)


def from_orders(session: Session, actor: Actor, order_ids: list[int], warehouse_id: int, **header) -> int:
    """A draft stock-out of everything still unshipped (and not held by notices) on one customer's orders."""
    orders = [load_order(session, actor, oid, shipping=True) for oid in order_ids]
    if not orders:
        raise ValidationError(_("Choose at least one order."), field="orders")
    if len({o.customer_id for o in orders}) > 1:
        raise ValidationError(_("One stock-out ships the orders of one customer."), field="orders")
    for o in orders:
        docs.require_status(o, "confirmed", action="ship")
    order_lines = list(session.scalars(select(SalesOrderLine).where(SalesOrderLine.order_id.in_(order_ids))
                                       .order_by(SalesOrderLine.order_id, SalesOrderLine.line_no)))
    held = reserved(session, [ln.id for ln in order_lines])
    lines = [OutLineInput(ln.id, qty, unit=unit) for ln in order_lines
             if (free := order_line_left(ln) - held.get(ln.id, ZERO)) > 0
             for qty, unit in [_left_input(session, ln, free)]]
    if not lines:
        raise ValidationError(_("Nothing of these orders is left to ship (or it is held by delivery notices)."),
                              field="lines")
    if len(orders) == 1:
        header.setdefault("address", orders[0].delivery_address)
        header.setdefault("contact_name", orders[0].contact_name)
        header.setdefault("contact_phone", orders[0].contact_phone)
    return create_stock_out(session, actor, orders[0].customer_id, warehouse_id, lines, **header)


@dataclass(frozen=True)
class ShipLine:
    """An order line the stock-out dialog offers: what may ship now, and what the draft being edited holds."""

    order_line_id: int
    notice_line_id: int | None
    line_no: int
    product_code: str
    product_name: str
    unit: str | None
    left: Decimal  # unshipped and not held by other notices (or: what the notice still holds), in the line's unit
    quantity: Decimal  # the default: the draft's quantity, else all that is left
    unit_factor: Decimal = Decimal(1)


def shippable(session: Session, actor: Actor, order_id: int, *, notice_id: int | None = None,
              draft_id: int | None = None) -> list[ShipLine]:
    """The lines of an order (or of its open delivery notice) that may still ship, with the draft's quantities."""
    order = load_order(session, actor, order_id, shipping=True)
    in_draft: dict[int, Decimal] = {}
    if draft_id is not None:
        for ln in _out_lines(session, load_stock_out(session, actor, draft_id).id):
            in_draft[ln.order_line_id] = in_draft.get(ln.order_line_id, ZERO) + ln.quantity * factor_of(ln)
    rows = session.execute(select(SalesOrderLine, Product.code, Product.name, Product.unit)
                           .join(Product, Product.id == SalesOrderLine.product_id)
                           .where(SalesOrderLine.order_id == order.id).order_by(SalesOrderLine.line_no)).all()
    notice = {}
    if notice_id is not None:
        notice = {nl.order_line_id: nl for nl in session.scalars(
            select(DeliveryNoticeLine).where(DeliveryNoticeLine.notice_id == load_notice(session, actor, notice_id).id))}
    held = reserved(session, [ln.id for ln, *_rest in rows])
    out = []
    for ln, code, name, unit in rows:
        nl = notice.get(ln.id)
        if notice_id is not None and nl is None:
            continue
        left = notice_line_left(nl) if nl is not None else order_line_left(ln) - held.get(ln.id, ZERO)
        if left > 0:
            default = in_draft.get(ln.id, ZERO if draft_id is not None else left)
            f = factor_of(ln)
            out.append(ShipLine(ln.id, nl.id if nl is not None else None, ln.line_no, code, name, ln.unit or unit,
                                in_unit(left, f), in_unit(default, f), f))
    return out


def pick_lines(offered: list[ShipLine], quantities: dict[int, object]) -> list[OutLineInput]:
    """The stock-out lines of the quantities typed per order line id (missing: all that is left; 0: skipped).
    More than is left is refused naming the line; nothing at all is refused too."""
    lines = []
    for sl in offered:
        raw, unit = split_unit(quantities.get(sl.order_line_id, sl.left))
        if _blank_or_zero(raw):
            continue
        where = _("Line {n} ({code})").format(n=sl.line_no, code=f"{sl.product_code} {sl.product_name}")
        qty = parse_quantity(raw, where)
        if unit and unit != sl.unit:  # typed in another unit ("18瓶"): confirming checks what is left in base units
            lines.append(OutLineInput(sl.order_line_id, qty, notice_line_id=sl.notice_line_id, unit=unit))
            continue
        base_quantity(qty, sl.unit_factor, where)
        if qty > sl.left:
            raise ValidationError(_("{what}: {qty} to ship but only {left} is left to ship.").format(
                what=where, qty=_plain(qty), left=_plain(sl.left)), field="quantity")
        lines.append(OutLineInput(sl.order_line_id, qty, notice_line_id=sl.notice_line_id))
    if not lines:
        raise ValidationError(_("Give at least one line a quantity to ship."), field="lines")
    return lines


def _draft(session: Session, actor: Actor, out_id: int) -> SalesStockOut:
    perms.require(actor, "sales.ship")
    out = load_stock_out(session, actor, out_id, lock=True)
    docs.require_status(out, "draft", action="change")
    return out


def set_lines(session: Session, actor: Actor, out_id: int, lines: list[OutLineInput]) -> None:
    out = _draft(session, actor, out_id)
    rows = _rows(session, out.customer_id, lines, out.warehouse_id)
    session.execute(delete(SalesStockOutLine).where(SalesStockOutLine.stock_out_id == out.id))
    session.add_all(SalesStockOutLine(stock_out_id=out.id, **r) for r in rows)
    session.flush()


def update_draft(session: Session, actor: Actor, out_id: int, warehouse_id: int, lines: list[OutLineInput]) -> None:
    """Change a draft's warehouse and lines (what the stock-out dialog saves again)."""
    from crm_tui.services.stock.warehouses import require_active

    out = _draft(session, actor, out_id)
    if out.warehouse_id != warehouse_id:
        require_active(session, warehouse_id)
        out.warehouse_id = warehouse_id
    set_lines(session, actor, out_id, lines)


def delete_draft(session: Session, actor: Actor, out_id: int) -> None:
    clear_tracking(session, actor, out_id)  # its tracking number goes with it
    session.delete(_draft(session, actor, out_id))
    session.flush()


def _out_lines(session: Session, out_id: int) -> list[SalesStockOutLine]:
    return list(session.scalars(select(SalesStockOutLine).where(SalesStockOutLine.stock_out_id == out_id)
                                .order_by(SalesStockOutLine.line_no)))


def confirm_stock_out(session: Session, actor: Actor, out_id: int, *, at: datetime | None = None,
                      tracking: list[tuple[str, str]] | None = None) -> str:
    """Ship: check, post the moves, share the amounts, update what shipped (module doc). Returns the number.

    ``tracking``: (courier, tracking number) pairs recorded with the stock-out in the same transaction."""
    from crm_tui.services.common.numbering import take_number

    out = _draft(session, actor, out_id)
    lines = _out_lines(session, out.id)
    if not lines:
        raise ValidationError(_("The document has no lines."), field="lines")
    order_lines, orders = _locked_orders(session, lines)
    for o in orders.values():
        if o.status != "confirmed":
            raise ValidationError(_("Order {number} is {status}; it cannot ship.").format(
                number=docs.label(o), status=_(o.status)), field="order")
    notice_lines = _check_quantities(session, lines, order_lines)
    shares = _shares(session, lines, order_lines)
    check_payment(session, _value_by_order(lines, order_lines, shares))
    tracked = list(session.scalars(select(TrackingNumber.id).where(TrackingNumber.stock_out_id == out.id)))
    for ln in lines:
        order_lines[ln.order_line_id].shipped_quantity += _base(ln)
        if ln.notice_line_id:
            notice_lines[ln.notice_line_id].shipped_quantity += _base(ln)
    _mark_done(session, set(orders), {nl.notice_id for nl in notice_lines.values()}, at)
    # Shared locks are taken late and held briefly: the stock balances from here, the stock-out counter
    # (every shipper queues on it) only for the last few statements; the moves get the number then.
    posted = stock_ledger.post(session, DOC_TYPE, out.id, None,
                               [MoveSpec(ln.warehouse_id, ln.product_id, -_base(ln), line_id=ln.id) for ln in lines],
                               moved_at=at)
    cost = defaultdict(lambda: ZERO)
    for m in posted:
        if m.line_id is not None:
            cost[m.line_id] -= m.amount
    for ln in lines:
        ln.net_amount, ln.tax_amount, ln.gross_amount = shares[ln.id]
        ln.cost_amount = cost[ln.id]
    number = take_number(session, "stock_out", on=docs.number_day(at))
    stock_ledger.set_number(session, DOC_TYPE, out.id, number)
    docs.set_totals(out, lines)
    out.cost_total = sum((ln.cost_amount for ln in lines), ZERO)
    docs.mark_confirmed(out, actor, number, at)
    session.flush()
    for row_id in tracked:
        events.emit(session, actor, "shipment_confirmed", tracking_id=row_id)  # entered while a draft
    for courier, tracking_no in tracking or ():
        add_tracking(session, actor, courier, tracking_no, stock_out_id=out.id, shipped_on=out.out_date)
    session.flush()
    return number


def _locked_orders(session: Session, lines: list[SalesStockOutLine]) -> tuple[dict[int, SalesOrderLine],
                                                                              dict[int, SalesOrder]]:
    """The order lines the stock-out ships and their orders, locked (id order) and read as of the lock."""
    line_ids = {ln.order_line_id for ln in lines}
    order_ids = set(session.scalars(select(SalesOrderLine.order_id).where(SalesOrderLine.id.in_(line_ids))))
    lock_orders(session, order_ids)
    fresh = {"populate_existing": True}
    orders = {o.id: o for o in session.scalars(select(SalesOrder).where(SalesOrder.id.in_(order_ids))
                                               .execution_options(**fresh))}
    order_lines = {ln.id: ln for ln in session.scalars(select(SalesOrderLine).where(SalesOrderLine.id.in_(line_ids))
                                                       .execution_options(**fresh))}
    return order_lines, orders


def _check_quantities(session: Session, lines: list[SalesStockOutLine],
                      order_lines: dict[int, SalesOrderLine]) -> dict[int, DeliveryNoticeLine]:
    """Refuse shipping more than is unshipped, or more than a notice line still holds. Returns the notice lines."""
    notice_lines = _notice_lines(session, {ln.notice_line_id for ln in lines if ln.notice_line_id})
    notices = {n.id: n for n in session.scalars(select(DeliveryNotice).where(
        DeliveryNotice.id.in_({nl.notice_id for nl in notice_lines.values()})))} if notice_lines else {}
    # What open notices hold for other shipments: a stock-out without a notice may not take it.
    held = reserved(session, list(order_lines))
    wanted: dict[int, Decimal] = defaultdict(lambda: ZERO)
    unnoticed: dict[int, Decimal] = defaultdict(lambda: ZERO)
    by_notice: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for ln in lines:
        order_line = order_lines[ln.order_line_id]
        where = _LineLabel(session, ln)  # the product's code is read only when a message names the line
        f = factor_of(ln)  # quantities in messages: in the stock-out line's unit
        wanted[order_line.id] += _base(ln)
        left = order_line_left(order_line)
        if wanted[order_line.id] > left:
            raise ValidationError(_("{what}: {qty} to ship but only {left} of the order line is unshipped.").format(
                what=where, qty=_plain(in_unit(wanted[order_line.id], f)), left=_plain(max(in_unit(left, f), ZERO))),
                field="quantity")
        if ln.notice_line_id:
            nl = notice_lines[ln.notice_line_id]
            if notices[nl.notice_id].status != "confirmed":
                raise ValidationError(_("{what}: delivery notice {number} is {status}.").format(
                    what=where, number=docs.label(notices[nl.notice_id]), status=_(notices[nl.notice_id].status)),
                    field="notice")
            by_notice[nl.id] += _base(ln)
            if by_notice[nl.id] > notice_line_left(nl):
                raise ValidationError(_("{what}: {qty} to ship but the delivery notice holds only {left}.").format(
                    what=where, qty=_plain(in_unit(by_notice[nl.id], f)), left=_plain(in_unit(notice_line_left(nl), f))),
                    field="quantity")
        else:
            unnoticed[order_line.id] += _base(ln)
            free = left - held.get(order_line.id, ZERO)
            if unnoticed[order_line.id] > free:
                raise ValidationError(_("{what}: {qty} to ship but {held} of the line is held by delivery notices; "
                                        "ship it against them.").format(
                    what=where, qty=_plain(in_unit(unnoticed[order_line.id], f)),
                    held=_plain(in_unit(held.get(order_line.id, ZERO), f))),
                    field="quantity")
    return notice_lines


class _LineLabel:
    """"Line n (code)" of a stock-out line, formatted (and its product read) only if a message uses it."""

    def __init__(self, session: Session, line: SalesStockOutLine):
        self.session, self.line = session, line

    def __str__(self) -> str:
        code = self.session.scalar(select(Product.code).where(Product.id == self.line.product_id))
        return _("Line {n} ({code})").format(n=self.line.line_no, code=code)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _shares(session: Session, lines: list[SalesStockOutLine],
            order_lines: dict[int, SalesOrderLine]) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """(net, tax, gross) of each stock-out line: its share of the order line; the last shipment takes the rest."""
    before = {k: (n or ZERO, g or ZERO) for k, n, g in session.execute(
        select(SalesStockOutLine.order_line_id, func.sum(SalesStockOutLine.net_amount),
               func.sum(SalesStockOutLine.gross_amount))
        .join(SalesStockOut, SalesStockOut.id == SalesStockOutLine.stock_out_id)
        .where(SalesStockOutLine.order_line_id.in_(list(order_lines)), SalesStockOut.status == "confirmed")
        .group_by(SalesStockOutLine.order_line_id))}
    shipped = {k: ol.shipped_quantity for k, ol in order_lines.items()}
    taken = {k: before.get(k, (ZERO, ZERO)) for k in order_lines}
    out = {}
    for ln in lines:
        ol = order_lines[ln.order_line_id]
        shipped[ol.id] += _base(ln)
        net_before, gross_before = taken[ol.id]
        ordered = ol.quantity * factor_of(ol)
        if shipped[ol.id] == ordered:
            net, gross = ol.net_amount - net_before, ol.gross_amount - gross_before
        else:
            net = round_money(ol.net_amount * _base(ln) / ordered)
            gross = round_money(ol.gross_amount * _base(ln) / ordered)
        taken[ol.id] = (net_before + net, gross_before + gross)
        out[ln.id] = (net, gross - net, gross)
    return out


def _value_by_order(lines, order_lines, shares) -> dict[int, Decimal]:
    value: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for ln in lines:
        value[order_lines[ln.order_line_id].order_id] += shares[ln.id][2]
    return value


def _mark_done(session: Session, order_ids: set[int], notice_ids: set[int], at: datetime | None) -> None:
    """Orders and notices with nothing left to ship are done; ones that have something again are reopened."""
    for order in session.scalars(select(SalesOrder).where(SalesOrder.id.in_(order_ids))):
        left = session.scalar(select(func.count()).select_from(SalesOrderLine).where(
            SalesOrderLine.order_id == order.id,
            SalesOrderLine.shipped_quantity < base_sql(SalesOrderLine.quantity, SalesOrderLine.unit_factor)))
        if order.status == "confirmed" and not left:
            order.status, order.done_reason, order.done_at = "done", "shipped", at or utcnow()
        elif order.status == "done" and order.done_reason == "shipped" and left:
            order.status, order.done_reason, order.done_at = "confirmed", None, None
    notices = session.scalars(select(DeliveryNotice).where(DeliveryNotice.id.in_(notice_ids))) if notice_ids else ()
    for notice in notices:
        left = session.scalar(select(func.count()).select_from(DeliveryNoticeLine).where(
            DeliveryNoticeLine.notice_id == notice.id,
            DeliveryNoticeLine.shipped_quantity < base_sql(DeliveryNoticeLine.quantity, DeliveryNoticeLine.unit_factor)))
        if notice.status == "confirmed" and not left:
            notice.status = "done"
        elif notice.status == "done" and left:
            notice.status = "confirmed"
    session.flush()


def cancel_stock_out(session: Session, actor: Actor, out_id: int, reason: str | None = None) -> None:
    """Put the goods back (the exact reversal of the moves) and undo what the stock-out shipped."""
    perms.require(actor, "sales.ship")
    out = load_stock_out(session, actor, out_id, lock=True)
    docs.require_status(out, "confirmed", action="cancel")
    from crm_tui.services.sales.return_credits import confirmed_returns_of

    if returned := confirmed_returns_of(session, out.id):  # their goods came back already: cancel them first
        raise StateError(_("{what} has confirmed returns ({numbers}); cancel them first.").format(
            what=_what(out), numbers=", ".join(returned)))
    lines = _out_lines(session, out.id)
    order_lines = {ln.id: ln for ln in session.scalars(
        select(SalesOrderLine).where(SalesOrderLine.id.in_({ln.order_line_id for ln in lines})))}
    lock_orders(session, {ol.order_id for ol in order_lines.values()})
    stock_ledger.reverse_document(session, DOC_TYPE, out.id, out.number)
    notice_lines = {nl.id: nl for nl in session.scalars(select(DeliveryNoticeLine).where(
        DeliveryNoticeLine.id.in_({ln.notice_line_id for ln in lines if ln.notice_line_id})))}
    for ln in lines:
        session.refresh(order_lines[ln.order_line_id])
    for ln in lines:
        order_lines[ln.order_line_id].shipped_quantity -= _base(ln)
        if ln.notice_line_id:
            notice_lines[ln.notice_line_id].shipped_quantity -= _base(ln)
    docs.mark_cancelled(out, actor, reason)
    session.flush()
    _mark_done(session, {ol.order_id for ol in order_lines.values()},
               {nl.notice_id for nl in notice_lines.values()}, None)


def _base(line: SalesStockOutLine) -> Decimal:
    """The base units a stock-out line moves (exact: checked when the line was written)."""
    return round_quantity(line.quantity * factor_of(line))


def _blank_or_zero(raw: object) -> bool:
    text = "" if raw is None else str(raw).strip()
    try:
        return not text or Decimal(text) == 0
    except ArithmeticError:
        return False  # not a number: parse_quantity says so



def canonical_courier(session: Session, typed: str) -> str:
    from crm_tui.services.sales.couriers import canonical_name

    return canonical_name(session, typed)


# --- tracking numbers ------------------------------------------------------------------------------------


def add_tracking(session: Session, actor: Actor, courier: str, number: str, *, stock_out_id: int | None = None,
                 order_id: int | None = None, invoice_id: int | None = None, shipped_on: date | None = None,
                 remarks: str | None = None) -> int:
    """Record a courier's tracking number for a stock-out, an order or an invoice."""
    from crm_tui.db.models.sales import SalesInvoice

    courier, number = docs.clean(courier, 64), docs.clean(number, 64)
    if not courier or not number:
        raise ValidationError(_("Give the courier company and the tracking number."), field="tracking")
    courier = canonical_courier(session, courier)
    targets = [(SalesStockOut, stock_out_id), (SalesOrder, order_id), (SalesInvoice, invoice_id)]
    given = [(m, i) for m, i in targets if i is not None]
    if len(given) != 1:
        raise ValidationError(_("A tracking number belongs to one stock-out, order or invoice."), field="tracking")
    model, doc_id = given[0]
    doc = docs.load(session, model, doc_id)
    if model is SalesStockOut:
        perms.require(actor, "sales.ship")
    else:
        perms.require(actor, "sales.edit" if model is SalesOrder else "sales.money")
    perms.require_customer(session, actor, doc.customer_id, docs.label(doc), shipping=model is SalesStockOut)
    row = TrackingNumber(customer_id=doc.customer_id, stock_out_id=stock_out_id, order_id=order_id,
                         invoice_id=invoice_id, courier=courier, number=number, shipped_on=shipped_on or clock.today(),
                         remarks=docs.clean(remarks, 300), created_by=actor.id)
    session.add(row)
    session.flush()
    if doc.status != "draft":  # a draft stock-out's number is announced when it is confirmed
        events.emit(session, actor, "shipment_confirmed", tracking_id=row.id)
    return row.id


def set_tracking(session: Session, actor: Actor, out_id: int, courier: str, number: str) -> tuple[str, str] | None:
    """Record or correct a stock-out's courier and tracking number — also after it is confirmed (the courier's
    slip often comes later). The change is audited old → new; returns the old pair (None if there was none)."""
    out = load_stock_out(session, actor, out_id, lock=True)
    perms.require(actor, "sales.ship")
    if out.status == "cancelled":
        raise ValidationError(_("{what} is cancelled; its tracking number cannot change.").format(what=_what(out)),
                              field="tracking")
    row = session.scalars(select(TrackingNumber).where(TrackingNumber.stock_out_id == out.id)
                          .order_by(TrackingNumber.id).limit(1)).first()
    if row is None:
        add_tracking(session, actor, courier, number, stock_out_id=out.id, shipped_on=out.out_date)
        return None
    courier, number = docs.clean(courier, 64), docs.clean(number, 64)
    if not courier or not number:
        raise ValidationError(_("Give the courier company and the tracking number."), field="tracking")
    old = (row.courier, row.number)
    row.courier, row.number = canonical_courier(session, courier), number
    session.flush()
    return old


def clear_tracking(session: Session, actor: Actor, out_id: int) -> None:
    """A draft's tracking number taken back (the field was emptied before shipping)."""
    out = _draft(session, actor, out_id)
    for row in session.scalars(select(TrackingNumber).where(TrackingNumber.stock_out_id == out.id)):
        session.delete(row)
    session.flush()


@dataclass(frozen=True)
class TrackingRow:
    id: int
    courier: str
    number: str
    shipped_on: date
    customer_code: str
    customer_name: str
    document: str  # the stock-out, order or invoice number
    orders: tuple[str, ...]


def find_tracking(session: Session, actor: Actor, text: str = "", limit: int = 100) -> list[TrackingRow]:
    """Tracking numbers (searched by number, courier or customer), with what they carried."""
    from crm_tui.db.models.sales import SalesInvoice

    stmt = (select(TrackingNumber, Customer.code, Customer.name, SalesStockOut.number, SalesOrder.number,
                   SalesInvoice.number)
            .join(Customer, Customer.id == TrackingNumber.customer_id)
            .outerjoin(SalesStockOut, SalesStockOut.id == TrackingNumber.stock_out_id)
            .outerjoin(SalesOrder, SalesOrder.id == TrackingNumber.order_id)
            .outerjoin(SalesInvoice, SalesInvoice.id == TrackingNumber.invoice_id)
            .where(perms.visible_clause(session, actor, TrackingNumber.customer_id, shipping=True))
            .order_by(TrackingNumber.shipped_on.desc(), TrackingNumber.id.desc()).limit(limit))
    stmt = lf.search(stmt, text, TrackingNumber.number, TrackingNumber.courier, Customer.name, Customer.code)
    out = []
    for t, code, name, out_no, order_no, inv_no in session.execute(stmt):
        orders = (order_no,) if order_no else tuple(sorted(_order_numbers(session, t.stock_out_id))) \
            if t.stock_out_id else ()
        out.append(TrackingRow(t.id, t.courier, t.number, t.shipped_on, code, name,
                               out_no or order_no or inv_no or "", orders))
    return out


def _order_numbers(session: Session, out_id: int) -> set[str]:
    return {n for n in session.scalars(select(SalesOrder.number).join(SalesOrderLine, SalesOrderLine.order_id == SalesOrder.id)
                                       .join(SalesStockOutLine, SalesStockOutLine.order_line_id == SalesOrderLine.id)
                                       .where(SalesStockOutLine.stock_out_id == out_id)) if n}


# --- reading ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutLineView:
    id: int
    line_no: int
    order_line_id: int
    order_number: str | None
    order_reference: str | None
    notice_line_id: int | None
    product_id: int
    product_code: str
    product_name: str
    spec: str | None
    unit: str | None
    warehouse_code: str
    quantity: Decimal
    net_price: Decimal
    gross_price: Decimal
    tax_rate: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal
    cost_amount: Decimal
    remarks: str | None


@dataclass(frozen=True)
class StockOutView:
    id: int
    number: str | None
    status: str
    customer_id: int
    customer_code: str
    customer_name: str
    warehouse_code: str
    out_date: date
    address: str | None
    contact_name: str | None
    contact_phone: str | None
    remarks: str | None
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    cost_total: Decimal
    version: int
    lines: list[OutLineView] = field(default_factory=list)
    tracking: list[tuple[str, str]] = field(default_factory=list)
    warehouse_id: int | None = None

    @property
    def orders(self) -> list[str]:
        return sorted({ln.order_number for ln in self.lines if ln.order_number})


def get_stock_out(session: Session, actor: Actor, out_id: int) -> StockOutView:
    o = load_stock_out(session, actor, out_id)
    customer = session.get(Customer, o.customer_id)
    wh = session.get(Warehouse, o.warehouse_id)
    rows = session.execute(
        select(SalesStockOutLine, SalesOrder.number, SalesOrder.external_ref, SalesOrderLine.net_price,
               SalesOrderLine.gross_price, SalesOrderLine.tax_rate, Product.code, Product.name, Product.spec,
               Product.unit, Warehouse.code, SalesOrderLine.unit_factor)
        .join(SalesOrderLine, SalesOrderLine.id == SalesStockOutLine.order_line_id)
        .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
        .join(Product, Product.id == SalesStockOutLine.product_id)
        .join(Warehouse, Warehouse.id == SalesStockOutLine.warehouse_id)
        .where(SalesStockOutLine.stock_out_id == o.id).order_by(SalesStockOutLine.line_no)).all()
    lines = [OutLineView(ln.id, ln.line_no, ln.order_line_id, onum, oref, ln.notice_line_id, ln.product_id, code, name,
                         spec, ln.unit or unit, whc, ln.quantity, _price_in(np, ln, of), _price_in(gp, ln, of), rate,
                         ln.net_amount, ln.tax_amount, ln.gross_amount, ln.cost_amount, ln.remarks)
             for ln, onum, oref, np, gp, rate, code, name, spec, unit, whc, of in rows]
    tracking = [(c, n) for c, n in session.execute(select(TrackingNumber.courier, TrackingNumber.number)
                                                   .where(TrackingNumber.stock_out_id == o.id).order_by(TrackingNumber.id))]
    return StockOutView(o.id, o.number, o.status, o.customer_id, customer.code, customer.name, wh.code, o.out_date,
                        o.address, o.contact_name, o.contact_phone, o.remarks, o.net_total, o.tax_total, o.gross_total,
                        o.cost_total, o.version, lines, tracking, warehouse_id=o.warehouse_id)


def _price_in(price: Decimal, line: SalesStockOutLine, order_factor: Decimal) -> Decimal:
    """An order line's unit price as a price per the stock-out line's unit."""
    f = factor_of(line)
    return price if f == order_factor else round_money(price * f / (order_factor or 1), 4)


def find_stock_out(session: Session, actor: Actor, key: str | int) -> int:
    out_id = docs.find_id(session, SalesStockOut, key)
    load_stock_out(session, actor, out_id)
    return out_id


@dataclass(frozen=True)
class StockOutRow:
    id: int
    number: str | None
    status: str
    out_date: date
    customer_code: str
    customer_name: str
    warehouse_code: str
    gross_total: Decimal
    tracking: str


def list_stock_outs(session: Session, actor: Actor, *, status: str | None = None, customer_id: int | None = None,
                    date_from: date | None = None, date_to: date | None = None, text: str = "", limit: int = 200,
                    offset: int = 0) -> list[StockOutRow]:
    stmt = (select(SalesStockOut.id, SalesStockOut.number, SalesStockOut.status, SalesStockOut.out_date, Customer.code,
                   Customer.name, Warehouse.code, SalesStockOut.gross_total)
            .join(Customer, Customer.id == SalesStockOut.customer_id)
            .join(Warehouse, Warehouse.id == SalesStockOut.warehouse_id)
            .where(perms.visible_clause(session, actor, SalesStockOut.customer_id, shipping=True))
            .order_by(SalesStockOut.out_date.desc(), SalesStockOut.id.desc()).limit(limit).offset(offset))
    stmt = lf.equal_to(stmt, (SalesStockOut.status, status), (SalesStockOut.customer_id, customer_id))
    stmt = lf.between(stmt, SalesStockOut.out_date, date_from, date_to)
    if (pattern := lf.contains_pattern(text)) is not None:
        tracked = select(TrackingNumber.stock_out_id).where(lf.matching(pattern, TrackingNumber.number))
        stmt = stmt.where(lf.matching(pattern, SalesStockOut.number, Customer.name) | SalesStockOut.id.in_(tracked))
    rows = session.execute(stmt).all()
    numbers: dict[int, list[str]] = defaultdict(list)
    if rows:
        for sid, num in session.execute(select(TrackingNumber.stock_out_id, TrackingNumber.number)
                                        .where(TrackingNumber.stock_out_id.in_([r[0] for r in rows]))):
            numbers[sid].append(num)
    return [StockOutRow(*r, ", ".join(numbers.get(r[0], []))) for r in rows]


def numbers_of_day(session: Session, actor: Actor, day: date) -> list[str]:
    """The confirmed stock-outs of one day (the batch of delivery notes the warehouse prints)."""
    return list(session.scalars(
        select(SalesStockOut.number).where(SalesStockOut.status == "confirmed", SalesStockOut.out_date == day,
                                           perms.visible_clause(session, actor, SalesStockOut.customer_id,
                                                                shipping=True))
        .order_by(SalesStockOut.number)))
