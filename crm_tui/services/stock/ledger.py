"""The stock ledger: posting signed moves and keeping the cached balances exact.

Every stock change in the application goes through ``post()``, inside the caller's transaction:

1. the balance rows the moves touch are created if missing and locked in one consistent order
   (warehouse id, product id) — ``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the write transaction
   already holds the database's write lock (BEGIN IMMEDIATE), so a second writer waits for the first;
2. each move is valued at the moving-average cost of its warehouse and product (see below);
3. a move that would take on-hand below zero is refused (unless ``[stock] allow_negative``), and nothing of
   the document is written;
4. the moves are inserted and the balances updated in the same transaction.

Costing (moving average per warehouse and product): a balance holds a quantity and a value (money). An
in-move adds its amount (quantity × cost, rounded to the fen); an out-move takes the proportional share of the
value, ``round(value × qty / on_hand)``, and the last unit out takes exactly what is left, so a balance at zero
quantity is at zero value. A transfer carries the amount it took out of one warehouse into the other. A
reversal posts the exact opposite quantity and amount of the original moves; if that leaves a zero quantity
with a value (or a negative value), a quantity-0 revaluation move clears it so the average stays meaningful.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, insert, select, text, tuple_, update
from sqlalchemy.orm import Session

from crm_tui.config import get_settings
from crm_tui.core.errors import ValidationError
from crm_tui.core.money import plain as _plain
from crm_tui.core.money import round_money
from crm_tui.db.base import utcnow
from crm_tui.db.models.stock import StockBalance, StockMove
from crm_tui.i18n import _, n_
from crm_tui.services.common.checks import invariant

ZERO = Decimal(0)
COST_PLACES = 6
LOCK_CHUNK = 400  # key pairs per locking query (SQLite limits bound parameters)


@dataclass(frozen=True)
class MoveSpec:
    """One move to post. ``quantity`` is signed (+ in, − out, 0 revaluation)."""

    warehouse_id: int
    product_id: int
    quantity: Decimal
    unit_cost: Decimal | None = None  # in-moves: the cost per unit; None: the current average
    amount: Decimal | None = None  # an exact signed value (reversals, transfer-in, returns); wins over cost
    line_id: int | None = None


@dataclass(frozen=True)
class PostedMove:
    warehouse_id: int
    product_id: int
    quantity: Decimal
    unit_cost: Decimal
    amount: Decimal
    line_id: int | None


@dataclass
class _Balance:
    quantity: Decimal
    value: Decimal
    unit_cost: Decimal
    start_quantity: Decimal
    last_in_at: datetime | None = None
    last_out_at: datetime | None = None


def allow_negative() -> bool:
    return bool(get_settings().get("stock", {}).get("allow_negative", False))


def _cost(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-COST_PLACES))


def _ensure_rows(session: Session, keys: list[tuple[int, int]]) -> None:
    if session.bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    stmt = dialect_insert(StockBalance.__table__).on_conflict_do_nothing()
    session.connection().execute(stmt, [{"warehouse_id": w, "product_id": p, "quantity": ZERO, "value": ZERO,
                            "unit_cost": ZERO} for w, p in keys])


def lock_balances(session: Session, keys: list[tuple[int, int]]) -> dict[tuple[int, int], _Balance]:
    """Create missing balance rows and lock them all, in (warehouse, product) order."""
    keys = sorted(set(keys))
    found = _lock_existing(session, keys)
    missing = [k for k in keys if k not in found]
    if missing:  # a product's first move in a warehouse
        _ensure_rows(session, missing)
        found.update(_lock_existing(session, missing))
    return found


def _lock_existing(session: Session, keys: list[tuple[int, int]]) -> dict[tuple[int, int], _Balance]:
    found: dict[tuple[int, int], _Balance] = {}
    cols = (StockBalance.warehouse_id, StockBalance.product_id, StockBalance.quantity, StockBalance.value,
            StockBalance.unit_cost)
    for start in range(0, len(keys), LOCK_CHUNK):
        chunk = keys[start:start + LOCK_CHUNK]
        stmt = (select(*cols).where(tuple_(StockBalance.warehouse_id, StockBalance.product_id).in_(chunk))
                .order_by(StockBalance.warehouse_id, StockBalance.product_id).with_for_update())
        for w, p, q, v, c in session.execute(stmt):
            found[(w, p)] = _Balance(q, v, c, q)
    return found


def _fallback_cost(session: Session, product_id: int) -> Decimal:
    from crm_tui.db.models.products import Product

    price = session.scalar(select(Product.purchase_price).where(Product.id == product_id))
    return price or ZERO


def _value_in(session: Session, bal: _Balance, spec: MoveSpec) -> tuple[Decimal, Decimal]:
    """(amount, unit cost) of an in-move."""
    if spec.amount is not None:
        return spec.amount, _cost(abs(spec.amount / spec.quantity))
    cost = spec.unit_cost
    if cost is None:
        cost = bal.unit_cost if bal.unit_cost else _fallback_cost(session, spec.product_id)
    return round_money(spec.quantity * cost), _cost(cost)


def _value_out(bal: _Balance, spec: MoveSpec) -> tuple[Decimal, Decimal]:
    """(amount, unit cost) of an out-move: a proportional share of the value; the last unit takes the rest."""
    qty = -spec.quantity
    if spec.amount is not None:
        return spec.amount, _cost(abs(spec.amount / spec.quantity))
    if bal.quantity > 0 and qty == bal.quantity:
        return -bal.value, _cost(bal.value / qty)
    if bal.quantity > qty:
        amount = round_money(bal.value * qty / bal.quantity)
        return -amount, _cost(amount / qty)
    # Going below zero (allowed by the settings): value what is missing at the last known average.
    held = max(bal.quantity, ZERO)
    amount = bal.value if held else ZERO
    amount += round_money((qty - held) * bal.unit_cost)
    return -amount, bal.unit_cost


def _apply(bal: _Balance, qty: Decimal, amount: Decimal, unit_cost: Decimal, now: datetime | None) -> None:
    bal.quantity += qty
    bal.value += amount
    if bal.quantity > 0:
        bal.unit_cost = _cost(bal.value / bal.quantity)
    elif qty > 0:
        bal.unit_cost = unit_cost
    if now is not None and qty > 0:
        bal.last_in_at = now
    elif now is not None and qty < 0:
        bal.last_out_at = now


def post(session: Session, doc_type: str, doc_id: int, doc_number: str | None, specs: list[MoveSpec], *,
         is_reversal: bool = False, moved_at: datetime | None = None, negative_ok: bool | None = None,
         locked: dict[tuple[int, int], _Balance] | None = None) -> list[PostedMove]:
    """Post ``specs`` as one set of moves of a document, in the caller's transaction.

    ``locked``: balances the caller already locked with ``lock_balances`` (a transfer locks both warehouses
    at once); they must cover every spec, and they are updated in place.
    """
    if not specs:
        return []
    now = moved_at or utcnow()
    keys = {(s.warehouse_id, s.product_id) for s in specs}
    if locked is None:
        balances = lock_balances(session, list(keys))
    else:
        balances = {k: locked[k] for k in keys}
        for bal in balances.values():
            bal.start_quantity = bal.quantity  # the negative-stock check compares with before this posting
    posted: list[PostedMove] = []
    for spec in specs:
        bal = balances[(spec.warehouse_id, spec.product_id)]
        if spec.quantity > 0:
            amount, unit_cost = _value_in(session, bal, spec)
        elif spec.quantity < 0:
            amount, unit_cost = _value_out(bal, spec)
        else:
            amount, unit_cost = spec.amount or ZERO, ZERO
        # A reversal is not a real in or out: it leaves the last-in/last-out dates (slow movers) alone.
        _apply(bal, spec.quantity, amount, unit_cost, None if is_reversal else now)
        posted.append(PostedMove(spec.warehouse_id, spec.product_id, spec.quantity, unit_cost, amount,
                                 spec.line_id))
    _refuse_negative(session, balances, negative_ok)
    posted += _revaluations(balances)
    actor = session.info.get("actor")
    session.connection().execute(insert(StockMove.__table__), [
        {"warehouse_id": m.warehouse_id, "product_id": m.product_id, "quantity": m.quantity,
         "unit_cost": m.unit_cost, "amount": m.amount, "doc_type": doc_type, "doc_id": doc_id,
         "doc_number": doc_number, "line_id": m.line_id, "is_reversal": is_reversal, "moved_at": now,
         "user_id": getattr(actor, "id", None)} for m in posted])
    _write_balances(session, balances)
    return posted


def _revaluations(balances: dict[tuple[int, int], _Balance]) -> list[PostedMove]:
    """Quantity-0 moves that clear a value left on zero stock (or a negative value) after a reversal."""
    out = []
    for (w, p), bal in balances.items():
        if (bal.quantity == 0 and bal.value != 0) or (bal.quantity > 0 and bal.value < 0):
            out.append(PostedMove(w, p, ZERO, ZERO, -bal.value, None))
            bal.value = ZERO
            if bal.quantity > 0:
                bal.unit_cost = ZERO
    return out


def _refuse_negative(session: Session, balances: dict[tuple[int, int], _Balance], negative_ok: bool | None) -> None:
    if negative_ok if negative_ok is not None else allow_negative():
        return
    short = [(k, b) for k, b in balances.items() if b.quantity < 0 and b.quantity < b.start_quantity]
    if not short:
        return
    from crm_tui.db.models.products import Product
    from crm_tui.db.models.stock import Warehouse

    (w, p), bal = short[0]
    code = session.scalar(select(Product.code).where(Product.id == p))
    wh = session.scalar(select(Warehouse.code).where(Warehouse.id == w))
    needed = bal.start_quantity - bal.quantity
    raise ValidationError(
        _("Not enough stock of {product} in warehouse {warehouse}: {on_hand} on hand, {needed} needed.").format(
            product=code, warehouse=wh, on_hand=_plain(bal.start_quantity), needed=_plain(needed))
        + ("" if len(short) == 1 else " " + n_("({n} more product is short.)", "({n} more products are short.)", len(short) - 1).format(
            n=len(short) - 1)),
        field="quantity")



def _write_balances(session: Session, balances: dict[tuple[int, int], _Balance]) -> None:
    from sqlalchemy import DateTime, func

    rows = [{"w": w, "p": p, "q": b.quantity, "v": b.value, "c": b.unit_cost, "li": b.last_in_at,
             "lo": b.last_out_at} for (w, p), b in balances.items()]
    stmt = (update(StockBalance)
            .where(StockBalance.warehouse_id == bindparam("w"), StockBalance.product_id == bindparam("p"))
            .values(quantity=bindparam("q", type_=StockBalance.quantity.type),
                    value=bindparam("v", type_=StockBalance.value.type),
                    unit_cost=bindparam("c", type_=StockBalance.unit_cost.type),
                    last_in_at=func.coalesce(bindparam("li", type_=DateTime), StockBalance.last_in_at),
                    last_out_at=func.coalesce(bindparam("lo", type_=DateTime), StockBalance.last_out_at)))
    session.connection().execute(stmt, rows)


def set_number(session: Session, doc_type: str, doc_id: int, doc_number: str) -> None:
    """Give a document's moves, posted before its number was taken, that number (same transaction)."""
    session.connection().execute(update(StockMove.__table__).where(
        StockMove.doc_type == doc_type, StockMove.doc_id == doc_id, StockMove.doc_number.is_(None))
        .values(doc_number=doc_number))


