"""The sales flow (销售): quotes, sales orders, delivery notices, sales stock-outs, tracking numbers, receipts and
their applications to orders, invoices, expense claims and approvals.

Documents move draft → confirmed (numbered) → done, or → cancelled; a confirmed document is never edited or
deleted. Headers keep the totals of their lines (the sums of the rounded lines), written in the same
transaction as the lines, so lists and receivables read one row per document.

Stock is never kept here: a confirmed sales stock-out posts its moves through ``services/stock/ledger.py``
(``doc_type = "sales_out"``) and a cancellation posts their exact reversal.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DateTime, Index, String, Text, UniqueConstraint
from sqlmodel import Field

from crm_tui.db.base import Audited, Base, Columns, Timestamped, Versioned, utcnow
from crm_tui.db.models.units import FACTOR_ONE, UnitFactor
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


class _Document(Columns):
    """Columns every numbered sales document has."""

    id: int | None = Field(default=None, primary_key=True)
    number: str | None = Field(default=None, sa_type=String(40), unique=True)  # taken at confirmation
    status: str = Field(default="draft", sa_type=String(20), index=True)
    remarks: str | None = Field(default=None, sa_type=Text)
    created_by: int | None = None
    confirmed_by: int | None = None
    confirmed_at: datetime | None = Field(default=None, sa_type=DateTime)
    cancelled_by: int | None = None
    cancelled_at: datetime | None = Field(default=None, sa_type=DateTime)
    cancel_reason: str | None = Field(default=None, sa_type=String(300))


class _Totals(Columns):
    net_total: Decimal = Field(default=ZERO, sa_type=Money)
    tax_total: Decimal = Field(default=ZERO, sa_type=Money)
    gross_total: Decimal = Field(default=ZERO, sa_type=Money)


class _PricedLine(Columns):
    """A line priced by the money rules (services/sales/pricing.py).

    ``entered_price`` is what the clerk typed, on ``price_basis``; ``net_price`` and ``gross_price`` are the unit
    prices after the discount (both shown); the amounts are rounded half-up to the fen per line.
    ``list_price`` is the product's price on the same basis when the line was written: the discount a line
    gives (for the approval limits) is measured against it.
    """

    id: int | None = Field(default=None, primary_key=True)
    line_no: int = Field()
    product_id: int = Field(foreign_key="products.id", index=True)
    quantity: Decimal = Field(sa_type=Quantity)
    price_basis: str = Field(default="net", sa_type=String(8))
    entered_price: Decimal = Field(sa_type=UnitPrice)
    discount: Decimal = Field(default=ZERO, sa_type=Rate)  # 0.05 = 5% off
    tax_rate: Decimal = Field(sa_type=Rate)
    net_price: Decimal = Field(sa_type=UnitPrice)
    gross_price: Decimal = Field(sa_type=UnitPrice)
    list_price: Decimal | None = Field(default=None, sa_type=UnitPrice)
    net_amount: Decimal = Field(sa_type=Money)
    tax_amount: Decimal = Field(sa_type=Money)
    gross_amount: Decimal = Field(sa_type=Money)
    delivery_date: date | None = None
    remarks: str | None = Field(default=None, sa_type=String(300))
    unit: str | None = Field(default=None, sa_type=String(20))  # the line's unit (models/units.py)
    unit_factor: Decimal = Field(default=Decimal(1), sa_type=UnitFactor, sa_column_kwargs={"server_default": FACTOR_ONE})


# --- quotes and orders ------------------------------------------------------------------------------


class Quote(_Document, _Totals, Audited, Versioned, Timestamped, Base, table=True):
    """报价单: draft → confirmed → done (turned into an order) or cancelled."""

    __tablename__ = "quotes"

    customer_id: int = Field(foreign_key="customers.id", index=True)
    contact_name: str | None = Field(default=None, sa_type=String(64))
    contact_phone: str | None = Field(default=None, sa_type=String(32))
    owner_id: int | None = Field(default=None, foreign_key="users.id", index=True)  # the salesperson
    quote_date: date = Field(default_factory=date.today, index=True)
    valid_until: date | None = None
    terms: str | None = Field(default=None, sa_type=Text)
    copied_from_id: int | None = Field(default=None, foreign_key="quotes.id")


class QuoteLine(_PricedLine, Audited, Base, table=True):
    __tablename__ = "quote_lines"
    __table_args__ = (UniqueConstraint("quote_id", "line_no"),)

    quote_id: int = Field(foreign_key="quotes.id", ondelete="CASCADE")


class SalesOrder(_Document, _Totals, Audited, Versioned, Timestamped, Base, table=True):
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

    customer_id: int = Field(foreign_key="customers.id")
    quote_id: int | None = Field(default=None, foreign_key="quotes.id", index=True)
    external_ref: str | None = Field(default=None, sa_type=String(64), index=True)
    contact_name: str | None = Field(default=None, sa_type=String(64))
    contact_phone: str | None = Field(default=None, sa_type=String(32))
    owner_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    order_date: date = Field(default_factory=date.today, index=True)
    delivery_date: date | None = None
    delivery_address: str | None = Field(default=None, sa_type=String(300))
    payment_terms: str | None = Field(default=None, sa_type=String(200))
    # The largest discount a manager approved for this order (approvals.py); None when none was needed.
    approved_discount: Decimal | None = Field(default=None, sa_type=Rate)
    approved_by: int | None = None
    done_at: datetime | None = Field(default=None, sa_type=DateTime)
    # shipped: every line went out; closed: ended by hand (the rest will not ship)
    done_reason: str | None = Field(default=None, sa_type=String(16))
    # Payment terms of this order (``30`` days, ``M30`` month-end + 30; None: the customer's) and the due date
    # they give, set at confirmation (services/sales/terms.py).
    terms: str | None = Field(default=None, sa_type=String(8))
    due_date: date | None = Field(default=None, index=True)


class SalesOrderLine(_PricedLine, Audited, Base, table=True):
    __tablename__ = "sales_order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "line_no"),
        Index("ix_sales_order_lines_order", "order_id"),
    )

    order_id: int = Field(foreign_key="sales_orders.id", ondelete="CASCADE")
    # Sum of the confirmed stock-out lines against this line, kept by the stock-out service in the same
    # transaction (``crm db check`` verifies it).
    shipped_quantity: Decimal = Field(default=ZERO, sa_type=Quantity)


# --- delivery -----------------------------------------------------------------------------------------


class DeliveryNotice(_Document, Audited, Versioned, Timestamped, Base, table=True):
    """发货通知: which order lines may ship and how much. draft → confirmed → done (all shipped) / cancelled."""

    __tablename__ = "delivery_notices"

    customer_id: int = Field(foreign_key="customers.id", index=True)
    warehouse_id: int | None = Field(default=None, foreign_key="warehouses.id")
    notice_date: date = Field(default_factory=date.today, index=True)
    ship_by: date | None = None
    address: str | None = Field(default=None, sa_type=String(300))
    contact_name: str | None = Field(default=None, sa_type=String(64))
    contact_phone: str | None = Field(default=None, sa_type=String(32))


class DeliveryNoticeLine(Audited, Base, table=True):
    __tablename__ = "delivery_notice_lines"
    __table_args__ = (UniqueConstraint("notice_id", "line_no"),)

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="delivery_notices.id", ondelete="CASCADE")
    line_no: int = Field()
    order_line_id: int = Field(foreign_key="sales_order_lines.id", index=True)
    quantity: Decimal = Field(sa_type=Quantity)
    shipped_quantity: Decimal = Field(default=ZERO, sa_type=Quantity)
    remarks: str | None = Field(default=None, sa_type=String(300))
    unit: str | None = Field(default=None, sa_type=String(20))  # the line's unit (models/units.py)
    unit_factor: Decimal = Field(default=Decimal(1), sa_type=UnitFactor, sa_column_kwargs={"server_default": FACTOR_ONE})


class SalesStockOut(_Document, _Totals, Audited, Versioned, Timestamped, Base, table=True):
    """销售出库单: goods of one customer's orders leaving the warehouses. draft → confirmed → cancelled.

    The totals are the sale value of what shipped (each line's share of its order line), which is what the
    receivables count on the stock-out basis; ``cost_total`` is what the ledger took out at moving average.
    """

    __tablename__ = "sales_stock_outs"
    __table_args__ = (Index("ix_sales_stock_outs_customer_date", "customer_id", "out_date", "status", "gross_total"),)

    customer_id: int = Field(foreign_key="customers.id")
    warehouse_id: int = Field(foreign_key="warehouses.id")  # default of lines
    out_date: date = Field(default_factory=date.today, index=True)
    address: str | None = Field(default=None, sa_type=String(300))
    contact_name: str | None = Field(default=None, sa_type=String(64))
    contact_phone: str | None = Field(default=None, sa_type=String(32))
    cost_total: Decimal = Field(default=ZERO, sa_type=Money)


class SalesStockOutLine(Audited, Base, table=True):
    __tablename__ = "sales_stock_out_lines"
    __table_args__ = (UniqueConstraint("stock_out_id", "line_no"),)

    id: int | None = Field(default=None, primary_key=True)
    stock_out_id: int = Field(foreign_key="sales_stock_outs.id", ondelete="CASCADE")
    line_no: int = Field()
    order_line_id: int = Field(foreign_key="sales_order_lines.id", index=True)
    notice_line_id: int | None = Field(default=None, foreign_key="delivery_notice_lines.id", index=True)
    product_id: int = Field(foreign_key="products.id", index=True)
    warehouse_id: int = Field(foreign_key="warehouses.id")
    quantity: Decimal = Field(sa_type=Quantity)
    net_amount: Decimal = Field(default=ZERO, sa_type=Money)
    tax_amount: Decimal = Field(default=ZERO, sa_type=Money)
    gross_amount: Decimal = Field(default=ZERO, sa_type=Money)
    cost_amount: Decimal = Field(default=ZERO, sa_type=Money)
    remarks: str | None = Field(default=None, sa_type=String(300))
    unit: str | None = Field(default=None, sa_type=String(20))  # the line's unit (models/units.py)
    unit_factor: Decimal = Field(default=Decimal(1), sa_type=UnitFactor, sa_column_kwargs={"server_default": FACTOR_ONE})


class TrackingNumber(Audited, Base, table=True):
    """快递单号: a courier's tracking number for a stock-out, an order or an invoice sent by post."""

    __tablename__ = "tracking_numbers"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id", index=True)
    stock_out_id: int | None = Field(default=None, foreign_key="sales_stock_outs.id", index=True)
    order_id: int | None = Field(default=None, foreign_key="sales_orders.id", index=True)
    invoice_id: int | None = Field(default=None, foreign_key="sales_invoices.id", index=True)
    courier: str = Field(sa_type=String(64))  # 顺丰, 中通, 德邦 …
    number: str = Field(sa_type=String(64), index=True)
    shipped_on: date = Field(default_factory=date.today)
    remarks: str | None = Field(default=None, sa_type=String(300))
    created_by: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


# --- money --------------------------------------------------------------------------------------------


class ReceiptAccount(Audited, Versioned, Timestamped, Base, table=True):
    """Where money arrives: a bank account, the cash box, WeChat, Alipay …"""

    __tablename__ = "receipt_accounts"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(64), unique=True)
    kind: str = Field(default="bank", sa_type=String(16))
    bank: str | None = Field(default=None, sa_type=String(100))
    account_no: str | None = Field(default=None, sa_type=String(64))
    active: bool = Field(default=True)


