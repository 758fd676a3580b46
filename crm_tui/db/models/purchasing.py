"""Purchasing (采购): suppliers and their contacts and prices, inquiries, purchase orders, receipts into a
warehouse, supplier payments and input invoices (进项发票)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm_tui.db.base import Audited, Base, Timestamped, Versioned
from crm_tui.db.types import Money, Quantity, Rate

PURCHASE_ORDER_STATUSES = ("draft", "pending_approval", "confirmed", "done", "cancelled")
INVOICE_TYPES = ("ordinary", "special")  # 普票, 专票


class Supplier(Audited, Versioned, Timestamped, Base):
    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    short_name: Mapped[str | None] = mapped_column(String(100))
    name_pinyin: Mapped[str | None] = mapped_column(String(1000))
    name_initials: Mapped[str | None] = mapped_column(String(500), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)  # 统一社会信用代码 / 税号
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(32))
    bank: Mapped[str | None] = mapped_column(String(100))
    account: Mapped[str | None] = mapped_column(String(64))
    opening_balance: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))  # 期初应付
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    remarks: Mapped[str | None] = mapped_column(Text)


class SupplierContact(Audited, Versioned, Timestamped, Base):
    __tablename__ = "supplier_contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    is_primary: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    title: Mapped[str | None] = mapped_column(String(64))
    mobile: Mapped[str | None] = mapped_column(String(20), index=True)
    landline: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(128))
    wechat: Mapped[str | None] = mapped_column(String(64))
    remarks: Mapped[str | None] = mapped_column(Text)


class SupplierPrice(Audited, Base):
    """The last price a supplier charged (or quoted) for a product."""

    __tablename__ = "supplier_prices"
    __table_args__ = (UniqueConstraint("supplier_id", "product_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), nullable=False)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), nullable=False, index=True)
    price: Mapped[Decimal] = mapped_column(Money, nullable=False)  # net of tax
    price_gross: Mapped[Decimal] = mapped_column(Money, nullable=False)
    tax_rate: Mapped[Decimal] = mapped_column(Rate, nullable=False)
    source: Mapped[str] = mapped_column(String(20), nullable=False)  # purchase_order | inquiry | manual
    source_number: Mapped[str | None] = mapped_column(String(40))
    priced_on: Mapped[date] = mapped_column(Date, nullable=False)


class Inquiry(Audited, Versioned, Timestamped, Base):
    """询价单: products and quantities asked of one or several suppliers. draft → sent → closed/cancelled."""

    __tablename__ = "inquiries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str | None] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft", index=True)
    doc_date: Mapped[date] = mapped_column(Date, nullable=False, default=date.today)
    reply_by: Mapped[date | None] = mapped_column(Date)
    remarks: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(Integer)


class InquiryLine(Audited, Base):
    __tablename__ = "inquiry_lines"
    __table_args__ = (UniqueConstraint("inquiry_id", "product_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"), nullable=False)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), nullable=False)
    quantity: Mapped[Decimal] = mapped_column(Quantity, nullable=False)


class InquirySupplier(Audited, Base):
    __tablename__ = "inquiry_suppliers"
    __table_args__ = (UniqueConstraint("inquiry_id", "supplier_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"), nullable=False)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), nullable=False, index=True)


class InquiryQuote(Audited, Base):
    """A supplier's answer to one line of an inquiry."""

    __tablename__ = "inquiry_quotes"
    __table_args__ = (UniqueConstraint("inquiry_id", "supplier_id", "product_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"), nullable=False)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), nullable=False)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), nullable=False)
    price: Mapped[Decimal] = mapped_column(Money, nullable=False)
    price_gross: Mapped[Decimal] = mapped_column(Money, nullable=False)
    tax_rate: Mapped[Decimal] = mapped_column(Rate, nullable=False)
    remarks: Mapped[str | None] = mapped_column(String(300))


