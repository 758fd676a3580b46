"""Purchase orders (采购订单): draft → submitted → (pending_approval → approved) confirmed → done, or cancelled.

An order whose tax-inclusive total is above ``[purchasing] approval_amount`` waits for someone holding
``purchase.approve`` (managers). The number is taken when the order becomes confirmed, and the suppliers'
last prices are remembered then. Receipts (``purchasing_receipts``) move it to done when everything arrived;
``close`` ends an order whose rest will never come.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from crm_tui.config import get_settings
from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, StateError, ValidationError
from crm_tui.core.money import (
    gross_from_net,
    line_from_gross_price,
    line_from_net_price,
    net_from_gross,
    round_money,
    round_quantity,
    to_decimal,
)
from crm_tui.db.base import utcnow
from crm_tui.db.models.products import Product
from crm_tui.db.models.purchasing import PurchaseOrder, PurchaseOrderLine, Supplier
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.common import drafts
from crm_tui.services.stock.units import base_quantity, base_sql, factor_of, in_unit, resolve_unit

ZERO = Decimal(0)


@dataclass(frozen=True)
class OrderLineInput:
    product_id: int
    quantity: Decimal
    price: Decimal | None = None  # net unit price; or give price_gross; neither: the last price paid
    price_gross: Decimal | None = None
    tax_rate: Decimal | None = None  # default: the product's rate
    unit: str | None = None  # default: the product's base unit; prices are per this unit


@dataclass(frozen=True)
class OrderLineView:
    id: int
    line_no: int
    product_id: int
    product_code: str
    product_name: str
    spec: str | None
    unit: str | None
    quantity: Decimal
    price: Decimal
    price_gross: Decimal
    tax_rate: Decimal
    amount_net: Decimal
    tax: Decimal
    amount_gross: Decimal
    received_quantity: Decimal  # in base units (services/stock/units.py)
    unit_factor: Decimal = Decimal(1)

    @property
    def received(self) -> Decimal:
        return in_unit(self.received_quantity, self.unit_factor)

    @property
    def remaining(self) -> Decimal:
        return max(self.quantity - self.received, ZERO)


@dataclass(frozen=True)
class OrderView:
    id: int
    number: str | None
    status: str
    supplier_id: int
    supplier_code: str
    supplier_name: str
    warehouse_id: int | None
    inquiry_id: int | None
    doc_date: date
    expected_on: date | None
    amount_net: Decimal
    tax: Decimal
    amount_gross: Decimal
    remarks: str | None
    version: int
    lines: list[OrderLineView] = field(default_factory=list)

    @property
    def receiving_state(self) -> str:
        """not_received | partial | received"""
        return receiving_state([(ln.quantity, ln.received) for ln in self.lines])


def receiving_state(pairs: list[tuple[Decimal, Decimal]]) -> str:
    received = sum((r for _q, r in pairs), ZERO)
    if received == 0:
        return "not_received"
    if all(r >= q for q, r in pairs):
        return "received"
    return "partial"


def approval_amount() -> Decimal:
    return to_decimal(str(get_settings().get("purchasing", {}).get("approval_amount", "50000")))


def price_line(qty: Decimal, rate: Decimal, price: Decimal | None, price_gross: Decimal | None) -> dict:
    """Amounts of a line from the price entered (net or tax-inclusive), each rounded half-up to the fen."""
    if price is not None:
        net, tax, gross = line_from_net_price(qty, price, rate)
        return {"price": round_money(price), "price_gross": gross_from_net(price, rate), "gross_entered": False,
                "amount_net": net, "tax": tax, "amount_gross": gross}
    net, tax, gross = line_from_gross_price(qty, price_gross, rate)
    return {"price": net_from_gross(price_gross, rate), "price_gross": round_money(price_gross),
            "gross_entered": True, "amount_net": net, "tax": tax, "amount_gross": gross}


def _build_lines(session: Session, supplier_id: int, lines: list[OrderLineInput]) -> list[dict]:
    from crm_tui.services.purchasing.suppliers import last_price

    if not lines:
        raise ValidationError(_("The order has no lines."), field="lines")
    products = {p.id: p for p in session.scalars(select(Product).where(
        Product.id.in_({ln.product_id for ln in lines})))}
    out = []
    for n, ln in enumerate(lines, start=1):
        product = products.get(ln.product_id)
        if product is None:
            raise NotFound(_("Line {n}: no such product: {id}").format(n=n, id=ln.product_id))
        where = _("Line {n} ({code})").format(n=n, code=product.code)
        try:
            qty = round_quantity(to_decimal(ln.quantity))
        except Exception:
            raise ValidationError(_("{what}: not a quantity: {value}").format(what=where, value=ln.quantity),
                                  field="quantity") from None
        if qty <= 0:
            raise ValidationError(_("{what}: the quantity must be greater than zero.").format(what=where),
                                  field="quantity")
        unit, factor = resolve_unit(session, product, ln.unit)
        base_quantity(qty, factor, where)
        rate = product.tax_rate if ln.tax_rate is None else to_decimal(ln.tax_rate)
        price, gross = ln.price, ln.price_gross
        if price is None and gross is None:  # known prices are per base unit (units.py)
            last = last_price(session, supplier_id, product.id)
            if last is not None and last.tax_rate == rate:
                price = last.price * factor
            elif product.purchase_price is not None:
                price = product.purchase_price * factor
            else:
                raise ValidationError(_("{what}: give a price (no earlier price is known).").format(what=where),
                                      field="price")
        for value in (price, gross):
            if value is not None and to_decimal(value) < 0:
                raise ValidationError(_("{what}: the price cannot be negative.").format(what=where),
                                      field="price")
        priced = price_line(qty, rate, None if price is None else to_decimal(price),
                            None if gross is None else to_decimal(gross))
        out.append({"line_no": n, "product_id": product.id, "quantity": qty, "unit": unit, "unit_factor": factor,
                    "tax_rate": rate, **priced})
    return out


def _set_totals(order: PurchaseOrder, rows: list[dict]) -> None:
    order.amount_net = sum((r["amount_net"] for r in rows), ZERO)
    order.tax = sum((r["tax"] for r in rows), ZERO)
    order.amount_gross = sum((r["amount_gross"] for r in rows), ZERO)


def create_order(session: Session, actor: Actor, supplier_id: int, lines: list[OrderLineInput], *,
                 warehouse_id: int | None = None, inquiry_id: int | None = None, doc_date: date | None = None,
                 expected_on: date | None = None, remarks: str | None = None) -> int:
    permissions.require(actor, "purchase.manage")
    supplier = session.get(Supplier, supplier_id)
    if supplier is None:
        raise NotFound(_("No such supplier: {id}").format(id=supplier_id))
    if not supplier.active:
        raise ValidationError(_("Supplier {code} is not active.").format(code=supplier.code), field="supplier")
    if warehouse_id is not None:
        from crm_tui.services.stock.warehouses import require_active

        require_active(session, warehouse_id)
    rows = _build_lines(session, supplier_id, lines)
    order = PurchaseOrder(supplier_id=supplier_id, warehouse_id=warehouse_id, inquiry_id=inquiry_id,
                          doc_date=doc_date or clock.today(), expected_on=expected_on, remarks=remarks,
                          status="draft", created_by=actor.id)
    _set_totals(order, rows)
    session.add(order)
    session.flush()
    session.add_all(PurchaseOrderLine(order_id=order.id, **r) for r in rows)
    session.flush()
    return order.id


def load_order(session: Session, order_id: int, lock: bool = False) -> PurchaseOrder:
    stmt = select(PurchaseOrder).where(PurchaseOrder.id == order_id).execution_options(populate_existing=True)
    if lock:
        stmt = stmt.with_for_update()
    order = session.scalar(stmt)
    if order is None:
        raise NotFound(_("No such purchase order: {id}").format(id=order_id))
    return order


def _label(order: PurchaseOrder) -> str:
    return order.number or f"#{order.id}"


def set_lines(session: Session, actor: Actor, order_id: int, lines: list[OrderLineInput], *,
              expected_version: int | None = None) -> None:
    """Replace the draft's lines; ``expected_version``: the version the editor loaded."""
    permissions.require(actor, "purchase.manage")
    order = load_order(session, order_id, lock=True)
    if order.status != "draft":
        raise StateError(_("Purchase order {number} is {status}; only a draft can be changed.").format(
            number=_label(order), status=_(order.status)))
    drafts.check_version(session, order, expected_version,
                         _("Purchase order {number}").format(number=_label(order)))
    rows = _build_lines(session, order.supplier_id, lines)
    session.execute(delete(PurchaseOrderLine).where(PurchaseOrderLine.order_id == order.id))
    session.add_all(PurchaseOrderLine(order_id=order.id, **r) for r in rows)
    _set_totals(order, rows)
    drafts.touch(session, order)


