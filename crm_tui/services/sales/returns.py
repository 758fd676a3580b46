"""Sales returns (销售退货) against a confirmed stock-out.

A draft offers every stock-out line with what is still returnable (shipped − confirmed returns); the clerk keeps
part of it. Confirming, in one transaction: the stock-out is locked (two returns of it queue), the quantities
are checked again, each line gets its share of the stock-out line's amounts and of the cost the goods left with
(the stock-out's own moves; the last unit back takes the rest, so a whole return gives back exactly what left),
the ledger posts the in-moves at that cost (``doc_type = "sales_return"``), and the return's ``gross_total``
becomes a credit of the customer (services/sales/return_credits.py). Cancelling posts the exact reversal and the
credit lapses with the status.
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
from crm_tui.core.errors import ValidationError
from crm_tui.core.money import plain as _plain
from crm_tui.core.money import round_money
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.products import Product
from crm_tui.db.models.returns import SalesReturn, SalesReturnLine
from crm_tui.db.models.sales import SalesOrder, SalesOrderLine, SalesStockOut, SalesStockOutLine
from crm_tui.db.models.stock import StockMove, Warehouse
from crm_tui.i18n import _
from crm_tui.services.common import list_filters as lf
from crm_tui.services.sales import documents as docs
from crm_tui.services.sales import permissions as perms
from crm_tui.services.sales.pricing import parse_quantity
from crm_tui.services.sales.stock_outs import DOC_TYPE as OUT_DOC_TYPE
from crm_tui.services.sales.stock_outs import load_stock_out
from crm_tui.services.stock import ledger as stock_ledger
from crm_tui.services.stock.ledger import MoveSpec
from crm_tui.services.stock.units import factor_of

ZERO = Decimal(0)
DOC_TYPE = "sales_return"  # the stock ledger's document type of a sales return

docs.KIND_NAMES.setdefault("sales_returns", "sales return")




def _what(ret: SalesReturn) -> str:
    return _("sales return {number}").format(number=docs.label(ret))


def load_return(session: Session, actor: Actor, return_id: int, *, lock: bool = False) -> SalesReturn:
    ret = docs.load(session, SalesReturn, return_id, lock=lock)
    perms.require_customer(session, actor, ret.customer_id, _what(ret), shipping=True)
    return ret


@dataclass(frozen=True)
class ReturnableLine:
    """A stock-out line as the return dialog offers it."""

    stock_out_line_id: int
    line_no: int
    product_id: int
    product_code: str
    product_name: str
    unit: str | None
    shipped: Decimal
    returned: Decimal  # by confirmed returns
    quantity: Decimal = ZERO  # the draft's quantity (dialog default)

    @property
    def left(self) -> Decimal:
        return self.shipped - self.returned

    @property
    def where(self) -> str:
        return _("Line {n} ({code})").format(n=self.line_no, code=f"{self.product_code} {self.product_name}")


def _returned(session: Session, line_ids) -> dict[int, tuple[Decimal, Decimal, Decimal, Decimal]]:
    """(quantity, net, gross, cost) already returned per stock-out line by confirmed returns."""
    rows = session.execute(
        select(SalesReturnLine.stock_out_line_id, func.sum(SalesReturnLine.quantity),
               func.sum(SalesReturnLine.net_amount), func.sum(SalesReturnLine.gross_amount),
               func.sum(SalesReturnLine.cost_amount))
        .join(SalesReturn, SalesReturn.id == SalesReturnLine.return_id)
        .where(SalesReturnLine.stock_out_line_id.in_(list(line_ids)), SalesReturn.status == "confirmed")
        .group_by(SalesReturnLine.stock_out_line_id)).all()
    return {k: (q or ZERO, n or ZERO, g or ZERO, c or ZERO) for k, q, n, g, c in rows}


def returnable(session: Session, actor: Actor, out_id: int, *, draft_id: int | None = None) -> list[ReturnableLine]:
    """Every line of a stock-out with what has shipped and what confirmed returns took back already."""
    out = load_stock_out(session, actor, out_id)
    rows = session.execute(select(SalesStockOutLine, Product.code, Product.name, Product.unit)
                           .join(Product, Product.id == SalesStockOutLine.product_id)
                           .where(SalesStockOutLine.stock_out_id == out.id)
                           .order_by(SalesStockOutLine.line_no)).all()
    done = _returned(session, [ln.id for ln, *_rest in rows])
    in_draft: dict[int, Decimal] = {}
    if draft_id is not None:
        for ln in _lines(session, draft_id):
            in_draft[ln.stock_out_line_id] = ln.quantity
    out_lines = []
    for ln, code, name, unit in rows:
        back = done.get(ln.id, (ZERO,))[0]
        default = in_draft.get(ln.id, ZERO) if draft_id is not None else ln.quantity - back
        out_lines.append(ReturnableLine(ln.id, ln.line_no, ln.product_id, code, name, getattr(ln, "unit", None) or unit,
                                        ln.quantity, back, default))
    return out_lines


def pick(offered: list[ReturnableLine], quantities: dict[int, object] | None) -> dict[int, Decimal]:
    """The quantities to return per stock-out line id (None: everything returnable; 0 or blank: skipped).
    More than is returnable is refused naming the line."""
    picked: dict[int, Decimal] = {}
    for rl in offered:
        raw = rl.left if quantities is None else quantities.get(rl.stock_out_line_id)
        if _blank_or_zero(raw):
            continue
        qty = parse_quantity(raw, rl.where)
        if qty > rl.left:
            raise ValidationError(_("{what}: {qty} to return but only {left} is returnable "
                                    "({shipped} shipped, {returned} returned).").format(
                what=rl.where, qty=_plain(qty), left=_plain(rl.left), shipped=_plain(rl.shipped),
                returned=_plain(rl.returned)), field="quantity")
        picked[rl.stock_out_line_id] = qty
    if quantities is not None:
        unknown = set(quantities) - {rl.stock_out_line_id for rl in offered}
        if unknown:
            raise ValidationError(_("Not a line of this stock-out: {id}").format(id=min(unknown)), field="lines")
    if not picked:
        raise ValidationError(_("Nothing to return: give at least one line a quantity."), field="lines")
    return picked


def by_product(offered: list[ReturnableLine], wanted: dict[str, object]) -> dict[int, object]:
    """Quantities typed per product code spread over the stock-out's lines of that product, in line order."""
    out: dict[int, object] = {}
    for code, raw in wanted.items():
        lines = [rl for rl in offered if rl.product_code == code]
        if not lines:
            raise ValidationError(_("Product {code} is not on this stock-out.").format(code=code), field="lines")
        qty = parse_quantity(raw, code)
        for rl in lines:
            take = qty if rl is lines[-1] else min(qty, rl.left)
            if take > 0:
                out[rl.stock_out_line_id] = take
            qty -= take
    return out