def reverse_document(session: Session, doc_type: str, doc_id: int, doc_number: str | None,
                     negative_ok: bool | None = None) -> list[PostedMove]:
    """Post the exact opposite of every move a document made (its cancellation)."""
    rows = session.execute(
        select(StockMove.warehouse_id, StockMove.product_id, StockMove.quantity, StockMove.amount,
               StockMove.line_id)
        .where(StockMove.doc_type == doc_type, StockMove.doc_id == doc_id, StockMove.is_reversal.is_(False))
        .order_by(StockMove.id)).all()
    # Undo in-moves, out-moves and revaluations alike by their exact amounts, in the opposite order.
    specs = [MoveSpec(w, p, -q, amount=-a, line_id=line) for w, p, q, a, line in reversed(rows)]
    return post(session, doc_type, doc_id, doc_number, specs, is_reversal=True, negative_ok=negative_ok)


def on_hand(session: Session, warehouse_id: int, product_id: int) -> Decimal:
    q = session.scalar(select(StockBalance.quantity).where(StockBalance.warehouse_id == warehouse_id,
                                                           StockBalance.product_id == product_id))
    return q if q is not None else ZERO


# --- invariants (crm db check) --------------------------------------------------------------------

@invariant("stock balances equal the sum of their moves")
def check_balances(session: Session) -> list[str]:
    sums = {(w, p): (q, v) for w, p, q, v in session.execute(text(
        "SELECT warehouse_id, product_id, SUM(quantity), SUM(amount) FROM stock_moves "
        "GROUP BY warehouse_id, product_id"))}
    problems = []
    seen = set()
    for w, p, q, v in session.execute(text("SELECT warehouse_id, product_id, quantity, value FROM stock_balances")):
        seen.add((w, p))
        mq, mv = sums.get((w, p), (0, 0))
        if int(q) != int(mq) or int(v) != int(mv):
            problems.append(f"warehouse {w} product {p}: balance {q}/{v} but moves sum to {mq}/{mv} "
                            "(quantity in 1/10000 units, value in fen)")
    for key, (mq, mv) in sums.items():
        if key not in seen:
            problems.append(f"warehouse {key[0]} product {key[1]}: moves without a balance row ({mq}/{mv})")
    return problems


@invariant("zero stock carries zero value")
def check_zero_value(session: Session) -> list[str]:
    rows = session.execute(select(StockBalance.warehouse_id, StockBalance.product_id, StockBalance.value)
                           .where(StockBalance.quantity == 0, StockBalance.value != 0)).all()
    return [f"warehouse {w} product {p}: no stock but a value of {v}" for w, p, v in rows]


@invariant("no negative stock unless the settings allow it")
def check_negative(session: Session) -> list[str]:
    if allow_negative():
        return []
    rows = session.execute(select(StockBalance.warehouse_id, StockBalance.product_id, StockBalance.quantity)
                           .where(StockBalance.quantity < 0)).all()
    return [f"warehouse {w} product {p}: on hand {q}" for w, p, q in rows]
