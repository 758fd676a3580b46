"""Units of measure (计量单位): a product's other units and how many base units (``products.unit``) each holds.

Document lines keep the unit they were written in (``unit``) and its factor (``unit_factor``); their quantity
and price are per that unit, and the stock ledger always moves ``quantity × unit_factor`` base units.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field

from crm_tui.db.base import Audited, Base
from crm_tui.db.types import ScaledDecimal


class UnitFactor(ScaledDecimal):
    """Base units per unit, exact to six decimal places (1 箱 = 12 瓶: 12; 1 瓶 of a 箱-based product: 0.5)."""

    cache_ok = True
    scale = 6


FACTOR_ONE = "1000000"  # server default of ``unit_factor`` columns: 1 in UnitFactor's stored form


class ProductUnit(Audited, Base, table=True):
    __tablename__ = "product_units"
    __table_args__ = (UniqueConstraint("product_id", "unit"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="products.id", ondelete="CASCADE", index=True)
    unit: str = Field(sa_type=String(20))
    factor: Decimal = Field(sa_type=UnitFactor)  # base units per this unit, > 0
    barcode: str | None = Field(default=None, sa_type=String(64), index=True)