def _blank_or_zero(raw: object) -> bool:
    text = "" if raw is None else str(raw).strip()
    try:
        return not text or Decimal(text) == 0
    except ArithmeticError:
        return False


def _lines(session: Session, return_id: int) -> list[SalesReturnLine]:
    return list(session.scalars(select(SalesReturnLine).where(SalesReturnLine.return_id == return_id)
                                .order_by(SalesReturnLine.line_no)))


def _line_rows(session: Session, picked: dict[int, Decimal]) -> list[dict]:
    src = {ln.id: (ln, ol) for ln, ol in session.execute(
        select(SalesStockOutLine, SalesOrderLine).join(SalesOrderLine, SalesOrderLine.id == SalesStockOutLine.order_line_id)
        .where(SalesStockOutLine.id.in_(list(picked))).order_by(SalesStockOutLine.line_no))}
    units = dict(session.execute(select(Product.id, Product.unit).where(
        Product.id.in_({ln.product_id for ln, _ol in src.values()}))).all())
    rows = []
    for n, (line_id, (ln, ol)) in enumerate(src.items(), start=1):
        rows.append({"line_no": n, "stock_out_line_id": line_id, "product_id": ln.product_id,
                     "warehouse_id": ln.warehouse_id, "quantity": picked[line_id],
                     "unit": ln.unit or units.get(ln.product_id), "unit_factor": factor_of(ln),
                     "net_price": ol.net_price, "gross_price": ol.gross_price, "tax_rate": ol.tax_rate})
    return rows