class Receipt(_Document, Audited, Versioned, Timestamped, Base, table=True):
    """到款: money received from a customer. Confirmed when recorded; cancelled, never deleted.

    ``amount`` is in ``currency``; ``amount_cny = round(amount × rate, 2)`` is what the customer is credited.
    ``fee`` (RMB) is what the bank kept: our cost, not the customer's credit. The part not applied to orders
    (``receipt_applications``) is an advance (预收款).
    """

    __tablename__ = "receipts"
    __table_args__ = (Index("ix_receipts_customer_date", "customer_id", "received_on", "status", "amount_cny"),)

    customer_id: int = Field(foreign_key="customers.id")
    owner_id: int | None = Field(default=None, foreign_key="users.id", index=True)  # customer's salesperson
    received_on: date = Field(index=True)
    currency: str = Field(default="CNY", sa_type=String(3))
    amount: Decimal = Field(sa_type=Money)
    rate: Decimal = Field(default=Decimal(1), sa_type=Rate)
    amount_cny: Decimal = Field(sa_type=Money)
    fee: Decimal = Field(default=ZERO, sa_type=Money)
    account_id: int | None = Field(default=None, foreign_key="receipt_accounts.id")
    method: str | None = Field(default=None, sa_type=String(32))  # 银行转账, 现金, 微信, 支付宝, 承兑汇票 …
    reference: str | None = Field(default=None, sa_type=String(64))  # the bank's or payer's reference
    # A fingerprint of an imported row: importing the same file again adds nothing.
    import_key: str | None = Field(default=None, sa_type=String(64), unique=True)


