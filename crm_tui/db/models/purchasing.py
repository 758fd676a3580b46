"""Purchasing (采购): suppliers and their contacts and prices, inquiries, purchase orders, receipts into a
warehouse, supplier payments and input invoices (进项发票)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DateTime, String, Text, UniqueConstraint
from sqlmodel import Field

from crm_tui.db.base import Audited, Base, Timestamped, Versioned
from crm_tui.db.models.units import FACTOR_ONE, UnitFactor
from crm_tui.db.types import Money, Quantity, Rate

PURCHASE_ORDER_STATUSES = ("draft", "pending_approval", "confirmed", "done", "cancelled")
INVOICE_TYPES = ("ordinary", "special")  # 普票, 专票


class Supplier(Audited, Versioned, Timestamped, Base, table=True):
    __tablename__ = "suppliers"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(32), unique=True)
    name: str = Field(sa_type=String(200), index=True)
    short_name: str | None = Field(default=None, sa_type=String(100))
    name_pinyin: str | None = Field(default=None, sa_type=String(1000))
    name_initials: str | None = Field(default=None, sa_type=String(500), index=True)
    credit_code: str | None = Field(default=None, sa_type=String(18), unique=True)  # 统一社会信用代码 / 税号
    address: str | None = Field(default=None, sa_type=String(300))
    phone: str | None = Field(default=None, sa_type=String(32))
    bank: str | None = Field(default=None, sa_type=String(100))
    account: str | None = Field(default=None, sa_type=String(64))
    opening_balance: Decimal = Field(default=Decimal(0), sa_type=Money)  # 期初应付
    active: bool = Field(default=True)
    remarks: str | None = Field(default=None, sa_type=Text)


class SupplierContact(Audited, Versioned, Timestamped, Base, table=True):
    __tablename__ = "supplier_contacts"

    id: int | None = Field(default=None, primary_key=True)
    supplier_id: int = Field(foreign_key="suppliers.id", ondelete="CASCADE", index=True)
    name: str = Field(sa_type=String(64))
    is_primary: bool = Field(default=False)
    title: str | None = Field(default=None, sa_type=String(64))
    mobile: str | None = Field(default=None, sa_type=String(20), index=True)
    landline: str | None = Field(default=None, sa_type=String(32))
    email: str | None = Field(default=None, sa_type=String(128))
    wechat: str | None = Field(default=None, sa_type=String(64))
    remarks: str | None = Field(default=None, sa_type=Text)


class SupplierPrice(Audited, Base, table=True):
    """The last price a supplier charged (or quoted) for a product."""

    __tablename__ = "supplier_prices"
    __table_args__ = (UniqueConstraint("supplier_id", "product_id"),)

    id: int | None = Field(default=None, primary_key=True)
    supplier_id: int = Field(foreign_key="suppliers.id", ondelete="CASCADE")
    product_id: int = Field(foreign_key="products.id", index=True)
    price: Decimal = Field(sa_type=Money)  # net of tax
    price_gross: Decimal = Field(sa_type=Money)
    tax_rate: Decimal = Field(sa_type=Rate)
    source: str = Field(sa_type=String(20))  # purchase_order | inquiry | manual
    source_number: str | None = Field(default=None, sa_type=String(40))
    priced_on: date = Field()


class Inquiry(Audited, Versioned, Timestamped, Base, table=True):
    """询价单: products and quantities asked of one or several suppliers. draft → sent → closed/cancelled."""

    __tablename__ = "inquiries"

    id: int | None = Field(default=None, primary_key=True)
    number: str | None = Field(default=None, sa_type=String(40), unique=True)
    status: str = Field(default="draft", sa_type=String(16), index=True)
    doc_date: date = Field(default_factory=date.today)
    reply_by: date | None = None
    remarks: str | None = Field(default=None, sa_type=Text)
    created_by: int | None = None


class InquiryLine(Audited, Base, table=True):
    __tablename__ = "inquiry_lines"
    __table_args__ = (UniqueConstraint("inquiry_id", "product_id"),)

    id: int | None = Field(default=None, primary_key=True)
    inquiry_id: int = Field(foreign_key="inquiries.id", ondelete="CASCADE")
    product_id: int = Field(foreign_key="products.id")
    quantity: Decimal = Field(sa_type=Quantity)


class InquirySupplier(Audited, Base, table=True):
    __tablename__ = "inquiry_suppliers"
    __table_args__ = (UniqueConstraint("inquiry_id", "supplier_id"),)

    id: int | None = Field(default=None, primary_key=True)
    inquiry_id: int = Field(foreign_key="inquiries.id", ondelete="CASCADE")
    supplier_id: int = Field(foreign_key="suppliers.id", index=True)


class InquiryQuote(Audited, Base, table=True):
    """A supplier's answer to one line of an inquiry."""

    __tablename__ = "inquiry_quotes"
    __table_args__ = (UniqueConstraint("inquiry_id", "supplier_id", "product_id"),)

    id: int | None = Field(default=None, primary_key=True)
    inquiry_id: int = Field(foreign_key="inquiries.id", ondelete="CASCADE")
    supplier_id: int = Field(foreign_key="suppliers.id")
    product_id: int = Field(foreign_key="products.id")
    price: Decimal = Field(sa_type=Money)
    price_gross: Decimal = Field(sa_type=Money)
    tax_rate: Decimal = Field(sa_type=Rate)
    remarks: str | None = Field(default=None, sa_type=String(300))


