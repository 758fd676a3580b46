"""Stock analysis: on-hand by warehouse and product, stock value, a product's movement history, slow movers.

Everything reads the cached balances (exact by construction, checked by ``crm db check``) except the
movement history, which reads the ledger itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import BigInteger, and_, func, select, type_coerce
from sqlalchemy.orm import Session

from crm_tui.config import get_settings
from crm_tui.db.base import utcnow
from crm_tui.db.models.products import Product
from crm_tui.db.models.stock import StockBalance, StockMove, UnitCost, Warehouse
from crm_tui.db.types import Money, Quantity

ZERO = Decimal(0)


class OnHandRow(NamedTuple):  # a NamedTuple: an overview builds tens of thousands (5x faster than frozen)
    warehouse_id: int
    warehouse_code: str
    product_id: int
    product_code: str
    product_name: str
    spec: str | None
    unit: str | None
    category: str | None
    quantity: Decimal
    unit_cost: Decimal
    value: Decimal

    def as_json(self) -> dict:
        return {"warehouse": self.warehouse_code, "product_code": self.product_code,
                "quantity": str(self.quantity), "unit_cost": str(self.unit_cost), "value": str(self.value)}


def onhand_query(*, warehouse_id: int | None = None, product_id: int | None = None, category: str | None = None,
                 include_zero: bool = False, search: str | None = None, raw: bool = False):
    """The overview's SELECT. ``raw``: quantity, unit cost and value as the stored integers (see ``onhand``)."""
    amounts = (StockBalance.quantity, StockBalance.unit_cost, StockBalance.value)
    if raw:
        amounts = tuple(type_coerce(c, BigInteger).label(c.key) for c in amounts)
    stmt = (select(StockBalance.warehouse_id, Warehouse.code, StockBalance.product_id, Product.code, Product.name,
                   Product.spec, Product.unit, Product.category, *amounts)
            .join(Warehouse, Warehouse.id == StockBalance.warehouse_id)
            .join(Product, Product.id == StockBalance.product_id))
    if warehouse_id is not None:
        stmt = stmt.where(StockBalance.warehouse_id == warehouse_id)
    if product_id is not None:
        stmt = stmt.where(StockBalance.product_id == product_id)
    if category:
        stmt = stmt.where(Product.category == category)
    if search and search.strip():
        from crm_tui.services.stock.products import search_clause

        stmt = stmt.where(search_clause(search))
    if not include_zero:
        stmt = stmt.where((StockBalance.quantity != 0) | (StockBalance.value != 0))
    return stmt


def onhand(session: Session, *, warehouse_id: int | None = None, product_id: int | None = None,
           category: str | None = None, include_zero: bool = False, search: str | None = None,
           limit: int | None = None, offset: int = 0) -> list[OnHandRow]:
    """On-hand quantity, moving-average unit cost and value per warehouse and product, by code."""
    stmt = onhand_query(warehouse_id=warehouse_id, product_id=product_id, category=category,
                        include_zero=include_zero, search=search, raw=True).order_by(Warehouse.code, Product.code)
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    # A full overview is tens of thousands of rows: Core execution (no ORM row loading), the three amounts
    # fetched as their stored integers and scaled here in one pass (the column types' per-value processing
    # would cost as much again).
    scaleb, make = Decimal.scaleb, OnHandRow._make
    qs, cs, vs = -Quantity.scale, -UnitCost.scale, -Money.scale
    return [make((w, wc, p, pc, name, spec, unit, cat, scaleb(Decimal(q), qs), scaleb(Decimal(c), cs),
                  scaleb(Decimal(v), vs)))
            for w, wc, p, pc, name, spec, unit, cat, q, c, v in session.connection().execute(stmt)]


def onhand_count(session: Session, **filters) -> tuple[int, Decimal]:
    """(rows, total value) of what ``onhand`` would list with the same filters (for a paged overview)."""
    sub = onhand_query(**filters).subquery()
    n, v = session.execute(select(func.count(), func.sum(sub.c.value))).one()
    return n, v if v is not None else Decimal("0.00")


