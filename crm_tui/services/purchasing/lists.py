"""Lists of purchase receipts, supplier payments and input invoices, newest first, filtered and paged (the
exports read them; ``returns.list_returns`` and ``orders.list_orders`` are the other purchasing lists)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crm_tui.db.models.purchasing import (
    InputInvoice,
    PurchaseOrder,
    PurchaseReceipt,
    Supplier,
    SupplierPayment,
)
from crm_tui.db.models.stock import Warehouse


@dataclass(frozen=True)
class ListFilter:
    supplier_id: int | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""


def _filtered(stmt, model, day, f: ListFilter, *searched):
    if f.supplier_id is not None:
        stmt = stmt.where(model.supplier_id == f.supplier_id)
    if f.status:
        stmt = stmt.where(model.status == f.status)
    if f.date_from:
        stmt = stmt.where(day >= f.date_from)
    if f.date_to:
        stmt = stmt.where(day <= f.date_to)
    if f.text.strip():
        like = f"%{f.text.strip()}%"
        stmt = stmt.where(or_(Supplier.name.ilike(like), Supplier.code.ilike(like),
                              *(column.ilike(like) for column in searched)))
    return stmt


@dataclass(frozen=True)
class ReceiptRow:
    id: int
    number: str | None
    status: str
    supplier_code: str
    supplier_name: str
    order_number: str | None
    warehouse_code: str
    doc_date: date
    amount_net: Decimal
    tax: Decimal
    amount_gross: Decimal


def list_receipts(session: Session, f: ListFilter = ListFilter(), *, warehouse_id: int | None = None,
                  limit: int = 200, offset: int = 0) -> list[ReceiptRow]:
    stmt = (select(PurchaseReceipt, Supplier.code, Supplier.name, PurchaseOrder.number, Warehouse.code)
            .join(Supplier, Supplier.id == PurchaseReceipt.supplier_id)
            .join(PurchaseOrder, PurchaseOrder.id == PurchaseReceipt.order_id)
            .join(Warehouse, Warehouse.id == PurchaseReceipt.warehouse_id))
    stmt = _filtered(stmt, PurchaseReceipt, PurchaseReceipt.doc_date, f, PurchaseReceipt.number,
                     PurchaseOrder.number)
    if warehouse_id is not None:
        stmt = stmt.where(PurchaseReceipt.warehouse_id == warehouse_id)
    stmt = stmt.order_by(PurchaseReceipt.id.desc()).limit(limit).offset(offset)
    return [ReceiptRow(r.id, r.number, r.status, code, name, order, wh, r.doc_date, r.amount_net, r.tax,
                       r.amount_gross) for r, code, name, order, wh in session.execute(stmt)]


@dataclass(frozen=True)
class PaymentListRow:
    id: int
    paid_on: date
    status: str
    supplier_code: str
    supplier_name: str
    order_number: str | None
    amount: Decimal
    method: str | None
    account: str | None
    reference: str | None
    remarks: str | None


def list_payments(session: Session, f: ListFilter = ListFilter(), *, limit: int = 200,
                  offset: int = 0) -> list[PaymentListRow]:
    stmt = (select(SupplierPayment, Supplier.code, Supplier.name, PurchaseOrder.number)
            .join(Supplier, Supplier.id == SupplierPayment.supplier_id)
            .outerjoin(PurchaseOrder, PurchaseOrder.id == SupplierPayment.order_id))
    stmt = _filtered(stmt, SupplierPayment, SupplierPayment.paid_on, f, SupplierPayment.reference,
                     PurchaseOrder.number)
    stmt = stmt.order_by(SupplierPayment.paid_on.desc(), SupplierPayment.id.desc()).limit(limit).offset(offset)
    return [PaymentListRow(p.id, p.paid_on, p.status, code, name, order, p.amount, p.method, p.account,
                           p.reference, p.remarks) for p, code, name, order in session.execute(stmt)]


@dataclass(frozen=True)
class InvoiceListRow:
    id: int
    invoice_number: str
    invoice_type: str
    invoice_date: date
    status: str
    supplier_code: str
    supplier_name: str
    order_number: str | None
    amount_net: Decimal
    tax: Decimal
    amount_gross: Decimal


def list_invoices(session: Session, f: ListFilter = ListFilter(), *, limit: int = 200,
                  offset: int = 0) -> list[InvoiceListRow]:
    stmt = (select(InputInvoice, Supplier.code, Supplier.name, PurchaseOrder.number)
            .join(Supplier, Supplier.id == InputInvoice.supplier_id)
            .outerjoin(PurchaseOrder, PurchaseOrder.id == InputInvoice.order_id))
    stmt = _filtered(stmt, InputInvoice, InputInvoice.invoice_date, f, InputInvoice.invoice_number,
                     PurchaseOrder.number)
    stmt = stmt.order_by(InputInvoice.invoice_date.desc(), InputInvoice.id.desc()).limit(limit).offset(offset)
    return [InvoiceListRow(i.id, i.invoice_number, i.invoice_type, i.invoice_date, i.status, code, name, order,
                           i.amount_net, i.tax, i.amount_gross) for i, code, name, order in session.execute(stmt)]