def create_return(session: Session, actor: Actor, out_id: int, quantities: dict[int, object] | None = None, *,
                  reason: str | None = None, return_date: date | None = None, remarks: str | None = None) -> int:
    """A draft return of a confirmed stock-out (``quantities`` per stock-out line id; None: all returnable)."""
    perms.require(actor, "sales.ship")
    out = load_stock_out(session, actor, out_id)
    docs.require_status(out, "confirmed", action="return")
    picked = pick(returnable(session, actor, out.id), quantities)
    ret = SalesReturn(customer_id=out.customer_id, stock_out_id=out.id, warehouse_id=out.warehouse_id,
                      status="draft", return_date=return_date or clock.today(), reason=docs.clean(reason, 300),
                      remarks=docs.clean(remarks), created_by=actor.id)
    session.add(ret)
    session.flush()
    session.add_all(SalesReturnLine(return_id=ret.id, **r) for r in _line_rows(session, picked))
    session.flush()
    _value(session, ret, _lines(session, ret.id))
    return ret.id


def _draft(session: Session, actor: Actor, return_id: int) -> SalesReturn:
    perms.require(actor, "sales.ship")
    ret = load_return(session, actor, return_id, lock=True)
    docs.require_status(ret, "draft", action="change")
    return ret


def update_draft(session: Session, actor: Actor, return_id: int, quantities: dict[int, object], *,
                 reason: str | None = None) -> None:
    """Change a draft's quantities (per stock-out line id) and reason."""
    ret = _draft(session, actor, return_id)
    picked = pick(returnable(session, actor, ret.stock_out_id), quantities)
    session.execute(delete(SalesReturnLine).where(SalesReturnLine.return_id == ret.id))
    session.add_all(SalesReturnLine(return_id=ret.id, **r) for r in _line_rows(session, picked))
    if reason is not None:
        ret.reason = docs.clean(reason, 300)
    session.flush()
    _value(session, ret, _lines(session, ret.id))


def delete_draft(session: Session, actor: Actor, return_id: int) -> None:
    session.delete(_draft(session, actor, return_id))
    session.flush()


def _left_cost(session: Session, out: SalesStockOut) -> dict[int, tuple[Decimal, Decimal]]:
    """(base quantity, cost) each stock-out line took out of the ledger, from the stock-out's own moves."""
    rows = session.execute(
        select(StockMove.line_id, func.sum(StockMove.quantity), func.sum(StockMove.amount))
        .where(StockMove.doc_type == OUT_DOC_TYPE, StockMove.doc_id == out.id, StockMove.is_reversal.is_(False),
               StockMove.line_id.is_not(None))
        .group_by(StockMove.line_id)).all()
    return {k: (-(q or ZERO), -(a or ZERO)) for k, q, a in rows}


def _share(total: Decimal, before: Decimal, qty: Decimal, back_before: Decimal, whole: Decimal) -> Decimal:
    """A returned quantity's share of ``total``; the return that completes the line takes what is left."""
    if back_before + qty == whole:
        return total - before
    return round_money(total * qty / whole)


def _value(session: Session, ret: SalesReturn, lines: list[SalesReturnLine]) -> None:
    """Each line's share of its stock-out line's amounts and cost, after the confirmed returns; the totals."""
    out = session.get(SalesStockOut, ret.stock_out_id)
    src = {ln.id: ln for ln in session.scalars(select(SalesStockOutLine).where(
        SalesStockOutLine.id.in_({ln.stock_out_line_id for ln in lines})))}
    done = _returned(session, list(src))
    left_with = _left_cost(session, out)
    for ln in lines:
        s = src[ln.stock_out_line_id]
        back_q, back_net, back_gross, back_cost = done.get(s.id, (ZERO, ZERO, ZERO, ZERO))
        net = _share(s.net_amount, back_net, ln.quantity, back_q, s.quantity)
        gross = _share(s.gross_amount, back_gross, ln.quantity, back_q, s.quantity)
        cost = _share(left_with.get(s.id, (ZERO, s.cost_amount))[1], back_cost, ln.quantity, back_q, s.quantity)
        ln.net_amount, ln.tax_amount, ln.gross_amount, ln.cost_amount = net, gross - net, gross, cost
    docs.set_totals(ret, lines)
    ret.cost_total = sum((ln.cost_amount for ln in lines), ZERO)
    session.flush()