def save_order(session: Session, actor: Actor, supplier_id: int, lines: list[OrderLineInput], *,
               warehouse_id: int | None = None, then_submit: bool = False) -> str:
    """The purchase-order form's one action: a new draft, submitted at once if asked (approval above the
    limit). Returns the new status, or "draft"."""
    order_id = create_order(session, actor, supplier_id, lines, warehouse_id=warehouse_id)
    return submit(session, actor, order_id) if then_submit else "draft"


def submit(session: Session, actor: Actor, order_id: int, *, at: datetime | None = None) -> str:
    """Confirm a draft, or send it for approval when its total is above the approval amount.
    Returns the new status."""
    permissions.require(actor, "purchase.manage")
    order = load_order(session, order_id, lock=True)
    if order.status != "draft":
        raise StateError(_("Purchase order {number} is already {status}.").format(number=_label(order),
                                                                                  status=_(order.status)))
    order.submitted_by = actor.id
    if order.amount_gross > approval_amount():
        order.status = "pending_approval"
        session.flush()
        return order.status
    _confirm(session, order, at)
    return order.status


def approve(session: Session, actor: Actor, order_id: int, *, at: datetime | None = None) -> str:
    """Approve an order waiting for approval: it is confirmed and numbered. Returns the number."""
    permissions.require(actor, "purchase.approve")
    order = load_order(session, order_id, lock=True)
    if order.status != "pending_approval":
        raise StateError(_("Purchase order {number} is not waiting for approval (it is {status}).").format(
            number=_label(order), status=_(order.status)))
    order.approved_by = actor.id
    order.approved_at = at or utcnow()
    _confirm(session, order, at)
    return order.number


