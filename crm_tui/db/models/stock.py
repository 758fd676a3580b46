"""Warehouses, stock documents and the stock ledger (库存).

The ledger (``stock_moves``) is the truth: one signed row per product per warehouse per document line.
``stock_balances`` caches on-hand quantity and value per warehouse and product; it is written only by
``services/stock_ledger.py`` in the transaction that writes the moves, and ``crm db check`` verifies it
equals the sum of the moves.

Unit costs are kept to six decimal places (``UnitCost``); values (quantity × cost) are money, exact to the
fen. A move's ``amount`` is authoritative: a balance's value is exactly the sum of its moves' amounts.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm_tui.db.base import Audited, Base, Timestamped, Versioned, utcnow
from crm_tui.db.types import Money, Quantity, ScaledDecimal

# Document kinds handled by the stock documents service; the mask of each is in config numbering.
STOCK_DOCUMENT_KINDS = ("stock_in", "stock_out", "requisition", "transfer", "stocktake", "sample", "loan",
                        "loan_return")
DOCUMENT_STATUSES = ("draft", "confirmed", "cancelled")


class UnitCost(ScaledDecimal):
    """A cost per unit, exact to six decimal places (an average of 10.00 / 3 is 3.333333)."""

    cache_ok = True
    scale = 6


class Warehouse(Audited, Versioned, Timestamped, Base):
    __tablename__ = "warehouses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    address: Mapped[str | None] = mapped_column(String(300))
    keeper: Mapped[str | None] = mapped_column(String(64))  # 仓管员
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    remarks: Mapped[str | None] = mapped_column(Text)


class StockDocument(Audited, Versioned, Timestamped, Base):
    """其他入库 / 其他出库 / 领料 / 调拨 / 盘点 / 样品单 / 借出单 / 归还单: draft → confirmed → cancelled."""

    __tablename__ = "stock_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    number: Mapped[str | None] = mapped_column(String(40), unique=True)  # taken at confirmation
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft", index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), nullable=False, index=True)
    to_warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))  # transfers only
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)  # samples, loans
    recipient: Mapped[str | None] = mapped_column(String(100))  # requisition: who or which department took it
    doc_date: Mapped[date] = mapped_column(Date, nullable=False, default=date.today)
    remarks: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(Integer)
    confirmed_by: Mapped[int | None] = mapped_column(Integer)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancelled_by: Mapped[int | None] = mapped_column(Integer)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(300))


class StockDocumentLine(Audited, Base):
    __tablename__ = "stock_document_lines"
    __table_args__ = (UniqueConstraint("document_id", "line_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("stock_documents.id", ondelete="CASCADE"), nullable=False)
    line_no: Mapped[int] = mapped_column(Integer, nullable=False)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), nullable=False, index=True)
    # Always positive; the kind says which way it moves. Stocktaking: counted − book (may be negative).
    quantity: Mapped[Decimal] = mapped_column(Quantity, nullable=False, default=Decimal(0))
    unit_cost: Mapped[Decimal | None] = mapped_column(UnitCost)  # stock-in: the cost entered
    book_quantity: Mapped[Decimal | None] = mapped_column(Quantity)  # stocktaking: on hand when the sheet was made
    counted_quantity: Mapped[Decimal | None] = mapped_column(Quantity)  # stocktaking: what was counted
    remarks: Mapped[str | None] = mapped_column(String(300))


class StockMove(Base):
    """One signed movement of one product in one warehouse. Never updated, never deleted."""

    __tablename__ = "stock_moves"
    __table_args__ = (
        Index("ix_stock_moves_wh_product", "warehouse_id", "product_id"),
        Index("ix_stock_moves_product_time", "product_id", "moved_at"),
        Index("ix_stock_moves_doc", "doc_type", "doc_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), nullable=False)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), nullable=False)
    quantity: Mapped[Decimal] = mapped_column(Quantity, nullable=False)  # + in, − out, 0 for a revaluation
    unit_cost: Mapped[Decimal] = mapped_column(UnitCost, nullable=False)
    amount: Mapped[Decimal] = mapped_column(Money, nullable=False)  # signed value of the move
    # The document that caused it: a stock document kind, or e.g. purchase_receipt (any area may post).
    doc_type: Mapped[str] = mapped_column(String(32), nullable=False)
    doc_id: Mapped[int] = mapped_column(Integer, nullable=False)
    doc_number: Mapped[str | None] = mapped_column(String(40))
    line_id: Mapped[int | None] = mapped_column(Integer)
    is_reversal: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    moved_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(Integer)


class StockBalance(Base):
    """Cached on-hand per warehouse and product, updated in the transaction that writes the moves."""

    __tablename__ = "stock_balances"

    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True, index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity, nullable=False, default=Decimal(0))
    value: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    # The moving-average unit cost; kept when the quantity reaches zero so the next out-move has a cost.
    unit_cost: Mapped[Decimal] = mapped_column(UnitCost, nullable=False, default=Decimal(0))
    last_in_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_out_at: Mapped[datetime | None] = mapped_column(DateTime)
