"""The sales flow (销售): quotes, sales orders, delivery notices, sales stock-outs, tracking numbers, receipts and
their applications to orders, invoices, expense claims and approvals.

Documents move draft → confirmed (numbered) → done, or → cancelled; a confirmed document is never edited or
deleted. Headers keep the totals of their lines (the sums of the rounded lines), written in the same
transaction as the lines, so lists and receivables read one row per document.

Stock is never kept here: a confirmed sales stock-out posts its moves through ``services/stock_ledger.py``
(``doc_type = "sales_out"``) and a cancellation posts their exact reversal.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm_tui.db.base import Audited, Base, Timestamped, Versioned, utcnow
from crm_tui.db.types import Money, Quantity, Rate, ScaledDecimal

ZERO = Decimal(0)
DOCUMENT_STATUSES = ("draft", "confirmed", "done", "cancelled")
ORDER_STATUSES = ("draft", "pending_approval", "confirmed", "done", "cancelled")
EXPENSE_STATUSES = ("draft", "pending_approval", "approved", "rejected", "cancelled")
PRICE_BASES = ("net", "gross")  # the price entered: 单价 (net of tax) or 含税单价 (tax-inclusive)
INVOICE_KINDS = ("ordinary", "special")  # 普票, 专票
ACCOUNT_KINDS = ("bank", "cash", "wechat", "alipay", "other")
APPROVAL_KINDS = ("order_discount", "expense")
APPROVAL_STATUSES = ("pending", "approved", "rejected", "withdrawn")


class UnitPrice(ScaledDecimal):
    """A price per unit, exact to six decimal places (a tax-inclusive 168.00 is 148.672566 net at 13%)."""

    cache_ok = True
    scale = 6


class _Document:
    """Columns every numbered sales document has."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str | None] = mapped_column(String(40), unique=True)  # taken at confirmation
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="draft", index=True)
    remarks: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(Integer)
    confirmed_by: Mapped[int | None] = mapped_column(Integer)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancelled_by: Mapped[int | None] = mapped_column(Integer)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(300))


class _Totals:
    net_total: Mapped[Decimal] = mapped_column(Money, nullable=False, default=ZERO)
    tax_total: Mapped[Decimal] = mapped_column(Money, nullable=False, default=ZERO)
    gross_total: Mapped[Decimal] = mapped_column(Money, nullable=False, default=ZERO)


class _PricedLine:
    """A line priced by the money rules (services/sales_pricing.py).

    ``entered_price`` is what the clerk typed, on ``price_basis``; ``net_price`` and ``gross_price`` are the unit
    prices after the discount (both shown); the amounts are rounded half-up to the fen per line.
    ``list_price`` is the product's price on the same basis when the line was written: the discount a line
    gives (for the approval limits) is measured against it.
    """

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    line_no: Mapped[int] = mapped_column(Integer, nullable=False)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), nullable=False, index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity, nullable=False)
    price_basis: Mapped[str] = mapped_column(String(8), nullable=False, default="net")
    entered_price: Mapped[Decimal] = mapped_column(UnitPrice, nullable=False)
    discount: Mapped[Decimal] = mapped_column(Rate, nullable=False, default=ZERO)  # 0.05 = 5% off
    tax_rate: Mapped[Decimal] = mapped_column(Rate, nullable=False)
    net_price: Mapped[Decimal] = mapped_column(UnitPrice, nullable=False)
    gross_price: Mapped[Decimal] = mapped_column(UnitPrice, nullable=False)
    list_price: Mapped[Decimal | None] = mapped_column(UnitPrice)
    net_amount: Mapped[Decimal] = mapped_column(Money, nullable=False)
    tax_amount: Mapped[Decimal] = mapped_column(Money, nullable=False)
    gross_amount: Mapped[Decimal] = mapped_column(Money, nullable=False)
    delivery_date: Mapped[date | None] = mapped_column(Date)
    remarks: Mapped[str | None] = mapped_column(String(300))


# --- quotes and orders ------------------------------------------------------------------------------


class Quote(_Document, _Totals, Audited, Versioned, Timestamped, Base):
    """报价单: draft → confirmed → done (turned into an order) or cancelled."""

    __tablename__ = "quotes"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), nullable=False, index=True)
    contact_name: Mapped[str | None] = mapped_column(String(64))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # the salesperson
    quote_date: Mapped[date] = mapped_column(Date, nullable=False, default=date.today, index=True)
    valid_until: Mapped[date | None] = mapped_column(Date)
    terms: Mapped[str | None] = mapped_column(Text)
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id"))


class QuoteLine(_PricedLine, Audited, Base):
    __tablename__ = "quote_lines"
    __table_args__ = (UniqueConstraint("quote_id", "line_no"),)

    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"), nullable=False)


