"""Purchase receipts (采购入库): goods of a confirmed order received into a warehouse, partially or whole.

Confirming a receipt locks the order (so two receipts of the same order queue), refuses more than is still
to receive, posts the stock moves at the order's net price, and adds to each order line's received quantity.
The receipt's money is a share of the order line's: the receipt that completes a line takes exactly what is
left of the line's amounts, so the receipts of a fully received order add up to the order to the fen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, StateError, ValidationError
from crm_tui.core.money import plain, round_money, round_quantity, to_decimal
from crm_tui.db.base import utcnow
from crm_tui.db.models.products import Product
from crm_tui.db.models.purchasing import PurchaseOrderLine, PurchaseReceipt, PurchaseReceiptLine
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.purchasing.orders import load_order
from crm_tui.services.stock import ledger as stock_ledger
from crm_tui.services.stock.ledger import MoveSpec
from crm_tui.services.stock.units import base_quantity, factor_of, resolve_unit

ZERO = Decimal(0)
DOC_TYPE = "purchase_receipt"


@dataclass(frozen=True)
class ReceiptLineView:
    id: int
    order_line_id: int
    product_id: int
    product_code: str
    product_name: str
    quantity: Decimal
    amount_net: Decimal
    tax: Decimal
    amount_gross: Decimal
    unit: str | None = None
    unit_factor: Decimal = Decimal(1)


@dataclass(frozen=True)
class ReceiptView:
    id: int
    number: str | None
    status: str
    order_id: int
    supplier_id: int
    warehouse_id: int
    doc_date: date
    amount_net: Decimal
    tax: Decimal
    amount_gross: Decimal
    lines: list[ReceiptLineView] = field(default_factory=list)


def _order_lines(session: Session, order_id: int, lock: bool = False) -> dict[int, PurchaseOrderLine]:
    stmt = (select(PurchaseOrderLine).where(PurchaseOrderLine.order_id == order_id)
            .execution_options(populate_existing=True))
    if lock:
        stmt = stmt.with_for_update()
    return {ln.id: ln for ln in session.scalars(stmt)}


def create_receipt(session: Session, actor: Actor, order_id: int, quantities: dict[int, object] | None = None, *,
                   warehouse_id: int | None = None, doc_date: date | None = None,
                   remarks: str | None = None, units: dict[int, str] | None = None) -> int:
    """A draft receipt. ``quantities``: order line id -> quantity; None receives everything still to come.
    ``units``: order line id -> the unit a quantity is in (default: the order line's)."""
    permissions.require(actor, "stock.manage")
    order = load_order(session, order_id)
    if order.status != "confirmed":
        raise StateError(_("Goods can only be received on a confirmed purchase order; {number} is {status}.")
                         .format(number=order.number or order.id, status=_(order.status)))
    warehouse_id = warehouse_id or order.warehouse_id
    if warehouse_id is None:
        raise ValidationError(_("Choose the warehouse the goods go into."), field="warehouse")
    from crm_tui.services.stock.warehouses import require_active

    require_active(session, warehouse_id)
    lines = _order_lines(session, order.id)
    units = dict(units or {})
    if quantities is None:
        quantities = {}
        for lid, ln in lines.items():
            if _left(ln) > 0:
                quantities[lid], units[lid] = _left_input(session, ln)
    rows = []
    for lid, value in quantities.items():
        ln = lines.get(lid)
        if ln is None:
            raise NotFound(_("Line {id} is not a line of this order.").format(id=lid))
        try:
            qty = round_quantity(to_decimal(value))
        except Exception:
            raise ValidationError(_("Not a quantity: {value}").format(value=value), field="quantity") from None
        if qty < 0:
            raise ValidationError(_("A received quantity cannot be negative."), field="quantity")
        if qty == 0:
            continue
        unit, factor = _unit_of(session, ln, units.get(lid))
        _check_remaining(session, ln, base_quantity(qty, factor))
        rows.append((ln, qty, unit, factor))
    if not rows:
        raise ValidationError(_("Nothing to receive: every quantity is zero."), field="quantity")
    receipt = PurchaseReceipt(order_id=order.id, supplier_id=order.supplier_id, warehouse_id=warehouse_id,
                              doc_date=doc_date or clock.today(), remarks=remarks, status="draft",
                              created_by=actor.id)
    session.add(receipt)
    session.flush()
    session.add_all(PurchaseReceiptLine(receipt_id=receipt.id, order_line_id=ln.id, product_id=ln.product_id,
                                        quantity=qty, unit=unit, unit_factor=factor) for ln, qty, unit, factor in rows)
    session.flush()
    return receipt.id


def _left(ln: PurchaseOrderLine) -> Decimal:
    """The base quantity of an order line still to receive."""
    return ln.quantity * factor_of(ln) - ln.received_quantity


def _left_input(session: Session, ln: PurchaseOrderLine) -> tuple[Decimal, str | None]:
    """What is left to receive as (quantity, unit): in the line's unit when it divides, else in the base unit."""
    qty = _left(ln) / factor_of(ln)
    if qty == round_quantity(qty):
        return round_quantity(qty), ln.unit
    return _left(ln), session.scalar(select(Product.unit).where(Product.id == ln.product_id))


def _unit_of(session: Session, ln: PurchaseOrderLine, unit: str | None) -> tuple[str | None, Decimal]:
    if not (unit or "").strip() or unit.strip() == ln.unit:
        return ln.unit, factor_of(ln)
    return resolve_unit(session, session.get(Product, ln.product_id), unit)


def _check_remaining(session: Session, ln: PurchaseOrderLine, qty: Decimal) -> None:
    """``qty``: base units."""
    remaining = _left(ln)
    if qty > remaining:
        code = session.scalar(select(Product.code).where(Product.id == ln.product_id))
        raise ValidationError(_("{code}: {qty} is more than the {remaining} still to receive.").format(
            code=code, qty=plain(qty), remaining=plain(remaining)), field="quantity")  # base units


def load_receipt(session: Session, receipt_id: int, lock: bool = False) -> PurchaseReceipt:
    stmt = select(PurchaseReceipt).where(PurchaseReceipt.id == receipt_id).execution_options(populate_existing=True)
    if lock:
        stmt = stmt.with_for_update()
    receipt = session.scalar(stmt)
    if receipt is None:
        raise NotFound(_("No such purchase receipt: {id}").format(id=receipt_id))
    return receipt


def _receipt_lines(session: Session, receipt_id: int) -> list[PurchaseReceiptLine]:
    return list(session.scalars(select(PurchaseReceiptLine).where(PurchaseReceiptLine.receipt_id == receipt_id)
                                .order_by(PurchaseReceiptLine.id)))


def _already_valued(session: Session, order_line_id: int) -> tuple[Decimal, Decimal, Decimal]:
    """Amounts of the confirmed receipts of an order line so far."""
    net, tax, gross = session.execute(
        select(func.sum(PurchaseReceiptLine.amount_net), func.sum(PurchaseReceiptLine.tax),
               func.sum(PurchaseReceiptLine.amount_gross))
        .join(PurchaseReceipt, PurchaseReceipt.id == PurchaseReceiptLine.receipt_id)
        .where(PurchaseReceiptLine.order_line_id == order_line_id, PurchaseReceipt.status == "confirmed")).one()
    return net or ZERO, tax or ZERO, gross or ZERO


def confirm_receipt(session: Session, actor: Actor, receipt_id: int, *, at: datetime | None = None) -> str:
    """Receive the goods: number, stock moves, received quantities; returns the receipt number.
    ``at`` (UTC) backdates it (demo data, migrations)."""
    permissions.require(actor, "stock.manage")
    receipt = load_receipt(session, receipt_id, lock=True)
    if receipt.status != "draft":
        raise StateError(_("Receipt {number} is already {status}.").format(number=receipt.number or receipt.id,
                                                                           status=_(receipt.status)))
    order = load_order(session, receipt.order_id, lock=True)
    if order.status != "confirmed":
        raise StateError(_("Goods can only be received on a confirmed purchase order; {number} is {status}.")
                         .format(number=order.number or order.id, status=_(order.status)))
    order_lines = _order_lines(session, order.id, lock=True)
    lines = _receipt_lines(session, receipt.id)
    from crm_tui.services.common.numbering import take_number

    now = at or utcnow()
    number = take_number(session, "purchase_receipt", on=at.date() if at else None)
    specs = []
    for rl in lines:
        ol = order_lines[rl.order_line_id]
        base = base_quantity(rl.quantity, factor_of(rl))
        _check_remaining(session, ol, base)
        if base == _left(ol):
            done_net, done_tax, done_gross = _already_valued(session, ol.id)
            rl.amount_net, rl.tax = ol.amount_net - done_net, ol.tax - done_tax
            rl.amount_gross = ol.amount_gross - done_gross
        else:
            share = base / (ol.quantity * factor_of(ol))
            rl.amount_net, rl.tax = round_money(ol.amount_net * share), round_money(ol.tax * share)
            rl.amount_gross = rl.amount_net + rl.tax
        ol.received_quantity += base
        # Stock is valued net of VAT (input tax is deductible): the line's net amount.
        specs.append(MoveSpec(receipt.warehouse_id, rl.product_id, base, amount=rl.amount_net,
                              line_id=rl.id))
    stock_ledger.post(session, DOC_TYPE, receipt.id, number, specs, moved_at=now)
    receipt.amount_net = sum((rl.amount_net for rl in lines), ZERO)
    receipt.tax = sum((rl.tax for rl in lines), ZERO)
    receipt.amount_gross = sum((rl.amount_gross for rl in lines), ZERO)
    receipt.number, receipt.status = number, "confirmed"
    receipt.confirmed_by, receipt.confirmed_at = actor.id, now
    if all(_left(ol) <= 0 for ol in order_lines.values()):
        order.status = "done"
    session.flush()
    return number


def cancel_receipt(session: Session, actor: Actor, receipt_id: int) -> None:
    """Reverse a confirmed receipt: the goods leave the warehouse again and are still to receive."""
    permissions.require(actor, "stock.manage")
    receipt = load_receipt(session, receipt_id, lock=True)
    if receipt.status != "confirmed":
        raise StateError(_("Only a confirmed receipt can be cancelled; {number} is {status}.").format(
            number=receipt.number or receipt.id, status=_(receipt.status)))
    _refuse_if_returned(session, receipt)
    order = load_order(session, receipt.order_id, lock=True)
    order_lines = _order_lines(session, order.id, lock=True)
    stock_ledger.reverse_document(session, DOC_TYPE, receipt.id, receipt.number)
    for rl in _receipt_lines(session, receipt.id):
        order_lines[rl.order_line_id].received_quantity -= base_quantity(rl.quantity, factor_of(rl))
    receipt.status = "cancelled"
    receipt.cancelled_by, receipt.cancelled_at = actor.id, utcnow()
    if order.status == "done" and order.closed_at is None:
        order.status = "confirmed"  # goods are expected again
    session.flush()


def _refuse_if_returned(session: Session, receipt: PurchaseReceipt) -> None:
    from crm_tui.db.models.purchase_returns import PurchaseReturn

    if session.scalar(select(PurchaseReturn.id).where(PurchaseReturn.receipt_id == receipt.id,
                                                      PurchaseReturn.status == "confirmed").limit(1)):
        raise StateError(_("Receipt {number} has confirmed returns; cancel them first.").format(
            number=receipt.number))


def receive(session: Session, actor: Actor, order_id: int, quantities: dict[int, object] | None = None, *,
            warehouse_id: int | None = None, at: datetime | None = None, units: dict[int, str] | None = None) -> str:
    """Create and confirm a receipt in one step (the receiving screen's action)."""
    receipt_id = create_receipt(session, actor, order_id, quantities, warehouse_id=warehouse_id,
                                doc_date=at.date() if at else None, units=units)
    return confirm_receipt(session, actor, receipt_id, at=at)


def get_receipt(session: Session, receipt_id: int) -> ReceiptView:
    r = load_receipt(session, receipt_id)
    rows = session.execute(select(PurchaseReceiptLine, Product.code, Product.name)
                           .join(Product, Product.id == PurchaseReceiptLine.product_id)
                           .where(PurchaseReceiptLine.receipt_id == r.id).order_by(PurchaseReceiptLine.id)).all()
    lines = [ReceiptLineView(ln.id, ln.order_line_id, ln.product_id, code, name, ln.quantity, ln.amount_net,
                             ln.tax, ln.amount_gross, ln.unit, factor_of(ln)) for ln, code, name in rows]
    return ReceiptView(r.id, r.number, r.status, r.order_id, r.supplier_id, r.warehouse_id, r.doc_date,
                       r.amount_net, r.tax, r.amount_gross, lines)


def receipts_of_order(session: Session, order_id: int) -> list[PurchaseReceipt]:
    return list(session.scalars(select(PurchaseReceipt).where(PurchaseReceipt.order_id == order_id)
                                .order_by(PurchaseReceipt.id)))