class PurchaseOrder(Audited, Versioned, Timestamped, Base, table=True):
    """采购订单: draft → (pending_approval →) confirmed → done (all received or closed), or cancelled."""

    __tablename__ = "purchase_orders"

    id: int | None = Field(default=None, primary_key=True)
    number: str | None = Field(default=None, sa_type=String(40), unique=True)
    status: str = Field(default="draft", sa_type=String(20), index=True)
    supplier_id: int = Field(foreign_key="suppliers.id", index=True)
    warehouse_id: int | None = Field(default=None, foreign_key="warehouses.id")  # default for receipts
    inquiry_id: int | None = Field(default=None, foreign_key="inquiries.id")
    doc_date: date = Field(default_factory=date.today)
    expected_on: date | None = None
    # Totals: the sums of the rounded lines, refreshed whenever lines change.
    amount_net: Decimal = Field(default=Decimal(0), sa_type=Money)
    tax: Decimal = Field(default=Decimal(0), sa_type=Money)
    amount_gross: Decimal = Field(default=Decimal(0), sa_type=Money)
    remarks: str | None = Field(default=None, sa_type=Text)
    created_by: int | None = None
    submitted_by: int | None = None
    approved_by: int | None = None
    approved_at: datetime | None = Field(default=None, sa_type=DateTime)
    confirmed_at: datetime | None = Field(default=None, sa_type=DateTime)
    closed_at: datetime | None = Field(default=None, sa_type=DateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=DateTime)
    cancel_reason: str | None = Field(default=None, sa_type=String(300))