@dataclass(frozen=True)
class WarehouseValue:
    warehouse_id: int
    warehouse_code: str
    warehouse_name: str
    products: int
    value: Decimal


def value_by_warehouse(session: Session) -> list[WarehouseValue]:
    """Stock value per warehouse (every warehouse, also empty ones)."""
    sums = (select(StockBalance.warehouse_id, func.count().label("n"), func.sum(StockBalance.value).label("v"))
            .where(StockBalance.quantity != 0).group_by(StockBalance.warehouse_id).subquery())
    stmt = (select(Warehouse.id, Warehouse.code, Warehouse.name, sums.c.n, sums.c.v)
            .outerjoin(sums, sums.c.warehouse_id == Warehouse.id).order_by(Warehouse.code))
    return [WarehouseValue(i, c, n, k or 0, v if v is not None else Decimal("0.00"))
            for i, c, n, k, v in session.execute(stmt)]


class MoveRow(NamedTuple):
    id: int
    moved_at: datetime
    warehouse_code: str
    doc_type: str
    doc_number: str | None
    quantity: Decimal
    unit_cost: Decimal
    amount: Decimal
    balance: Decimal  # running on-hand after this move (in the warehouse, or overall if none was given)
    is_reversal: bool


def movement_history(session: Session, product_id: int, warehouse_id: int | None = None,
                     since: datetime | None = None, limit: int = 1000) -> list[MoveRow]:
    """A product's moves, oldest first, with the running balance."""
    base = [StockMove.product_id == product_id]
    if warehouse_id is not None:
        base.append(StockMove.warehouse_id == warehouse_id)
    opening = ZERO
    if since is not None:
        opening = session.scalar(select(func.sum(StockMove.quantity)).where(*base, StockMove.moved_at < since)) \
            or ZERO
        base.append(StockMove.moved_at >= since)
    stmt = (select(StockMove.id, StockMove.moved_at, Warehouse.code, StockMove.doc_type, StockMove.doc_number,
                   StockMove.quantity, StockMove.unit_cost, StockMove.amount, StockMove.is_reversal)
            .join(Warehouse, Warehouse.id == StockMove.warehouse_id)
            .where(and_(*base)).order_by(StockMove.moved_at, StockMove.id).limit(limit))
    out, running = [], opening
    for i, at, wh, dt, num, q, c, a, rev in session.execute(stmt):
        running += q
        out.append(MoveRow(i, at, wh, dt, num, q, c, a, running, rev))
    return out


@dataclass(frozen=True)
class SlowMover:
    warehouse_code: str
    product_code: str
    product_name: str
    quantity: Decimal
    value: Decimal
    last_out_at: datetime | None


def slow_movers(session: Session, days: int | None = None, warehouse_id: int | None = None,
                now: datetime | None = None) -> list[SlowMover]:
    """Stock with no out-move in ``days`` days (default from ``[stock] slow_mover_days``), most value first."""
    days = days if days is not None else int(get_settings().get("stock", {}).get("slow_mover_days", 90))
    cutoff = (now or utcnow()) - timedelta(days=days)
    stmt = (select(Warehouse.code, Product.code, Product.name, StockBalance.quantity, StockBalance.value,
                   StockBalance.last_out_at)
            .join(Warehouse, Warehouse.id == StockBalance.warehouse_id)
            .join(Product, Product.id == StockBalance.product_id)
            .where(StockBalance.quantity > 0,
                   (StockBalance.last_out_at.is_(None)) | (StockBalance.last_out_at < cutoff))
            .order_by(StockBalance.value.desc(), Product.code))
    if warehouse_id is not None:
        stmt = stmt.where(StockBalance.warehouse_id == warehouse_id)
    return [SlowMover(*r) for r in session.execute(stmt)]