def reject(session: Session, actor: Actor, order_id: int, reason: str | None = None) -> None:
    """Send an order waiting for approval back to draft."""
    permissions.require(actor, "purchase.approve")
    order = load_order(session, order_id, lock=True)
    if order.status != "pending_approval":
        raise StateError(_("Purchase order {number} is not waiting for approval (it is {status}).").format(
            number=_label(order), status=_(order.status)))
    order.status = "draft"
    if reason:
        order.remarks = ((order.remarks or "") + "\n" + _("Rejected: {reason}").format(reason=reason)).strip()
    session.flush()


def _confirm(session: Session, order: PurchaseOrder, at: datetime | None = None) -> None:
    from crm_tui.services.common.numbering import take_number
    from crm_tui.services.purchasing.suppliers import remember_price

    order.number = take_number(session, "purchase_order", on=at.date() if at else None)
    order.status = "confirmed"
    order.confirmed_at = at or utcnow()
    for ln in _lines(session, order.id):
        f = factor_of(ln)  # remembered per base unit
        remember_price(session, order.supplier_id, ln.product_id, ln.price / f, ln.price_gross / f, ln.tax_rate,
                       "purchase_order", order.number, order.doc_date)
    session.flush()


def _lines(session: Session, order_id: int) -> list[PurchaseOrderLine]:
    return list(session.scalars(select(PurchaseOrderLine).where(PurchaseOrderLine.order_id == order_id)
                                .order_by(PurchaseOrderLine.line_no)))


def cancel(session: Session, actor: Actor, order_id: int, reason: str | None = None) -> None:
    """Cancel an order nothing has been received on (cancel its receipts first)."""
    permissions.require(actor, "purchase.manage")
    order = load_order(session, order_id, lock=True)
    if order.status in ("cancelled", "done"):
        raise StateError(_("Purchase order {number} is {status} and cannot be cancelled.").format(
            number=_label(order), status=_(order.status)))
    if any(ln.received_quantity for ln in _lines(session, order.id)):
        raise StateError(_("Goods were received on purchase order {number}; cancel its receipts first, or "
                           "close the order instead.").format(number=_label(order)))
    from crm_tui.services.purchasing.payables import order_has_money

    if order_has_money(session, order.id):
        raise StateError(_("Purchase order {number} has payments or invoices; cancel those first.").format(
            number=_label(order)))
    order.status = "cancelled"
    order.cancelled_at = utcnow()
    order.cancel_reason = (reason or "").strip() or None
    session.flush()


