"""Sales returns (销售退货) and red-letter invoices (红字发票).

A return takes back part of a confirmed stock-out: its lines point at the stock-out lines they return, carry the
source line's unit, unit factor, prices and tax rate, and their amounts are each line's share of the stock-out
line's amounts. Confirming posts ledger in-moves (``doc_type = "sales_return"``) at the cost the goods left with
and credits the customer with ``gross_total``; cancelling reverses both.

A red-letter invoice is a negative invoice raised against a recorded one (partly or wholly), optionally for a
return; the invoiced total of an order counts it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Index, String, UniqueConstraint
from sqlmodel import Field

from crm_tui.db.base import Audited, Base, Timestamped, Versioned
from crm_tui.db.models.sales import ZERO, UnitPrice, _Document, _Totals
from crm_tui.db.types import Money, Quantity, Rate


class SalesReturn(_Document, _Totals, Audited, Versioned, Timestamped, Base, table=True):
    """销售退货单: draft → confirmed → cancelled."""

    __tablename__ = "sales_returns"
    __table_args__ = (Index("ix_sales_returns_customer_date", "customer_id", "return_date", "status", "gross_total"),)

    customer_id: int = Field(foreign_key="customers.id")
    stock_out_id: int = Field(foreign_key="sales_stock_outs.id", index=True)
    warehouse_id: int = Field(foreign_key="warehouses.id")
    return_date: date = Field(default_factory=date.today, index=True)
    reason: str | None = Field(default=None, sa_type=String(300))
    cost_total: Decimal = Field(default=ZERO, sa_type=Money)


class SalesReturnLine(Audited, Base, table=True):
    __tablename__ = "sales_return_lines"
    __table_args__ = (UniqueConstraint("return_id", "line_no"),)

    id: int | None = Field(default=None, primary_key=True)
    return_id: int = Field(foreign_key="sales_returns.id", ondelete="CASCADE")
    line_no: int = Field()
    stock_out_line_id: int = Field(foreign_key="sales_stock_out_lines.id", index=True)
    product_id: int = Field(foreign_key="products.id", index=True)
    warehouse_id: int = Field(foreign_key="warehouses.id")
    quantity: Decimal = Field(sa_type=Quantity)  # in the line's unit
    unit: str | None = Field(default=None, sa_type=String(16))
    unit_factor: Decimal = Field(default=Decimal(1), sa_type=Quantity)  # base units per line unit
    net_price: Decimal = Field(default=ZERO, sa_type=UnitPrice)
    gross_price: Decimal = Field(default=ZERO, sa_type=UnitPrice)
    tax_rate: Decimal = Field(default=ZERO, sa_type=Rate)
    net_amount: Decimal = Field(default=ZERO, sa_type=Money)
    tax_amount: Decimal = Field(default=ZERO, sa_type=Money)
    gross_amount: Decimal = Field(default=ZERO, sa_type=Money)
    cost_amount: Decimal = Field(default=ZERO, sa_type=Money)
    remarks: str | None = Field(default=None, sa_type=String(300))


class RedInvoice(_Document, Audited, Versioned, Timestamped, Base, table=True):
    """红字发票: negative amounts against an invoice; numbered when recorded, cancelled, never edited."""

    __tablename__ = "sales_red_invoices"

    customer_id: int = Field(foreign_key="customers.id", index=True)
    invoice_id: int = Field(foreign_key="sales_invoices.id", index=True)
    order_id: int | None = Field(default=None, foreign_key="sales_orders.id", index=True)
    return_id: int | None = Field(default=None, foreign_key="sales_returns.id", index=True)
    invoice_date: date = Field(index=True)
    tax_rate: Decimal = Field(sa_type=Rate)
    net_amount: Decimal = Field(sa_type=Money)  # negative
    tax_amount: Decimal = Field(sa_type=Money)
    gross_amount: Decimal = Field(sa_type=Money)
    reason: str = Field(sa_type=String(300))