class SalesOrder(_Document, _Totals, Audited, Versioned, Timestamped, Base):
    """销售订单 / 合同: draft → (pending_approval →) confirmed → done, or cancelled.

    ``external_ref`` is the customer's or the clerk's own order number (订单号), kept from an import; it is
    unique per customer, which is what makes re-importing a file harmless.
    """

    __tablename__ = "sales_orders"
    __table_args__ = (
        UniqueConstraint("customer_id", "external_ref"),
        # Covers the receivables' grouped sums (customer, date, status, amount): no table look-ups.
        Index("ix_sales_orders_customer_date", "customer_id", "order_date", "status", "gross_total"),
    )

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), nullable=False)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id"), index=True)
    external_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    contact_name: Mapped[str | None] = mapped_column(String(64))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    order_date: Mapped[date] = mapped_column(Date, nullable=False, default=date.today, index=True)
    delivery_date: Mapped[date | None] = mapped_column(Date)
    delivery_address: Mapped[str | None] = mapped_column(String(300))
    payment_terms: Mapped[str | None] = mapped_column(String(200))
    # The largest discount a manager approved for this order (approvals.py); None when none was needed.
    approved_discount: Mapped[Decimal | None] = mapped_column(Rate)
    approved_by: Mapped[int | None] = mapped_column(Integer)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    # shipped: every line went out; closed: ended by hand (the rest will not ship)
    done_reason: Mapped[str | None] = mapped_column(String(16))


class SalesOrderLine(_PricedLine, Audited, Base):
    __tablename__ = "sales_order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "line_no"),
        Index("ix_sales_order_lines_order", "order_id"),
    )

    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id", ondelete="CASCADE"), nullable=False)
    # Sum of the confirmed stock-out lines against this line, kept by the stock-out service in the same
    # transaction (``crm db check`` verifies it).
    shipped_quantity: Mapped[Decimal] = mapped_column(Quantity, nullable=False, default=ZERO)


# --- delivery -----------------------------------------------------------------------------------------


class DeliveryNotice(_Document, Audited, Versioned, Timestamped, Base):
    """发货通知: which order lines may ship and how much. draft → confirmed → done (all shipped) / cancelled."""

    __tablename__ = "delivery_notices"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), nullable=False, index=True)
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    notice_date: Mapped[date] = mapped_column(Date, nullable=False, default=date.today, index=True)
    ship_by: Mapped[date | None] = mapped_column(Date)
    address: Mapped[str | None] = mapped_column(String(300))
    contact_name: Mapped[str | None] = mapped_column(String(64))
    contact_phone: Mapped[str | None] = mapped_column(String(32))


class DeliveryNoticeLine(Audited, Base):
    __tablename__ = "delivery_notice_lines"
    __table_args__ = (UniqueConstraint("notice_id", "line_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("delivery_notices.id", ondelete="CASCADE"), nullable=False)
    line_no: Mapped[int] = mapped_column(Integer, nullable=False)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("sales_order_lines.id"), nullable=False, index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity, nullable=False)
    shipped_quantity: Mapped[Decimal] = mapped_column(Quantity, nullable=False, default=ZERO)
    remarks: Mapped[str | None] = mapped_column(String(300))


class SalesStockOut(_Document, _Totals, Audited, Versioned, Timestamped, Base):
    """销售出库单: goods of one customer's orders leaving the warehouses. draft → confirmed → cancelled.

    The totals are the sale value of what shipped (each line's share of its order line), which is what the
    receivables count on the stock-out basis; ``cost_total`` is what the ledger took out at moving average.
    """

    __tablename__ = "sales_stock_outs"
    __table_args__ = (Index("ix_sales_stock_outs_customer_date", "customer_id", "out_date", "status", "gross_total"),)

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), nullable=False)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), nullable=False)  # default of lines
    out_date: Mapped[date] = mapped_column(Date, nullable=False, default=date.today, index=True)
    address: Mapped[str | None] = mapped_column(String(300))
    contact_name: Mapped[str | None] = mapped_column(String(64))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    cost_total: Mapped[Decimal] = mapped_column(Money, nullable=False, default=ZERO)


class SalesStockOutLine(Audited, Base):
    __tablename__ = "sales_stock_out_lines"
    __table_args__ = (UniqueConstraint("stock_out_id", "line_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stock_out_id: Mapped[int] = mapped_column(ForeignKey("sales_stock_outs.id", ondelete="CASCADE"),
                                              nullable=False)
    line_no: Mapped[int] = mapped_column(Integer, nullable=False)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("sales_order_lines.id"), nullable=False, index=True)
    notice_line_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_notice_lines.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), nullable=False, index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), nullable=False)
    quantity: Mapped[Decimal] = mapped_column(Quantity, nullable=False)
    net_amount: Mapped[Decimal] = mapped_column(Money, nullable=False, default=ZERO)
    tax_amount: Mapped[Decimal] = mapped_column(Money, nullable=False, default=ZERO)
    gross_amount: Mapped[Decimal] = mapped_column(Money, nullable=False, default=ZERO)
    cost_amount: Mapped[Decimal] = mapped_column(Money, nullable=False, default=ZERO)
    remarks: Mapped[str | None] = mapped_column(String(300))


