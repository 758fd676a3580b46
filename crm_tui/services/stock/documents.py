"""Stock documents: 其他入库, 其他出库, 领料, 调拨, 盘点, 样品单, 借出单, 归还单.

A document is a draft while it is being written (lines may change, it may be deleted). Confirming it takes
its number and posts its moves in one transaction; a confirmed document is never edited or deleted: it is
cancelled by posting the exact reversal of its moves. Confirming or cancelling locks the document row first
(``SELECT … FOR UPDATE``), so two clerks confirming the same document move the stock once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, StateError, ValidationError
from crm_tui.core.money import plain as _plain
from crm_tui.core.money import round_money, round_quantity, to_decimal
from crm_tui.db.base import utcnow
from crm_tui.db.models.products import Product
from crm_tui.db.models.stock import STOCK_DOCUMENT_KINDS, StockDocument, StockDocumentLine, Warehouse
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.common import drafts
from crm_tui.services.customers.records import find_customer
from crm_tui.services.stock import ledger as stock_ledger
from crm_tui.services.stock.ledger import MoveSpec
from crm_tui.services.stock.units import base_quantity, base_sql, factor_of, resolve_unit
from crm_tui.services.stock.warehouses import require_active

ZERO = Decimal(0)
OUT_KINDS = ("stock_out", "requisition", "sample", "loan")  # take goods out of the warehouse
CUSTOMER_KINDS = ("sample", "loan", "loan_return")

KIND_LABELS = {
    "stock_in": "Stock-in",
    "stock_out": "Stock-out",
    "requisition": "Requisition",
    "transfer": "Transfer",
    "stocktake": "Stocktaking",
    "sample": "Sample note",
    "loan": "Loan note",
    "loan_return": "Return note",
}


@dataclass(frozen=True)
class LineInput:
    product_id: int
    quantity: Decimal | None = None  # stocktaking uses counted_quantity instead
    unit_cost: Decimal | None = None
    counted_quantity: Decimal | None = None
    remarks: str | None = None
    unit: str | None = None  # default: the base unit; a unit cost is per this unit (not for stocktaking)


@dataclass(frozen=True)
class LineView:
    id: int
    line_no: int
    product_id: int
    product_code: str
    product_name: str
    spec: str | None
    unit: str | None
    quantity: Decimal
    unit_cost: Decimal | None
    book_quantity: Decimal | None
    counted_quantity: Decimal | None
    remarks: str | None
    unit_factor: Decimal = Decimal(1)


@dataclass(frozen=True)
class DocumentView:
    id: int
    kind: str
    number: str | None
    status: str
    warehouse_id: int
    warehouse_code: str
    to_warehouse_id: int | None
    to_warehouse_code: str | None
    customer_id: int | None
    recipient: str | None
    doc_date: date
    remarks: str | None
    version: int
    lines: list[LineView] = field(default_factory=list)



# --- drafts ---------------------------------------------------------------------------------------

def _quantity(value, what: str, allow_zero: bool = False) -> Decimal:
    try:
        q = round_quantity(to_decimal(value))
    except Exception:
        raise ValidationError(_("{what}: not a quantity: {value}").format(what=what, value=value),
                              field="quantity") from None
    if q < 0 or (q == 0 and not allow_zero):
        raise ValidationError(_("{what}: the quantity must be greater than zero.").format(what=what),
                              field="quantity")
    return q


def _check_header(session: Session, kind: str, warehouse_id: int, to_warehouse_id: int | None,
                  customer_id: int | None) -> None:
    if kind not in STOCK_DOCUMENT_KINDS:
        raise ValidationError(_("Unknown stock document kind: {kind}").format(kind=kind), field="kind")
    require_active(session, warehouse_id)
    if kind == "transfer":
        if to_warehouse_id is None:
            raise ValidationError(_("A transfer needs a destination warehouse."), field="to_warehouse")
        if to_warehouse_id == warehouse_id:
            raise ValidationError(_("A transfer needs two different warehouses."), field="to_warehouse")
        require_active(session, to_warehouse_id)
    elif to_warehouse_id is not None:
        raise ValidationError(_("Only a transfer has a destination warehouse."), field="to_warehouse")
    if kind in CUSTOMER_KINDS:
        from crm_tui.db.models.customers import Customer

        if customer_id is None:
            raise ValidationError(_("Samples, loans and returns need a customer."), field="customer")
        if session.get(Customer, customer_id) is None:
            raise NotFound(_("No such customer: {id}").format(id=customer_id))


def customer_for_document(session: Session, actor: Actor, key: str) -> int:
    """The customer of a sample, loan or return, by code or name. Whoever keeps stock may name any customer:
    they send goods out for all of them."""
    return find_customer(session, actor, key, handled_by="stock.manage").id


def create_document(session: Session, actor: Actor, kind: str, warehouse_id: int, *,
                    to_warehouse_id: int | None = None, customer_id: int | None = None,
                    recipient: str | None = None, doc_date: date | None = None, remarks: str | None = None,
                    lines: list[LineInput] = ()) -> int:
    """A new draft. Lines may be given now or later with ``set_lines``."""
    permissions.require(actor, "stock.manage")
    _check_header(session, kind, warehouse_id, to_warehouse_id, customer_id)
    doc = StockDocument(kind=kind, status="draft", warehouse_id=warehouse_id, to_warehouse_id=to_warehouse_id,
                        customer_id=customer_id, recipient=(recipient or "").strip() or None,
                        doc_date=doc_date or clock.today(), remarks=remarks, created_by=actor.id)
    session.add(doc)
    session.flush()
    if lines:
        set_lines(session, actor, doc.id, lines)
    return doc.id


def _draft(session: Session, doc_id: int, lock: bool = False, expected_version: int | None = None) -> StockDocument:
    doc = load_document(session, doc_id, lock=lock)
    if doc.status != "draft":
        raise StateError(_("Document {number} is {status}; only a draft can be changed.").format(
            number=doc.number or doc.id, status=_(doc.status)))
    drafts.check_version(session, doc, expected_version,
                         _("Stock document {number}").format(number=doc.number or f"#{doc.id}"))
    return doc


def set_lines(session: Session, actor: Actor, doc_id: int, lines: list[LineInput], *,
              expected_version: int | None = None) -> None:
    """Replace the lines of a draft; ``expected_version``: the version the editor loaded."""
    permissions.require(actor, "stock.manage")
    doc = _draft(session, doc_id, lock=True, expected_version=expected_version)
    products = _products(session, {ln.product_id for ln in lines})
    rows = []
    for n, ln in enumerate(lines, start=1):
        product = products.get(ln.product_id)
        if product is None:
            raise NotFound(_("Line {n}: no such product: {id}").format(n=n, id=ln.product_id))
        what = _("Line {n} ({code})").format(n=n, code=product.code)
        row = {"document_id": doc.id, "line_no": n, "product_id": ln.product_id, "remarks": ln.remarks}
        if doc.kind == "stocktake" and (ln.unit or "").strip() not in ("", product.unit or ""):
            raise ValidationError(_("{what}: a stocktake counts in the base unit {unit}.").format(
                what=what, unit=product.unit), field="unit")
        if doc.kind == "stocktake":
            counted = None if ln.counted_quantity is None else _quantity(ln.counted_quantity, what, True)
            row.update(counted_quantity=counted, quantity=ZERO,
                       book_quantity=stock_ledger.on_hand(session, doc.warehouse_id, ln.product_id))
        else:
            row["quantity"] = _quantity(ln.quantity, what)
            row["unit"], row["unit_factor"] = resolve_unit(session, product, ln.unit)
            base_quantity(row["quantity"], row["unit_factor"], what)
            if ln.unit_cost is not None:
                if doc.kind != "stock_in":
                    raise ValidationError(_("{what}: only a stock-in takes a unit cost.").format(what=what),
                                          field="unit_cost")
                cost = to_decimal(ln.unit_cost)
                if cost < 0:
                    raise ValidationError(_("{what}: the unit cost cannot be negative.").format(what=what),
                                          field="unit_cost")
                row["unit_cost"] = cost
        rows.append(row)
    session.execute(delete(StockDocumentLine).where(StockDocumentLine.document_id == doc.id))
    session.add_all(StockDocumentLine(**r) for r in rows)
    drafts.touch(session, doc)  # the version moves on even when only the lines changed


def update_header(session: Session, actor: Actor, doc_id: int, expected_version: int | None = None,
                  **values) -> None:
    permissions.require(actor, "stock.manage")
    doc = _draft(session, doc_id, lock=True, expected_version=expected_version)
    for key in ("warehouse_id", "to_warehouse_id", "customer_id", "recipient", "doc_date", "remarks"):
        if key in values:
            setattr(doc, key, values[key])
    _check_header(session, doc.kind, doc.warehouse_id, doc.to_warehouse_id, doc.customer_id)
    session.flush()


def delete_draft(session: Session, actor: Actor, doc_id: int) -> None:
    permissions.require(actor, "stock.manage")
    doc = _draft(session, doc_id, lock=True)
    session.delete(doc)
    session.flush()


def _products(session: Session, ids: set[int]) -> dict[int, Product]:
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))}


# --- confirm and cancel ----------------------------------------------------------------------------

def load_document(session: Session, doc_id: int, lock: bool = False) -> StockDocument:
    stmt = select(StockDocument).where(StockDocument.id == doc_id).execution_options(populate_existing=True)
    if lock:
        stmt = stmt.with_for_update()
    doc = session.scalar(stmt)
    if doc is None:
        raise NotFound(_("No such stock document: {id}").format(id=doc_id))
    return doc


def _lines(session: Session, doc_id: int) -> list[StockDocumentLine]:
    return list(session.scalars(select(StockDocumentLine).where(StockDocumentLine.document_id == doc_id)
                                .order_by(StockDocumentLine.line_no)))


def save_document(session: Session, actor: Actor, kind: str, header: dict, lines: list[LineInput], *,
                  customer: str | None = None, draft_id: int | None = None, version: int | None = None,
                  then_confirm: bool = False) -> str:
    """The stock-document form's one action: write the draft (new or changed), then confirm it if asked.
    ``version``: the version of the draft the form loaded; a draft changed since is refused (ConflictError).
    Returns the number taken on confirmation, else "draft". Safe to run again whole (the runner's retry)."""
    header = dict(header)
    if kind in CUSTOMER_KINDS:
        header["customer_id"] = customer_for_document(session, actor, customer or "")
    if draft_id is None:
        doc_id = create_document(session, actor, kind, lines=lines, **header)
    else:
        doc_id = draft_id
        update_header(session, actor, doc_id, version, **header)
        set_lines(session, actor, doc_id, lines)
    return confirm(session, actor, doc_id) if then_confirm else "draft"


def confirm(session: Session, actor: Actor, doc_id: int, *, at: datetime | None = None) -> str:
    """Number the draft and post its moves; returns the number. A second confirmation is refused.

    ``at`` (UTC) backdates the confirmation and its moves, for the demo data and migrations from another
    system; the screens and commands always confirm now."""
    permissions.require(actor, "stock.manage")
    doc = load_document(session, doc_id, lock=True)
    if doc.status != "draft":
        raise StateError(_("Document {number} is already {status}.").format(number=doc.number or doc.id,
                                                                            status=_(doc.status)))
    _check_header(session, doc.kind, doc.warehouse_id, doc.to_warehouse_id, doc.customer_id)
    lines = _lines(session, doc.id)
    if not lines:
        raise ValidationError(_("The document has no lines."), field="lines")
    from crm_tui.services.common.numbering import take_number

    now = at or utcnow()
    if doc.kind == "transfer":
        _post_transfer(session, doc, None, lines, now)
    elif doc.kind == "stocktake":
        _post_stocktake(session, doc, None, lines, now)
    elif doc.kind == "loan_return":
        _post_return(session, doc, None, lines, now)
    else:
        sign = -1 if doc.kind in OUT_KINDS else 1
        specs = [MoveSpec(doc.warehouse_id, ln.product_id, sign * _base(ln), unit_cost=_base_cost(ln),
                          line_id=ln.id) for ln in lines]
        stock_ledger.post(session, doc.kind, doc.id, None, specs, moved_at=now)
    # Numbered after the balances are locked, as sales stock-outs are (they share the stock-out counter):
    # one lock order for everyone, and the counter is held only to the commit.
    number = take_number(session, doc.kind, on=at.date() if at else None)
    stock_ledger.set_number(session, doc.kind, doc.id, number)
    doc.number = number
    doc.status = "confirmed"
    doc.confirmed_by = actor.id
    doc.confirmed_at = now
    session.flush()
    return number


def _base(ln: StockDocumentLine) -> Decimal:
    """The base units a line moves (exact: checked when the line was written)."""
    return round_quantity(ln.quantity * factor_of(ln))


def _base_cost(ln: StockDocumentLine) -> Decimal | None:
    """A stock-in's cost per base unit (the cost entered is per the line's unit)."""
    if ln.unit_cost is None or factor_of(ln) == 1:
        return ln.unit_cost
    return ln.unit_cost / factor_of(ln)


def _post_transfer(session: Session, doc: StockDocument, number: str | None, lines: list[StockDocumentLine],
                   now: datetime) -> None:
    # Lock both warehouses' rows together, in one order, before moving anything: two opposite transfers
    # running at once then queue instead of deadlocking.
    keys = [(w, ln.product_id) for ln in lines for w in (doc.warehouse_id, doc.to_warehouse_id)]
    locked = stock_ledger.lock_balances(session, keys)
    out = stock_ledger.post(session, "transfer", doc.id, number,
                            [MoveSpec(doc.warehouse_id, ln.product_id, -_base(ln), line_id=ln.id)
                             for ln in lines], moved_at=now, locked=locked)
    stock_ledger.post(session, "transfer", doc.id, number,
                      [MoveSpec(doc.to_warehouse_id, m.product_id, -m.quantity, amount=-m.amount,
                                line_id=m.line_id) for m in out if m.quantity != 0], moved_at=now, locked=locked)


def _post_stocktake(session: Session, doc: StockDocument, number: str | None, lines: list[StockDocumentLine],
                    now: datetime) -> None:
    counted = [ln for ln in lines if ln.counted_quantity is not None]
    if not counted:
        raise ValidationError(_("No line has a counted quantity yet."), field="counted_quantity")
    balances = stock_ledger.lock_balances(session, [(doc.warehouse_id, ln.product_id) for ln in counted])
    codes = {p.id: p.code for p in _products(session, {ln.product_id for ln in counted}).values()}
    specs = []
    for ln in counted:
        current = balances[(doc.warehouse_id, ln.product_id)].quantity
        if current != ln.book_quantity:
            raise ValidationError(_(
                "Stock of {code} changed since the count sheet was made (book {book}, now {now}); "
                "refresh the sheet's book quantities and check the count.").format(
                code=codes[ln.product_id], book=_plain(ln.book_quantity), now=_plain(current)), field="book_quantity")
        ln.quantity = ln.counted_quantity - ln.book_quantity
        if ln.quantity:
            specs.append(MoveSpec(doc.warehouse_id, ln.product_id, ln.quantity, line_id=ln.id))
    # Counting can only fix the stock to what is there: a count is never refused for going negative.
    stock_ledger.post(session, "stocktake", doc.id, number, specs, negative_ok=True, moved_at=now, locked=balances)


def _post_return(session: Session, doc: StockDocument, number: str | None, lines: list[StockDocumentLine],
                 now: datetime) -> None:
    from crm_tui.services.stock.loans import lock_customer, outstanding

    lock_customer(session, doc.customer_id)
    out = outstanding(session, doc.customer_id)
    wanted: dict[int, Decimal] = {}
    for ln in lines:
        wanted[ln.product_id] = wanted.get(ln.product_id, ZERO) + _base(ln)
    codes = {p.id: p.code for p in _products(session, set(wanted)).values()}
    for pid, qty in wanted.items():
        have = out.get(pid)
        if have is None or qty > have.quantity:
            raise ValidationError(_("The customer has {have} of {code} out on loan; {qty} cannot be returned.")
                                  .format(have=_plain(have.quantity) if have else 0, code=codes[pid],
                                          qty=_plain(qty)),
                                  field="quantity")
    specs = []
    left = {pid: (o.quantity, o.value) for pid, o in out.items()}
    for ln in lines:
        q, v = left[ln.product_id]
        # The goods come back at the value they left with: a proportional share, the last unit the rest.
        amount = v if _base(ln) == q else round_money(v * _base(ln) / q)
        left[ln.product_id] = (q - _base(ln), v - amount)
        specs.append(MoveSpec(doc.warehouse_id, ln.product_id, _base(ln), amount=amount, line_id=ln.id))
    stock_ledger.post(session, "loan_return", doc.id, number, specs, moved_at=now)


def cancel(session: Session, actor: Actor, doc_id: int, reason: str | None = None) -> None:
    """Cancel a confirmed document by posting the exact reversal of its moves (a draft is just deleted)."""
    permissions.require(actor, "stock.manage")
    doc = load_document(session, doc_id, lock=True)
    if doc.status != "confirmed":
        raise StateError(_("Only a confirmed document can be cancelled; {number} is {status}.").format(
            number=doc.number or doc.id, status=_(doc.status)))
    if doc.kind == "loan":
        from crm_tui.services.stock.loans import lock_customer

        lock_customer(session, doc.customer_id)
    stock_ledger.reverse_document(session, doc.kind, doc.id, doc.number)
    if doc.kind == "loan":
        from crm_tui.services.stock.loans import outstanding

        if any(o.quantity < 0 for o in outstanding(session, doc.customer_id).values()):
            raise StateError(_("Goods of this loan were already returned; cancel the return notes first."))
    doc.status = "cancelled"
    doc.cancelled_by = actor.id
    doc.cancelled_at = utcnow()
    doc.cancel_reason = (reason or "").strip() or None
    session.flush()


def refresh_book_quantities(session: Session, actor: Actor, doc_id: int) -> int:
    """Stocktaking: take the current on-hand as the book quantity of every line; returns lines changed."""
    permissions.require(actor, "stock.manage")
    doc = _draft(session, doc_id, lock=True)
    changed = 0
    for ln in _lines(session, doc.id):
        now = stock_ledger.on_hand(session, doc.warehouse_id, ln.product_id)
        if now != ln.book_quantity:
            ln.book_quantity = now
            changed += 1
    session.flush()
    return changed


# --- reading ---------------------------------------------------------------------------------------

def get_document(session: Session, doc_id: int) -> DocumentView:
    doc = load_document(session, doc_id)
    codes = dict(session.execute(select(Warehouse.id, Warehouse.code).where(
        Warehouse.id.in_([doc.warehouse_id, doc.to_warehouse_id or doc.warehouse_id]))).all())
    rows = session.execute(
        select(StockDocumentLine, Product.code, Product.name, Product.spec, Product.unit)
        .join(Product, Product.id == StockDocumentLine.product_id)
        .where(StockDocumentLine.document_id == doc.id).order_by(StockDocumentLine.line_no)).all()
    lines = [LineView(ln.id, ln.line_no, ln.product_id, code, name, spec, ln.unit or unit, ln.quantity, ln.unit_cost,
                      ln.book_quantity, ln.counted_quantity, ln.remarks, factor_of(ln))
             for ln, code, name, spec, unit in rows]
    return DocumentView(doc.id, doc.kind, doc.number, doc.status, doc.warehouse_id, codes[doc.warehouse_id],
                        doc.to_warehouse_id, codes.get(doc.to_warehouse_id) if doc.to_warehouse_id else None,
                        doc.customer_id, doc.recipient, doc.doc_date, doc.remarks, doc.version, lines)


@dataclass(frozen=True)
class DocumentRow:
    id: int
    kind: str
    number: str | None
    status: str
    warehouse_code: str
    doc_date: date
    lines: int
    quantity: Decimal


def list_documents(session: Session, *, kind: str | None = None, status: str | None = None,
                   warehouse_id: int | None = None, limit: int = 200, offset: int = 0) -> list[DocumentRow]:
    counts = (select(StockDocumentLine.document_id, func.count().label("n"),
                     func.sum(base_sql(StockDocumentLine.quantity, StockDocumentLine.unit_factor)).label("q"))
              .group_by(StockDocumentLine.document_id).subquery())
    stmt = (select(StockDocument.id, StockDocument.kind, StockDocument.number, StockDocument.status,
                   Warehouse.code, StockDocument.doc_date, counts.c.n, counts.c.q)
            .join(Warehouse, Warehouse.id == StockDocument.warehouse_id)
            .outerjoin(counts, counts.c.document_id == StockDocument.id)
            .order_by(StockDocument.id.desc()).limit(limit).offset(offset))
    if kind:
        stmt = stmt.where(StockDocument.kind == kind)
    if status:
        stmt = stmt.where(StockDocument.status == status)
    if warehouse_id:
        stmt = stmt.where((StockDocument.warehouse_id == warehouse_id)
                          | (StockDocument.to_warehouse_id == warehouse_id))
    return [DocumentRow(i, k, num, st, wh, d, n or 0, q or ZERO)
            for i, k, num, st, wh, d, n, q in session.execute(stmt)]


# --- one-step documents (the CLI's stock in / out / transfer) ----------------------------------------

def quick_document(session: Session, actor: Actor, kind: str, warehouse_id: int, product_id: int, quantity,
                   *, unit_cost=None, to_warehouse_id: int | None = None, at: datetime | None = None,
                   unit: str | None = None) -> str:
    """Create and confirm a one-line document in the caller's transaction; returns its number."""
    doc_id = create_document(session, actor, kind, warehouse_id, to_warehouse_id=to_warehouse_id,
                             lines=[LineInput(product_id, quantity, unit_cost=unit_cost, unit=unit)])
    return confirm(session, actor, doc_id, at=at)
