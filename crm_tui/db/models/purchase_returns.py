"""Purchase returns (采购退货): goods of a confirmed purchase receipt sent back to the supplier, partially.

A confirmed return takes the goods out of stock at the cost they came in with and lowers what we owe the
supplier (the payables) by its amount; cancelling it reverses both."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DateTime, String, Text
from sqlmodel import Field

from crm_tui.db.base import Audited, Base, Timestamped, Versioned
from crm_tui.db.types import Money, Quantity

PURCHASE_RETURN_STATUSES = ("draft", "confirmed", "cancelled")


class PurchaseReturn(Audited, Versioned, Timestamped, Base, table=True):
    """采购退货单: draft → confirmed → cancelled (reversed)."""

    __tablename__ = "purchase_returns"

    id: int | None = Field(default=None, primary_key=True)
    number: str | None = Field(default=None, sa_type=String(40), unique=True)
    status: str = Field(default="draft", sa_type=String(16), index=True)
    supplier_id: int = Field(foreign_key="suppliers.id", index=True)
    receipt_id: int = Field(foreign_key="purchase_receipts.id", index=True)
    warehouse_id: int = Field(foreign_key="warehouses.id")
    doc_date: date = Field(default_factory=date.today)
    reason: str | None = Field(default=None, sa_type=String(300))
    # Totals: the sums of the lines, set when the return is confirmed (tax-inclusive amount_gross is the debit).
    amount_net: Decimal = Field(default=Decimal(0), sa_type=Money)
    tax: Decimal = Field(default=Decimal(0), sa_type=Money)
    amount_gross: Decimal = Field(default=Decimal(0), sa_type=Money)
    cost: Decimal = Field(default=Decimal(0), sa_type=Money)  # the stock value taken out
    remarks: str | None = Field(default=None, sa_type=Text)
    created_by: int | None = None
    confirmed_by: int | None = None
    confirmed_at: datetime | None = Field(default=None, sa_type=DateTime)
    cancelled_by: int | None = None
    cancelled_at: datetime | None = Field(default=None, sa_type=DateTime)


class PurchaseReturnLine(Audited, Base, table=True):
    """``quantity`` and ``unit_price`` are in the line's unit; the ledger moves quantity × unit_factor."""

    __tablename__ = "purchase_return_lines"

    id: int | None = Field(default=None, primary_key=True)
    return_id: int = Field(foreign_key="purchase_returns.id", ondelete="CASCADE", index=True)
    receipt_line_id: int = Field(foreign_key="purchase_receipt_lines.id", index=True)
    product_id: int = Field(foreign_key="products.id")
    quantity: Decimal = Field(sa_type=Quantity)
    unit: str | None = Field(default=None, sa_type=String(16))
    unit_factor: Decimal = Field(default=Decimal(1), sa_type=Quantity)
    unit_price: Decimal = Field(default=Decimal(0), sa_type=Money)  # net, per line unit
    amount_net: Decimal = Field(default=Decimal(0), sa_type=Money)
    tax: Decimal = Field(default=Decimal(0), sa_type=Money)
    amount_gross: Decimal = Field(default=Decimal(0), sa_type=Money)
    cost: Decimal = Field(default=Decimal(0), sa_type=Money)