class ReceiptApplication(Audited, Base, table=True):
    """Part of a receipt set against an order (several receipts per order; an advance applied later)."""

    __tablename__ = "receipt_applications"
    __table_args__ = (UniqueConstraint("receipt_id", "order_id"),)

    id: int | None = Field(default=None, primary_key=True)
    receipt_id: int = Field(foreign_key="receipts.id")
    order_id: int = Field(foreign_key="sales_orders.id", index=True)
    amount: Decimal = Field(sa_type=Money)  # RMB
    applied_on: date = Field(default_factory=date.today)
    created_by: int | None = None


class SalesInvoice(_Document, Audited, Versioned, Timestamped, Base, table=True):
    """发票: an invoice issued to a customer, usually for an order (several per order)."""

    __tablename__ = "sales_invoices"

    customer_id: int = Field(foreign_key="customers.id", index=True)
    order_id: int | None = Field(default=None, foreign_key="sales_orders.id", index=True)
    invoice_no: str = Field(sa_type=String(40), unique=True)  # the tax invoice's number
    kind: str = Field(default="special", sa_type=String(16))
    invoice_date: date = Field(index=True)
    tax_rate: Decimal = Field(sa_type=Rate)
    net_amount: Decimal = Field(sa_type=Money)
    tax_amount: Decimal = Field(sa_type=Money)
    gross_amount: Decimal = Field(sa_type=Money)
    due_date: date | None = Field(default=None, index=True)  # by the customer's payment terms (terms.py)


