"""Warehouses, stock documents and the stock ledger (库存).

The ledger (``stock_moves``) is the truth: one signed row per product per warehouse per document line.
``stock_balances`` caches on-hand quantity and value per warehouse and product; it is written only by
``services/stock/ledger.py`` in the transaction that writes the moves, and ``crm db check`` verifies it
equals the sum of the moves.

Unit costs are kept to six decimal places (``UnitCost``); values (quantity × cost) are money, exact to the
fen. A move's ``amount`` is authoritative: a balance's value is exactly the sum of its moves' amounts.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DateTime, Index, String, Text, UniqueConstraint
from sqlmodel import Field

from crm_tui.db.base import Audited, Base, Timestamped, Versioned, utcnow
from crm_tui.db.models.units import FACTOR_ONE, UnitFactor
from crm_tui.db.types import Money, Quantity, ScaledDecimal

# Document kinds handled by the stock documents service; the mask of each is in config numbering.
STOCK_DOCUMENT_KINDS = ("stock_in", "stock_out", "requisition", "transfer", "stocktake", "sample", "loan",
                        "loan_return")
DOCUMENT_STATUSES = ("draft", "confirmed", "cancelled")


class UnitCost(ScaledDecimal):
    """A cost per unit, exact to six decimal places (an average of 10.00 / 3 is 3.333333)."""

    cache_ok = True
    scale = 6


class Warehouse(Audited, Versioned, Timestamped, Base, table=True):
    __tablename__ = "warehouses"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(32), unique=True)
    name: str = Field(sa_type=String(100))
    address: str | None = Field(default=None, sa_type=String(300))
    keeper: str | None = Field(default=None, sa_type=String(64))  # 仓管员
    active: bool = Field(default=True)
    remarks: str | None = Field(default=None, sa_type=Text)


class StockDocument(Audited, Versioned, Timestamped, Base, table=True):
    """其他入库 / 其他出库 / 领料 / 调拨 / 盘点 / 样品单 / 借出单 / 归还单: draft → confirmed → cancelled."""

    __tablename__ = "stock_documents"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_type=String(20), index=True)
    number: str | None = Field(default=None, sa_type=String(40), unique=True)  # taken at confirmation
    status: str = Field(default="draft", sa_type=String(16), index=True)
    warehouse_id: int = Field(foreign_key="warehouses.id", index=True)
    to_warehouse_id: int | None = Field(default=None, foreign_key="warehouses.id")  # transfers only
    customer_id: int | None = Field(default=None, foreign_key="customers.id", index=True)  # samples, loans
    recipient: str | None = Field(default=None, sa_type=String(100))  # requisition: who or which department took it
    doc_date: date = Field(default_factory=date.today)
    remarks: str | None = Field(default=None, sa_type=Text)
    created_by: int | None = None
    confirmed_by: int | None = None
    confirmed_at: datetime | None = Field(default=None, sa_type=DateTime)
    cancelled_by: int | None = None
    cancelled_at: datetime | None = Field(default=None, sa_type=DateTime)
    cancel_reason: str | None = Field(default=None, sa_type=String(300))


class StockDocumentLine(Audited, Base, table=True):
    __tablename__ = "stock_document_lines"
    __table_args__ = (UniqueConstraint("document_id", "line_no"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="stock_documents.id", ondelete="CASCADE")
    line_no: int = Field()
    product_id: int = Field(foreign_key="products.id", index=True)
    # Always positive; the kind says which way it moves. Stocktaking: counted − book (may be negative).
    quantity: Decimal = Field(default=Decimal(0), sa_type=Quantity)
    unit_cost: Decimal | None = Field(default=None, sa_type=UnitCost)  # stock-in: the cost entered
    book_quantity: Decimal | None = Field(default=None, sa_type=Quantity)  # stocktaking: on hand when the sheet was made
    counted_quantity: Decimal | None = Field(default=None, sa_type=Quantity)  # stocktaking: what was counted
    remarks: str | None = Field(default=None, sa_type=String(300))
    unit: str | None = Field(default=None, sa_type=String(20))  # the line's unit (models/units.py)
    unit_factor: Decimal = Field(default=Decimal(1), sa_type=UnitFactor, sa_column_kwargs={"server_default": FACTOR_ONE})


class StockMove(Base, table=True):
    """One signed movement of one product in one warehouse. Never updated, never deleted."""

    __tablename__ = "stock_moves"
    __table_args__ = (
        Index("ix_stock_moves_wh_product", "warehouse_id", "product_id"),
        Index("ix_stock_moves_product_time", "product_id", "moved_at"),
        Index("ix_stock_moves_doc", "doc_type", "doc_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    warehouse_id: int = Field(foreign_key="warehouses.id")
    product_id: int = Field(foreign_key="products.id")
    quantity: Decimal = Field(sa_type=Quantity)  # + in, − out, 0 for a revaluation
    unit_cost: Decimal = Field(sa_type=UnitCost)
    amount: Decimal = Field(sa_type=Money)  # signed value of the move
    # The document that caused it: a stock document kind, or e.g. purchase_receipt (any area may post).
    doc_type: str = Field(sa_type=String(32))
    doc_id: int = Field()
    doc_number: str | None = Field(default=None, sa_type=String(40))
    line_id: int | None = None
    is_reversal: bool = Field(default=False)
    moved_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    user_id: int | None = None


class StockBalance(Base, table=True):
    """Cached on-hand per warehouse and product, updated in the transaction that writes the moves."""

    __tablename__ = "stock_balances"

    warehouse_id: int = Field(foreign_key="warehouses.id", primary_key=True)
    product_id: int = Field(foreign_key="products.id", primary_key=True, index=True)
    quantity: Decimal = Field(default=Decimal(0), sa_type=Quantity)
    value: Decimal = Field(default=Decimal(0), sa_type=Money)
    # The moving-average unit cost; kept when the quantity reaches zero so the next out-move has a cost.
    unit_cost: Decimal = Field(default=Decimal(0), sa_type=UnitCost)
    last_in_at: datetime | None = Field(default=None, sa_type=DateTime)
    last_out_at: datetime | None = Field(default=None, sa_type=DateTime)