def close(session: Session, actor: Actor, order_id: int) -> None:
    """End a confirmed order: what has not arrived yet will not come."""
    permissions.require(actor, "purchase.manage")
    order = load_order(session, order_id, lock=True)
    if order.status != "confirmed":
        raise StateError(_("Only a confirmed purchase order can be closed; {number} is {status}.").format(
            number=_label(order), status=_(order.status)))
    order.status = "done"
    order.closed_at = utcnow()
    session.flush()


def get_order(session: Session, order_id: int) -> OrderView:
    order = load_order(session, order_id)
    supplier = session.get(Supplier, order.supplier_id)
    rows = session.execute(
        select(PurchaseOrderLine, Product.code, Product.name, Product.spec, Product.unit)
        .join(Product, Product.id == PurchaseOrderLine.product_id)
        .where(PurchaseOrderLine.order_id == order.id).order_by(PurchaseOrderLine.line_no)).all()
    lines = [OrderLineView(ln.id, ln.line_no, ln.product_id, code, name, spec, ln.unit or unit, ln.quantity, ln.price,
                           ln.price_gross, ln.tax_rate, ln.amount_net, ln.tax, ln.amount_gross,
                           ln.received_quantity, factor_of(ln)) for ln, code, name, spec, unit in rows]
    return OrderView(order.id, order.number, order.status, order.supplier_id, supplier.code, supplier.name,
                     order.warehouse_id, order.inquiry_id, order.doc_date, order.expected_on, order.amount_net,
                     order.tax, order.amount_gross, order.remarks, order.version, lines)


def find_document(session: Session, model, key: str, missing: str):
    """A purchasing document by its number, else by its id; ``missing`` (with {key}) when neither is found."""
    key = (key or "").strip()
    doc = session.scalar(select(model).where(model.number == key))
    if doc is None and key.isdigit():
        doc = session.get(model, int(key))
    if doc is None:
        raise NotFound(missing.format(key=key))
    return doc


def find_order(session: Session, key: str) -> PurchaseOrder:
    return find_document(session, PurchaseOrder, key, _("No purchase order {key}."))


@dataclass(frozen=True)
class OrderRow:
    id: int
    number: str | None
    status: str
    supplier_code: str
    supplier_name: str
    doc_date: date
    amount_gross: Decimal
    receiving_state: str


def list_orders(session: Session, *, supplier_id: int | None = None, status: str | None = None,
                open_only: bool = False, limit: int = 200, offset: int = 0) -> list[OrderRow]:
    stmt = (select(PurchaseOrder, Supplier.code, Supplier.name)
            .join(Supplier, Supplier.id == PurchaseOrder.supplier_id)
            .order_by(PurchaseOrder.id.desc()).limit(limit).offset(offset))
    if supplier_id is not None:
        stmt = stmt.where(PurchaseOrder.supplier_id == supplier_id)
    if status:
        stmt = stmt.where(PurchaseOrder.status == status)
    if open_only:
        stmt = stmt.where(PurchaseOrder.status == "confirmed")
    orders = session.execute(stmt).all()
    pairs: dict[int, list[tuple[Decimal, Decimal]]] = {}
    if orders:
        for oid, q, r in session.execute(select(PurchaseOrderLine.order_id,
                                                base_sql(PurchaseOrderLine.quantity, PurchaseOrderLine.unit_factor),
                                                PurchaseOrderLine.received_quantity)
                                         .where(PurchaseOrderLine.order_id.in_([o.id for o, _c, _n in orders]))):
            pairs.setdefault(oid, []).append((q, r))
    return [OrderRow(o.id, o.number, o.status, code, name, o.doc_date, o.amount_gross,
                     receiving_state(pairs.get(o.id, []))) for o, code, name in orders]