class ExpenseClaim(_Document, Audited, Versioned, Timestamped, Base, table=True):
    """费用报销: draft → pending_approval (numbered) → approved / rejected, or cancelled."""

    __tablename__ = "expense_claims"

    claimant_id: int = Field(foreign_key="users.id", index=True)
    category: str = Field(sa_type=String(32), index=True)  # 差旅费, 招待费 …
    amount: Decimal = Field(sa_type=Money)
    spent_on: date = Field(index=True)
    customer_id: int | None = Field(default=None, foreign_key="customers.id", index=True)
    order_id: int | None = Field(default=None, foreign_key="sales_orders.id", index=True)
    description: str | None = Field(default=None, sa_type=Text)
    submitted_at: datetime | None = Field(default=None, sa_type=DateTime)
    decided_by: int | None = None
    decided_at: datetime | None = Field(default=None, sa_type=DateTime)
    decision_comment: str | None = Field(default=None, sa_type=String(300))


class Approval(Audited, Base, table=True):
    """A request waiting for a manager (审批): an order's discount beyond the limit, an expense claim."""

    __tablename__ = "approvals"
    __table_args__ = (Index("ix_approvals_status_kind", "status", "kind"), Index("ix_approvals_doc", "kind", "doc_id"))

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_type=String(20))
    doc_id: int = Field()
    status: str = Field(default="pending", sa_type=String(16))
    requested_by: int | None = Field(default=None, foreign_key="users.id", index=True)
    requested_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    customer_id: int | None = Field(default=None, foreign_key="customers.id")
    summary: str = Field(sa_type=String(300))  # English text; what rows written before message codes show
    # The request's sentence as a code and its parameters (JSON), rendered in the reader's language
    # (services/sales/approval_texts.py).
    message_code: str | None = Field(default=None, sa_type=String(40))
    message_args: str | None = Field(default=None, sa_type=Text)
    # Whose supervisor chain decides: the customer's salesperson, else the document's writer.
    route_owner_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    amount: Decimal | None = Field(default=None, sa_type=Money)
    discount: Decimal | None = Field(default=None, sa_type=Rate)
    decided_by: int | None = None
    decided_at: datetime | None = Field(default=None, sa_type=DateTime)
    comment: str | None = Field(default=None, sa_type=String(300))