class TrackingNumber(Audited, Base):
    """快递单号: a courier's tracking number for a stock-out, an order or an invoice sent by post."""

    __tablename__ = "tracking_numbers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), nullable=False, index=True)
    stock_out_id: Mapped[int | None] = mapped_column(ForeignKey("sales_stock_outs.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("sales_invoices.id"), index=True)
    courier: Mapped[str] = mapped_column(String(64), nullable=False)  # 顺丰, 中通, 德邦 …
    number: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    shipped_on: Mapped[date] = mapped_column(Date, nullable=False, default=date.today)
    remarks: Mapped[str | None] = mapped_column(String(300))
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)


# --- money --------------------------------------------------------------------------------------------


class ReceiptAccount(Audited, Versioned, Timestamped, Base):
    """Where money arrives: a bank account, the cash box, WeChat, Alipay …"""

    __tablename__ = "receipt_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default="bank")
    bank: Mapped[str | None] = mapped_column(String(100))
    account_no: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class Receipt(_Document, Audited, Versioned, Timestamped, Base):
    """到款: money received from a customer. Confirmed when recorded; cancelled, never deleted.

    ``amount`` is in ``currency``; ``amount_cny = round(amount × rate, 2)`` is what the customer is credited.
    ``fee`` (RMB) is what the bank kept: our cost, not the customer's credit. The part not applied to orders
    (``receipt_applications``) is an advance (预收款).
    """

    __tablename__ = "receipts"
    __table_args__ = (Index("ix_receipts_customer_date", "customer_id", "received_on", "status", "amount_cny"),)

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), nullable=False)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # customer's salesperson
    received_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="CNY")
    amount: Mapped[Decimal] = mapped_column(Money, nullable=False)
    rate: Mapped[Decimal] = mapped_column(Rate, nullable=False, default=Decimal(1))
    amount_cny: Mapped[Decimal] = mapped_column(Money, nullable=False)
    fee: Mapped[Decimal] = mapped_column(Money, nullable=False, default=ZERO)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("receipt_accounts.id"))
    method: Mapped[str | None] = mapped_column(String(32))  # 银行转账, 现金, 微信, 支付宝, 承兑汇票 …
    reference: Mapped[str | None] = mapped_column(String(64))  # the bank's or payer's reference
    # A fingerprint of an imported row: importing the same file again adds nothing.
    import_key: Mapped[str | None] = mapped_column(String(64), unique=True)


class ReceiptApplication(Audited, Base):
    """Part of a receipt set against an order (several receipts per order; an advance applied later)."""

    __tablename__ = "receipt_applications"
    __table_args__ = (UniqueConstraint("receipt_id", "order_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.id"), nullable=False)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), nullable=False, index=True)
    amount: Mapped[Decimal] = mapped_column(Money, nullable=False)  # RMB
    applied_on: Mapped[date] = mapped_column(Date, nullable=False, default=date.today)
    created_by: Mapped[int | None] = mapped_column(Integer)


class SalesInvoice(_Document, Audited, Versioned, Timestamped, Base):
    """发票: an invoice issued to a customer, usually for an order (several per order)."""

    __tablename__ = "sales_invoices"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), nullable=False, index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    invoice_no: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)  # the tax invoice's number
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default="special")
    invoice_date: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    tax_rate: Mapped[Decimal] = mapped_column(Rate, nullable=False)
    net_amount: Mapped[Decimal] = mapped_column(Money, nullable=False)
    tax_amount: Mapped[Decimal] = mapped_column(Money, nullable=False)
    gross_amount: Mapped[Decimal] = mapped_column(Money, nullable=False)


class ExpenseClaim(_Document, Audited, Versioned, Timestamped, Base):
    """费用报销: draft → pending_approval (numbered) → approved / rejected, or cancelled."""

    __tablename__ = "expense_claims"

    claimant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    category: Mapped[str] = mapped_column(String(32), nullable=False, index=True)  # 差旅费, 招待费 …
    amount: Mapped[Decimal] = mapped_column(Money, nullable=False)
    spent_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decision_comment: Mapped[str | None] = mapped_column(String(300))


class Approval(Audited, Base):
    """A request waiting for a manager (审批): an order's discount beyond the limit, an expense claim."""

    __tablename__ = "approvals"
    __table_args__ = (Index("ix_approvals_status_kind", "status", "kind"), Index("ix_approvals_doc", "kind", "doc_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    doc_id: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    summary: Mapped[str] = mapped_column(String(300), nullable=False)
    amount: Mapped[Decimal | None] = mapped_column(Money)
    discount: Mapped[Decimal | None] = mapped_column(Rate)
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    comment: Mapped[str | None] = mapped_column(String(300))