def confirm_return(session: Session, actor: Actor, return_id: int, *, at: datetime | None = None) -> str:
    """Take the goods back at the cost they left with and credit the customer (module doc). Returns the number."""
    from crm_tui.services.common.numbering import take_number

    ret = _draft(session, actor, return_id)
    out = docs.load(session, SalesStockOut, ret.stock_out_id, lock=True)  # returns of one stock-out queue here
    docs.require_status(out, "confirmed", action="return")
    lines = _lines(session, ret.id)
    if not lines:
        raise ValidationError(_("The document has no lines."), field="lines")
    offered = {rl.stock_out_line_id: rl for rl in returnable(session, actor, out.id)}
    pick(list(offered.values()), {ln.stock_out_line_id: ln.quantity for ln in lines})  # still returnable?
    _value(session, ret, lines)
    number = take_number(session, "sales_return", on=docs.number_day(at, ret.return_date))
    stock_ledger.post(session, DOC_TYPE, ret.id, number,
                      [MoveSpec(ln.warehouse_id, ln.product_id, ln.quantity * factor_of(ln), amount=ln.cost_amount,
                                line_id=ln.id) for ln in lines], moved_at=at)
    docs.mark_confirmed(ret, actor, number, at)
    session.flush()
    return number


def cancel_return(session: Session, actor: Actor, return_id: int, reason: str | None = None) -> None:
    """Take the goods out again (the exact reversal of the moves); the customer's credit lapses with it."""
    perms.require(actor, "sales.ship")
    ret = load_return(session, actor, return_id, lock=True)
    docs.require_status(ret, "confirmed", action="cancel")
    stock_ledger.reverse_document(session, DOC_TYPE, ret.id, ret.number)
    docs.mark_cancelled(ret, actor, reason)
    session.flush()


# --- reading ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnLineView:
    id: int
    line_no: int
    stock_out_line_id: int
    product_code: str
    product_name: str
    spec: str | None
    unit: str | None
    unit_factor: Decimal
    warehouse_code: str
    quantity: Decimal
    net_price: Decimal
    gross_price: Decimal
    tax_rate: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal
    cost_amount: Decimal

    def as_json(self) -> dict:
        return {"line_no": self.line_no, "product_code": self.product_code, "product_name": self.product_name,
                "unit": self.unit, "quantity": _plain(self.quantity), "warehouse": self.warehouse_code,
                "gross_price": f"{self.gross_price:.2f}", "tax_rate": _plain(self.tax_rate),
                "net_amount": f"{self.net_amount:.2f}", "tax_amount": f"{self.tax_amount:.2f}",
                "gross_amount": f"{self.gross_amount:.2f}", "cost_amount": f"{self.cost_amount:.2f}"}


@dataclass(frozen=True)
class ReturnView:
    id: int
    number: str | None
    status: str
    customer_id: int
    customer_code: str
    customer_name: str
    stock_out_id: int
    stock_out_number: str | None
    warehouse_code: str
    return_date: date
    reason: str | None
    remarks: str | None
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    cost_total: Decimal
    version: int
    lines: list[ReturnLineView] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"number": self.number, "status": self.status, "customer_code": self.customer_code,
                "customer_name": self.customer_name, "stock_out": self.stock_out_number,
                "warehouse": self.warehouse_code, "return_date": self.return_date.isoformat(), "reason": self.reason,
                "net_total": f"{self.net_total:.2f}", "tax_total": f"{self.tax_total:.2f}",
                "gross_total": f"{self.gross_total:.2f}", "cost_total": f"{self.cost_total:.2f}",
                "lines": [ln.as_json() for ln in self.lines]}


