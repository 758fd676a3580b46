"""Safety-stock alarms (安全库存报警): products under their safety stock, per warehouse.

A product's safety stock is its default for every active warehouse, unless the warehouse has its own figure
(``product_safety_stock``; 0 exempts the warehouse). A product with no stock in a warehouse counts as 0 there.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import func, literal, select, true
from sqlalchemy.orm import Session

from crm_tui.db.models.products import Product, SafetyStock
from crm_tui.db.models.stock import StockBalance, Warehouse
from crm_tui.db.types import Quantity


class Alarm(NamedTuple):
    warehouse_id: int
    warehouse_code: str
    product_id: int
    product_code: str
    product_name: str
    spec: str | None
    unit: str | None
    safety_stock: Decimal
    quantity: Decimal

    @property
    def shortage(self) -> Decimal:
        return self.safety_stock - self.quantity

    def as_json(self) -> dict:
        return {"warehouse": self.warehouse_code, "product_code": self.product_code,
                "product_name": self.product_name, "safety_stock": str(self.safety_stock),
                "quantity": str(self.quantity), "shortage": str(self.shortage)}


def _query(warehouse_id: int | None = None):
    safety = func.coalesce(SafetyStock.quantity, Product.safety_stock, type_=Quantity)
    qty = func.coalesce(StockBalance.quantity, literal(0), type_=Quantity)
    stmt = (select(Warehouse.id, Warehouse.code, Product.id, Product.code, Product.name, Product.spec,
                   Product.unit, safety, qty)
            .select_from(Warehouse).join(Product, true())
            .outerjoin(SafetyStock, (SafetyStock.product_id == Product.id)
                       & (SafetyStock.warehouse_id == Warehouse.id))
            .outerjoin(StockBalance, (StockBalance.product_id == Product.id)
                       & (StockBalance.warehouse_id == Warehouse.id))
            .where(Warehouse.active.is_(True), Product.active.is_(True), safety > 0, qty < safety))
    if warehouse_id is not None:
        stmt = stmt.where(Warehouse.id == warehouse_id)
    return stmt


def alarms(session: Session, warehouse_id: int | None = None) -> list[Alarm]:
    stmt = _query(warehouse_id).order_by(Warehouse.code, Product.code)
    return [Alarm(*r) for r in session.execute(stmt)]


def alarm_count(session: Session) -> int:
    """For the status line."""
    return session.scalar(select(func.count()).select_from(_query().subquery()))


def status_text(session: Session, actor) -> str | None:
    """The status line piece: how many products are under their safety stock (None when none are)."""
    from crm_tui.i18n import _

    n = alarm_count(session)
    return _("Stock alarms: {n}").format(n=n) if n else None