class PurchaseOrder(Audited, Versioned, Timestamped, Base):
    """采购订单: draft → (pending_approval →) confirmed → done (all received or closed), or cancelled."""

    __tablename__ = "purchase_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str | None] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="draft", index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), nullable=False, index=True)
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))  # default for receipts
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("inquiries.id"))
    doc_date: Mapped[date] = mapped_column(Date, nullable=False, default=date.today)
    expected_on: Mapped[date | None] = mapped_column(Date)
    # Totals: the sums of the rounded lines, refreshed whenever lines change.
    amount_net: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    tax: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    amount_gross: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    remarks: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(Integer)
    submitted_by: Mapped[int | None] = mapped_column(Integer)
    approved_by: Mapped[int | None] = mapped_column(Integer)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(300))


class PurchaseOrderLine(Audited, Base):
    __tablename__ = "purchase_order_lines"
    __table_args__ = (UniqueConstraint("order_id", "line_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id", ondelete="CASCADE"), nullable=False)
    line_no: Mapped[int] = mapped_column(Integer, nullable=False)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), nullable=False, index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity, nullable=False)
    price: Mapped[Decimal] = mapped_column(Money, nullable=False)  # 单价 (net)
    price_gross: Mapped[Decimal] = mapped_column(Money, nullable=False)  # 含税单价
    gross_entered: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    tax_rate: Mapped[Decimal] = mapped_column(Rate, nullable=False)
    amount_net: Mapped[Decimal] = mapped_column(Money, nullable=False)
    tax: Mapped[Decimal] = mapped_column(Money, nullable=False)
    amount_gross: Mapped[Decimal] = mapped_column(Money, nullable=False)
    # Sum of confirmed receipt lines, maintained by the receipt service in the same transaction.
    received_quantity: Mapped[Decimal] = mapped_column(Quantity, nullable=False, default=Decimal(0))


class PurchaseReceipt(Audited, Versioned, Timestamped, Base):
    """采购入库: goods of one order received into one warehouse. draft → confirmed → cancelled (reversed)."""

    __tablename__ = "purchase_receipts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str | None] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft", index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), nullable=False, index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), nullable=False, index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), nullable=False)
    doc_date: Mapped[date] = mapped_column(Date, nullable=False, default=date.today)
    amount_net: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    tax: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    amount_gross: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    remarks: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(Integer)
    confirmed_by: Mapped[int | None] = mapped_column(Integer)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancelled_by: Mapped[int | None] = mapped_column(Integer)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)


class PurchaseReceiptLine(Audited, Base):
    __tablename__ = "purchase_receipt_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("purchase_receipts.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("purchase_order_lines.id"), nullable=False, index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), nullable=False)
    quantity: Mapped[Decimal] = mapped_column(Quantity, nullable=False)
    amount_net: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    tax: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))
    amount_gross: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal(0))


class SupplierPayment(Audited, Versioned, Timestamped, Base):
    """Money paid to a supplier, against an order or on account. Cancelled, never deleted."""

    __tablename__ = "supplier_payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), nullable=False, index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    paid_on: Mapped[date] = mapped_column(Date, nullable=False)
    amount: Mapped[Decimal] = mapped_column(Money, nullable=False)
    method: Mapped[str | None] = mapped_column(String(32))  # 转账, 现金, 承兑 …
    account: Mapped[str | None] = mapped_column(String(64))
    reference: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="active")  # active | cancelled
    remarks: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(Integer)


class InputInvoice(Audited, Versioned, Timestamped, Base):
    """进项发票: a supplier's invoice, against an order or on account. Cancelled, never deleted."""

    __tablename__ = "input_invoices"
    __table_args__ = (UniqueConstraint("supplier_id", "invoice_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), nullable=False, index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    invoice_number: Mapped[str] = mapped_column(String(40), nullable=False)
    invoice_type: Mapped[str] = mapped_column(String(16), nullable=False, default="special")
    invoice_date: Mapped[date] = mapped_column(Date, nullable=False)
    amount_net: Mapped[Decimal] = mapped_column(Money, nullable=False)
    tax: Mapped[Decimal] = mapped_column(Money, nullable=False)
    amount_gross: Mapped[Decimal] = mapped_column(Money, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="active")
    remarks: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(Integer)
