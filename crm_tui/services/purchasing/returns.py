"""Purchase returns (采购退货): goods of a confirmed purchase receipt sent back to the supplier, partially.

A return may take back at most what its receipt line brought in less what earlier confirmed returns took.
Confirming it, in one transaction, numbers it, takes the goods out of stock at exactly the cost they came in
with (a share of the receipt's stock moves; the return that empties a receipt line takes what is left of its
value) and debits the supplier: the payables drop by its tax-inclusive amount (``payables.py``). Cancelling
a confirmed return reverses its moves and the debit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, StateError, ValidationError
from crm_tui.core.money import plain as _plain
from crm_tui.core.money import round_money, round_quantity, to_decimal
from crm_tui.db.base import utcnow
from crm_tui.db.models.products import Product
from crm_tui.db.models.purchase_returns import PurchaseReturn, PurchaseReturnLine
from crm_tui.db.models.purchasing import PurchaseOrderLine, PurchaseReceipt, PurchaseReceiptLine, Supplier
from crm_tui.db.models.stock import StockMove
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.purchasing.orders import find_document
from crm_tui.services.purchasing.receipts import DOC_TYPE as RECEIPT_DOC
from crm_tui.services.purchasing.receipts import load_receipt
from crm_tui.services.stock import ledger as stock_ledger
from crm_tui.services.stock.ledger import MoveSpec
from crm_tui.services.stock.units import factor_of

ZERO = Decimal(0)
DOC_TYPE = "purchase_return"
RIGHT = "stock.manage"  # as purchase receipts



@dataclass(frozen=True)
class ReturnLineView:
    id: int
    receipt_line_id: int
    product_id: int
    product_code: str
    product_name: str
    spec: str | None
    unit: str | None
    quantity: Decimal
    unit_price: Decimal
    amount_net: Decimal
    tax: Decimal
    amount_gross: Decimal
    cost: Decimal


@dataclass(frozen=True)
class ReturnView:
    id: int
    number: str | None
    status: str
    supplier_id: int
    supplier_code: str
    supplier_name: str
    receipt_id: int
    receipt_number: str | None
    warehouse_id: int
    doc_date: date
    reason: str | None
    amount_net: Decimal
    tax: Decimal
    amount_gross: Decimal
    cost: Decimal
    lines: list[ReturnLineView] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"number": self.number, "status": self.status, "supplier": self.supplier_code,
                "receipt": self.receipt_number, "date": self.doc_date.isoformat(), "reason": self.reason,
                "amount_net": str(self.amount_net), "tax": str(self.tax), "amount_gross": str(self.amount_gross),
                "cost": str(self.cost),
                "lines": [{"product": ln.product_code, "quantity": str(ln.quantity), "unit": ln.unit,
                           "unit_price": str(ln.unit_price), "amount_gross": str(ln.amount_gross),
                           "cost": str(ln.cost)} for ln in self.lines]}


@dataclass(frozen=True)
class ReturnableLine:
    """A receipt line and how much of it may still go back (in the line's unit)."""

    receipt_line_id: int
    product_id: int
    product_code: str
    product_name: str
    unit: str | None
    received: Decimal
    returned: Decimal

    @property
    def returnable(self) -> Decimal:
        return self.received - self.returned


# --- finding ---------------------------------------------------------------------------------------------------

def find_receipt(session: Session, key: str) -> PurchaseReceipt:
    return find_document(session, PurchaseReceipt, key, _("No purchase receipt {key}."))


def find_return(session: Session, key: str) -> PurchaseReturn:
    return find_document(session, PurchaseReturn, key, _("No purchase return {key}."))


def load_return(session: Session, return_id: int, lock: bool = False) -> PurchaseReturn:
    stmt = select(PurchaseReturn).where(PurchaseReturn.id == return_id).execution_options(populate_existing=True)
    if lock:
        stmt = stmt.with_for_update()
    ret = session.scalar(stmt)
    if ret is None:
        raise NotFound(_("No such purchase return: {id}").format(id=return_id))
    return ret


def _return_lines(session: Session, return_id: int) -> list[PurchaseReturnLine]:
    return list(session.scalars(select(PurchaseReturnLine).where(PurchaseReturnLine.return_id == return_id)
                                .order_by(PurchaseReturnLine.id)))


# --- what may go back ------------------------------------------------------------------------------------------

def _returned(session: Session, receipt_line_ids: list[int], skip_return: int | None = None):
    """Per receipt line: (quantity, cost, net, tax, gross) of its confirmed returns so far."""
    stmt = (select(PurchaseReturnLine.receipt_line_id, func.sum(PurchaseReturnLine.quantity),
                   func.sum(PurchaseReturnLine.cost), func.sum(PurchaseReturnLine.amount_net),
                   func.sum(PurchaseReturnLine.tax), func.sum(PurchaseReturnLine.amount_gross))
            .join(PurchaseReturn, PurchaseReturn.id == PurchaseReturnLine.return_id)
            .where(PurchaseReturnLine.receipt_line_id.in_(receipt_line_ids), PurchaseReturn.status == "confirmed")
            .group_by(PurchaseReturnLine.receipt_line_id))
    if skip_return is not None:
        stmt = stmt.where(PurchaseReturn.id != skip_return)
    return {lid: tuple(v or ZERO for v in rest) for lid, *rest in session.execute(stmt)}


def returnable_lines(session: Session, receipt_id: int) -> list[ReturnableLine]:
    rows = session.execute(select(PurchaseReceiptLine, Product.code, Product.name, Product.unit)
                           .join(Product, Product.id == PurchaseReceiptLine.product_id)
                           .where(PurchaseReceiptLine.receipt_id == receipt_id)
                           .order_by(PurchaseReceiptLine.id)).all()
    done = _returned(session, [ln.id for ln, *_rest in rows])
    return [ReturnableLine(ln.id, ln.product_id, code, name, getattr(ln, "unit", None) or unit, ln.quantity,
                           done.get(ln.id, (ZERO,))[0]) for ln, code, name, unit in rows]


def receipt_for_return(session: Session, receipt_id: int):
    """(receipt id, number, supplier name, returnable lines): what the return form shows."""
    receipt = load_receipt(session, receipt_id)
    supplier = session.get(Supplier, receipt.supplier_id)
    return receipt.id, receipt.number, supplier.name, returnable_lines(session, receipt.id)


def _check_receipt(receipt: PurchaseReceipt) -> None:
    if receipt.status != "confirmed":
        raise StateError(_("Goods can only be returned from a confirmed purchase receipt; {number} is {status}.")
                         .format(number=receipt.number or receipt.id, status=_(receipt.status)))


def _quantity(value) -> Decimal:
    try:
        qty = round_quantity(to_decimal(value))
    except Exception:
        raise ValidationError(_("Not a quantity: {value}").format(value=value), field="quantity") from None
    if qty < 0:
        raise ValidationError(_("A returned quantity cannot be negative."), field="quantity")
    return qty



def _check_returnable(line: ReturnableLine, qty: Decimal) -> None:
    if qty > line.returnable:
        raise ValidationError(_("{code}: {qty} is more than the {left} that may still be returned.").format(
            code=line.product_code, qty=_plain(qty), left=_plain(line.returnable)), field="quantity")


def _check_on_hand(session: Session, warehouse_id: int, wanted: dict[int, Decimal]) -> None:
    """Refuse a return of goods no longer in the warehouse (the ledger's negative-stock rule, told early)."""
    if stock_ledger.allow_negative():
        return
    for product_id, qty in wanted.items():
        held = stock_ledger.on_hand(session, warehouse_id, product_id)
        if qty > held:
            code = session.scalar(select(Product.code).where(Product.id == product_id))
            raise ValidationError(_("{code}: only {held} on hand to return, {qty} asked.").format(
                code=code, held=_plain(held), qty=_plain(qty)), field="quantity")


# --- draft, confirm, cancel ------------------------------------------------------------------------------------

def create_return(session: Session, actor: Actor, receipt_id: int, quantities: dict[int, object] | None = None, *,
                  reason: str | None = None, doc_date: date | None = None, remarks: str | None = None) -> int:
    """A draft return. ``quantities``: receipt line id -> quantity; None returns everything still returnable."""
    permissions.require(actor, RIGHT)
    receipt = load_receipt(session, receipt_id)
    _check_receipt(receipt)
    lines = {ln.receipt_line_id: ln for ln in returnable_lines(session, receipt.id)}
    if quantities is None:
        quantities = {lid: ln.returnable for lid, ln in lines.items() if ln.returnable > 0}
    rows = []
    for lid, value in quantities.items():
        line = lines.get(lid)
        if line is None:
            raise NotFound(_("Line {id} is not a line of this receipt.").format(id=lid))
        qty = _quantity(value)
        if qty:
            _check_returnable(line, qty)
            rows.append((line, qty))
    if not rows:
        raise ValidationError(_("Nothing to return: every quantity is zero."), field="quantity")
    reason = (reason or "").strip() or None
    if reason and len(reason) > 300:
        raise ValidationError(_("The reason may be at most 300 characters."), field="reason")
    ret = PurchaseReturn(supplier_id=receipt.supplier_id, receipt_id=receipt.id, warehouse_id=receipt.warehouse_id,
                         doc_date=doc_date or clock.today(), reason=reason, remarks=remarks, status="draft",
                         created_by=actor.id)
    session.add(ret)
    session.flush()
    sources = _sources(session, [line.receipt_line_id for line, _q in rows])
    new = [PurchaseReturnLine(return_id=ret.id, receipt_line_id=line.receipt_line_id, product_id=line.product_id,
                              quantity=qty, unit=line.unit, unit_factor=factor_of(sources[line.receipt_line_id][0]),
                              unit_price=sources[line.receipt_line_id][1]) for line, qty in rows]
    session.add_all(new)
    session.flush()
    _check_on_hand(session, ret.warehouse_id, _base_quantities(new))
    _value(session, ret, new)
    session.flush()
    return ret.id


def _sources(session: Session, receipt_line_ids: list[int]) -> dict[int, tuple[PurchaseReceiptLine, Decimal]]:
    """Receipt line id -> (the line, the order's net unit price)."""
    rows = session.execute(select(PurchaseReceiptLine, PurchaseOrderLine.price)
                           .join(PurchaseOrderLine, PurchaseOrderLine.id == PurchaseReceiptLine.order_line_id)
                           .where(PurchaseReceiptLine.id.in_(receipt_line_ids))).all()
    return {ln.id: (ln, price) for ln, price in rows}


def _base_quantities(lines: list[PurchaseReturnLine]) -> dict[int, Decimal]:
    out: dict[int, Decimal] = {}
    for ln in lines:
        out[ln.product_id] = out.get(ln.product_id, ZERO) + ln.quantity * factor_of(ln)
    return out


def _received_moves(session: Session, receipt_id: int) -> dict[int, tuple[Decimal, Decimal]]:
    """Receipt line id -> (base quantity, amount) its receipt moved into stock."""
    rows = session.execute(
        select(StockMove.line_id, func.sum(StockMove.quantity), func.sum(StockMove.amount))
        .where(StockMove.doc_type == RECEIPT_DOC, StockMove.doc_id == receipt_id, StockMove.is_reversal.is_(False),
               StockMove.quantity > 0)
        .group_by(StockMove.line_id)).all()
    return {lid: (q, a) for lid, q, a in rows}


def _share(total: Decimal, done: Decimal, part: Decimal, whole: Decimal, taken: Decimal) -> Decimal:
    """``part`` of ``whole`` of ``total``; when this empties the whole, exactly what earlier parts left."""
    if taken + part >= whole:
        return total - done
    return round_money(total * part / whole)


def _value(session: Session, ret: PurchaseReturn, lines: list[PurchaseReturnLine]) -> None:
    """Amounts and cost of each line (shares of its receipt line), and the return's totals."""
    sources = _sources(session, [ln.receipt_line_id for ln in lines])
    moved = _received_moves(session, ret.receipt_id)
    done = _returned(session, [ln.receipt_line_id for ln in lines], skip_return=ret.id)
    for ln in lines:
        src = sources[ln.receipt_line_id][0]
        q_done, c_done, n_done, t_done, g_done = done.get(ln.receipt_line_id, (ZERO,) * 5)
        moved_qty, moved_amount = moved.get(src.id, (src.quantity * factor_of(src), src.amount_net))
        ln.cost = _share(moved_amount, c_done, ln.quantity * factor_of(ln), moved_qty, q_done * factor_of(ln))
        ln.amount_net = _share(src.amount_net, n_done, ln.quantity, src.quantity, q_done)
        ln.tax = _share(src.tax, t_done, ln.quantity, src.quantity, q_done)
        ln.amount_gross = ln.amount_net + ln.tax
        if q_done + ln.quantity >= src.quantity:
            ln.amount_gross = src.amount_gross - g_done
    ret.amount_net = sum((ln.amount_net for ln in lines), ZERO)
    ret.tax = sum((ln.tax for ln in lines), ZERO)
    ret.amount_gross = sum((ln.amount_gross for ln in lines), ZERO)
    ret.cost = sum((ln.cost for ln in lines), ZERO)


def _require_draft(ret: PurchaseReturn) -> None:
    if ret.status != "draft":
        raise StateError(_("Purchase return {number} is already {status}.").format(
            number=ret.number or ret.id, status=_(ret.status)))


def confirm_return(session: Session, actor: Actor, return_id: int, *, at: datetime | None = None) -> str:
    """Send the goods back: number, out-moves at their incoming cost, the supplier debited; returns the number."""
    permissions.require(actor, RIGHT)
    ret = load_return(session, return_id, lock=True)
    _require_draft(ret)
    receipt = load_receipt(session, ret.receipt_id, lock=True)  # returns of one receipt queue here
    _check_receipt(receipt)
    lines = _return_lines(session, ret.id)
    returnable = {ln.receipt_line_id: ln for ln in returnable_lines(session, receipt.id)}
    for ln in lines:
        _check_returnable(returnable[ln.receipt_line_id], ln.quantity)
    _value(session, ret, lines)
    from crm_tui.services.common.numbering import take_number

    now = at or utcnow()
    number = take_number(session, DOC_TYPE, on=at.date() if at else None)
    specs = [MoveSpec(ret.warehouse_id, ln.product_id, -(ln.quantity * factor_of(ln)), amount=-ln.cost, line_id=ln.id)
             for ln in lines]
    stock_ledger.post(session, DOC_TYPE, ret.id, number, specs, moved_at=now)
    ret.number, ret.status = number, "confirmed"
    ret.confirmed_by, ret.confirmed_at = actor.id, now
    session.flush()
    return number


def cancel_return(session: Session, actor: Actor, return_id: int) -> None:
    """Reverse a confirmed return (the goods come back into stock, the debit goes); a draft is just cancelled."""
    permissions.require(actor, RIGHT)
    ret = load_return(session, return_id, lock=True)
    if ret.status == "cancelled":
        raise StateError(_("Purchase return {number} is already {status}.").format(
            number=ret.number or ret.id, status=_(ret.status)))
    if ret.status == "confirmed":
        stock_ledger.reverse_document(session, DOC_TYPE, ret.id, ret.number)
    ret.status = "cancelled"
    ret.cancelled_by, ret.cancelled_at = actor.id, utcnow()
    session.flush()


def return_goods(session: Session, actor: Actor, receipt_id: int, quantities: dict[int, object] | None = None, *,
                 reason: str | None = None, at: datetime | None = None) -> str:
    """Draft and confirm in one step (the screen's action after its question)."""
    return_id = create_return(session, actor, receipt_id, quantities, reason=reason,
                              doc_date=at.date() if at else None)
    return confirm_return(session, actor, return_id, at=at)


# --- reading ---------------------------------------------------------------------------------------------------

def get_return(session: Session, return_id: int) -> ReturnView:
    r = load_return(session, return_id)
    supplier = session.get(Supplier, r.supplier_id)
    receipt_number = session.scalar(select(PurchaseReceipt.number).where(PurchaseReceipt.id == r.receipt_id))
    rows = session.execute(select(PurchaseReturnLine, Product.code, Product.name, Product.spec)
                           .join(Product, Product.id == PurchaseReturnLine.product_id)
                           .where(PurchaseReturnLine.return_id == r.id).order_by(PurchaseReturnLine.id)).all()
    lines = [ReturnLineView(ln.id, ln.receipt_line_id, ln.product_id, code, name, spec, ln.unit, ln.quantity,
                            ln.unit_price, ln.amount_net, ln.tax, ln.amount_gross, ln.cost)
             for ln, code, name, spec in rows]
    return ReturnView(r.id, r.number, r.status, r.supplier_id, supplier.code, supplier.name, r.receipt_id,
                      receipt_number, r.warehouse_id, r.doc_date, r.reason, r.amount_net, r.tax, r.amount_gross,
                      r.cost, lines)


@dataclass(frozen=True)
class ReturnRow:
    id: int
    number: str | None
    status: str
    supplier_code: str
    supplier_name: str
    receipt_number: str | None
    doc_date: date
    reason: str | None
    amount_gross: Decimal

    def as_json(self) -> dict:
        return {"number": self.number, "status": self.status, "supplier": self.supplier_code,
                "receipt": self.receipt_number, "date": self.doc_date.isoformat(), "reason": self.reason,
                "amount_gross": str(self.amount_gross)}


def list_returns(session: Session, *, supplier_id: int | None = None, status: str | None = None,
                 date_from: date | None = None, date_to: date | None = None, text: str = "", limit: int = 200,
                 offset: int = 0) -> list[ReturnRow]:
    stmt = (select(PurchaseReturn, Supplier.code, Supplier.name, PurchaseReceipt.number)
            .join(Supplier, Supplier.id == PurchaseReturn.supplier_id)
            .join(PurchaseReceipt, PurchaseReceipt.id == PurchaseReturn.receipt_id)
            .order_by(PurchaseReturn.id.desc()).limit(limit).offset(offset))
    if supplier_id is not None:
        stmt = stmt.where(PurchaseReturn.supplier_id == supplier_id)
    if status:
        stmt = stmt.where(PurchaseReturn.status == status)
    if date_from:
        stmt = stmt.where(PurchaseReturn.doc_date >= date_from)
    if date_to:
        stmt = stmt.where(PurchaseReturn.doc_date <= date_to)
    if text.strip():
        like = f"%{text.strip()}%"
        stmt = stmt.where(or_(PurchaseReturn.number.ilike(like), PurchaseReceipt.number.ilike(like),
                              Supplier.name.ilike(like), PurchaseReturn.reason.ilike(like)))
    return [ReturnRow(r.id, r.number, r.status, code, name, receipt, r.doc_date, r.reason, r.amount_gross)
            for r, code, name, receipt in session.execute(stmt)]