def get_return(session: Session, actor: Actor, return_id: int) -> ReturnView:
    r = load_return(session, actor, return_id)
    customer = session.get(Customer, r.customer_id)
    out = session.get(SalesStockOut, r.stock_out_id)
    wh = session.get(Warehouse, r.warehouse_id)
    rows = session.execute(
        select(SalesReturnLine, Product.code, Product.name, Product.spec, Warehouse.code)
        .join(Product, Product.id == SalesReturnLine.product_id)
        .join(Warehouse, Warehouse.id == SalesReturnLine.warehouse_id)
        .where(SalesReturnLine.return_id == r.id).order_by(SalesReturnLine.line_no)).all()
    lines = [ReturnLineView(ln.id, ln.line_no, ln.stock_out_line_id, code, name, spec, ln.unit, ln.unit_factor, whc,
                            ln.quantity, ln.net_price, ln.gross_price, ln.tax_rate, ln.net_amount, ln.tax_amount,
                            ln.gross_amount, ln.cost_amount) for ln, code, name, spec, whc in rows]
    return ReturnView(r.id, r.number, r.status, r.customer_id, customer.code, customer.name, out.id, out.number,
                      wh.code, r.return_date, r.reason, r.remarks, r.net_total, r.tax_total, r.gross_total,
                      r.cost_total, r.version, lines)


def find_return(session: Session, actor: Actor, key: str | int) -> int:
    return_id = docs.find_id(session, SalesReturn, key)
    load_return(session, actor, return_id)
    return return_id


@dataclass(frozen=True)
class ReturnRow:
    id: int
    number: str | None
    status: str
    return_date: date
    customer_code: str
    customer_name: str
    stock_out_number: str | None
    gross_total: Decimal
    reason: str | None

    def as_json(self) -> dict:
        return {"number": self.number, "status": self.status, "return_date": self.return_date.isoformat(),
                "customer_code": self.customer_code, "customer_name": self.customer_name,
                "stock_out": self.stock_out_number, "gross_total": f"{self.gross_total:.2f}", "reason": self.reason}


def list_returns(session: Session, actor: Actor, *, status: str | None = None, customer_id: int | None = None,
                 stock_out_id: int | None = None, date_from: date | None = None, date_to: date | None = None,
                 text: str = "", limit: int = 200, offset: int = 0) -> list[ReturnRow]:
    stmt = (select(SalesReturn.id, SalesReturn.number, SalesReturn.status, SalesReturn.return_date, Customer.code,
                   Customer.name, SalesStockOut.number, SalesReturn.gross_total, SalesReturn.reason)
            .join(Customer, Customer.id == SalesReturn.customer_id)
            .join(SalesStockOut, SalesStockOut.id == SalesReturn.stock_out_id)
            .where(perms.visible_clause(session, actor, SalesReturn.customer_id, shipping=True))
            .order_by(SalesReturn.return_date.desc(), SalesReturn.id.desc()).limit(limit).offset(offset))
    stmt = lf.equal_to(stmt, (SalesReturn.status, status), (SalesReturn.customer_id, customer_id),
                       (SalesReturn.stock_out_id, stock_out_id))
    stmt = lf.between(stmt, SalesReturn.return_date, date_from, date_to)
    stmt = lf.search(stmt, text, SalesReturn.number, SalesStockOut.number, Customer.name, SalesReturn.reason)
    return [ReturnRow(*r) for r in session.execute(stmt)]


def order_numbers(session: Session, return_id: int) -> list[str]:
    """The orders the returned goods were sold on (for the printed return)."""
    rows = session.scalars(select(SalesOrder.number).distinct()
                           .join(SalesOrderLine, SalesOrderLine.order_id == SalesOrder.id)
                           .join(SalesStockOutLine, SalesStockOutLine.order_line_id == SalesOrderLine.id)
                           .join(SalesReturnLine, SalesReturnLine.stock_out_line_id == SalesStockOutLine.id)
                           .where(SalesReturnLine.return_id == return_id))
    return sorted(n for n in rows if n)


def returned_by_line(session: Session, out_id: int) -> dict[int, Decimal]:
    """Quantities confirmed returns took back per stock-out line (the stock-out's detail shows them)."""
    ids = session.scalars(select(SalesStockOutLine.id).where(SalesStockOutLine.stock_out_id == out_id)).all()
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for k, (q, *_rest) in _returned(session, ids).items():
        totals[k] = q
    return dict(totals)