class PurchaseOrderLine(Audited, Base, table=True):
    __tablename__ = "purchase_order_lines"
    __table_args__ = (UniqueConstraint("order_id", "line_no"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="purchase_orders.id", ondelete="CASCADE")
    line_no: int = Field()
    product_id: int = Field(foreign_key="products.id", index=True)
    quantity: Decimal = Field(sa_type=Quantity)
    price: Decimal = Field(sa_type=Money)  # 单价 (net)
    price_gross: Decimal = Field(sa_type=Money)  # 含税单价
    gross_entered: bool = Field(default=False)
    tax_rate: Decimal = Field(sa_type=Rate)
    amount_net: Decimal = Field(sa_type=Money)
    tax: Decimal = Field(sa_type=Money)
    amount_gross: Decimal = Field(sa_type=Money)
    # Sum of confirmed receipt lines, maintained by the receipt service in the same transaction.
    received_quantity: Decimal = Field(default=Decimal(0), sa_type=Quantity)
    unit: str | None = Field(default=None, sa_type=String(20))  # the line's unit (models/units.py)
    unit_factor: Decimal = Field(default=Decimal(1), sa_type=UnitFactor, sa_column_kwargs={"server_default": FACTOR_ONE})


class PurchaseReceipt(Audited, Versioned, Timestamped, Base, table=True):
    """采购入库: goods of one order received into one warehouse. draft → confirmed → cancelled (reversed)."""

    __tablename__ = "purchase_receipts"

    id: int | None = Field(default=None, primary_key=True)
    number: str | None = Field(default=None, sa_type=String(40), unique=True)
    status: str = Field(default="draft", sa_type=String(16), index=True)
    order_id: int = Field(foreign_key="purchase_orders.id", index=True)
    supplier_id: int = Field(foreign_key="suppliers.id", index=True)
    warehouse_id: int = Field(foreign_key="warehouses.id")
    doc_date: date = Field(default_factory=date.today)
    amount_net: Decimal = Field(default=Decimal(0), sa_type=Money)
    tax: Decimal = Field(default=Decimal(0), sa_type=Money)
    amount_gross: Decimal = Field(default=Decimal(0), sa_type=Money)
    remarks: str | None = Field(default=None, sa_type=Text)
    created_by: int | None = None
    confirmed_by: int | None = None
    confirmed_at: datetime | None = Field(default=None, sa_type=DateTime)
    cancelled_by: int | None = None
    cancelled_at: datetime | None = Field(default=None, sa_type=DateTime)


class PurchaseReceiptLine(Audited, Base, table=True):
    __tablename__ = "purchase_receipt_lines"

    id: int | None = Field(default=None, primary_key=True)
    receipt_id: int = Field(foreign_key="purchase_receipts.id", ondelete="CASCADE", index=True)
    order_line_id: int = Field(foreign_key="purchase_order_lines.id", index=True)
    product_id: int = Field(foreign_key="products.id")
    quantity: Decimal = Field(sa_type=Quantity)
    amount_net: Decimal = Field(default=Decimal(0), sa_type=Money)
    tax: Decimal = Field(default=Decimal(0), sa_type=Money)
    amount_gross: Decimal = Field(default=Decimal(0), sa_type=Money)
    unit: str | None = Field(default=None, sa_type=String(20))  # the line's unit (models/units.py)
    unit_factor: Decimal = Field(default=Decimal(1), sa_type=UnitFactor, sa_column_kwargs={"server_default": FACTOR_ONE})


class SupplierPayment(Audited, Versioned, Timestamped, Base, table=True):
    """Money paid to a supplier, against an order or on account. Cancelled, never deleted."""

    __tablename__ = "supplier_payments"

    id: int | None = Field(default=None, primary_key=True)
    supplier_id: int = Field(foreign_key="suppliers.id", index=True)
    order_id: int | None = Field(default=None, foreign_key="purchase_orders.id", index=True)
    paid_on: date = Field()
    amount: Decimal = Field(sa_type=Money)
    method: str | None = Field(default=None, sa_type=String(32))  # 转账, 现金, 承兑 …
    account: str | None = Field(default=None, sa_type=String(64))
    reference: str | None = Field(default=None, sa_type=String(64))
    status: str = Field(default="active", sa_type=String(16))  # active | cancelled
    remarks: str | None = Field(default=None, sa_type=Text)
    created_by: int | None = None


class InputInvoice(Audited, Versioned, Timestamped, Base, table=True):
    """进项发票: a supplier's invoice, against an order or on account. Cancelled, never deleted."""

    __tablename__ = "input_invoices"
    __table_args__ = (UniqueConstraint("supplier_id", "invoice_number"),)

    id: int | None = Field(default=None, primary_key=True)
    supplier_id: int = Field(foreign_key="suppliers.id", index=True)
    order_id: int | None = Field(default=None, foreign_key="purchase_orders.id", index=True)
    invoice_number: str = Field(sa_type=String(40))
    invoice_type: str = Field(default="special", sa_type=String(16))
    invoice_date: date = Field()
    amount_net: Decimal = Field(sa_type=Money)
    tax: Decimal = Field(sa_type=Money)
    amount_gross: Decimal = Field(sa_type=Money)
    status: str = Field(default="active", sa_type=String(16))
    remarks: str | None = Field(default=None, sa_type=Text)
    created_by: int | None = None
