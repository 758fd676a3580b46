"""The built-in export kinds: the sales documents, contact logs, approvals, stock documents, the stock ledger
and the purchasing lists (orders, receipts, payments, input invoices, returns, suppliers). Each reads its rows through the list service its screen uses (visibility included); the
stock ledger, which has no list service over all products, streams one query.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from crm_tui.i18n import _
from crm_tui.services.exports.registry import (
    ExportColumn,
    ExportKind,
    can_manage_any,
    col,
    register,
    translated,
)

DATE_RANGE = frozenset({"date_from", "date_to"})


def _since(f):
    return datetime.combine(f.date_from, time.min) if f.date_from else None


def _until(f):  # exclusive: the day after date_to
    return datetime.combine(f.date_to + timedelta(days=1), time.min) if f.date_to else None


# --- sales documents ------------------------------------------------------------------------------------------

def _orders(session, actor, f, limit, offset):
    from crm_tui.services.sales.orders import list_orders

    return list_orders(session, actor, status=f.status, customer_id=f.customer_id, owner_id=f.owner_id,
                       text=f.text, date_from=f.date_from, date_to=f.date_to, limit=limit, offset=offset)


register(ExportKind(
    "orders", lambda: _("Sales orders"), (
        col(lambda: _("Number"), "number"), col(lambda: _("Reference"), "external_ref"),
        col(lambda: _("Status"), translated("status")), col(lambda: _("Order date"), "order_date", "date"),
        col(lambda: _("Delivery date"), "delivery_date", "date"), col(lambda: _("Customer code"), "customer_code"),
        col(lambda: _("Customer"), "customer_name"), col(lambda: _("Salesperson"), "owner_name"),
        col(lambda: _("Amount incl. tax"), "gross_total", "money"), col(lambda: _("Shipped"), "shipped", "money"),
        col(lambda: _("Invoiced"), "invoiced", "money"), col(lambda: _("Paid"), "paid", "money")),
    frozenset({"status", "customer_id", "owner_id", "text"}) | DATE_RANGE, page=_orders,
    help="sales orders (销售订单)"))


def _quotes(session, actor, f, limit, offset):
    from crm_tui.services.sales.quotes import list_quotes

    return list_quotes(session, actor, status=f.status, customer_id=f.customer_id, text=f.text,
                       date_from=f.date_from, date_to=f.date_to, limit=limit, offset=offset)


register(ExportKind(
    "quotes", lambda: _("Quotes"), (
        col(lambda: _("Number"), "number"), col(lambda: _("Status"), translated("status")),
        col(lambda: _("Quote date"), "quote_date", "date"), col(lambda: _("Valid until"), "valid_until", "date"),
        col(lambda: _("Customer code"), "customer_code"), col(lambda: _("Customer"), "customer_name"),
        col(lambda: _("Salesperson"), "owner_name"), col(lambda: _("Amount incl. tax"), "gross_total", "money")),
    frozenset({"status", "customer_id", "text"}) | DATE_RANGE, page=_quotes, help="quotes (报价单)"))


def _notices(session, actor, f, limit, offset):
    from crm_tui.services.sales.deliveries import list_notices

    return list_notices(session, actor, status=f.status, customer_id=f.customer_id, date_from=f.date_from,
                        date_to=f.date_to, limit=limit, offset=offset)


register(ExportKind(
    "notices", lambda: _("Delivery notices"), (
        col(lambda: _("Number"), "number"), col(lambda: _("Status"), translated("status")),
        col(lambda: _("Notice date"), "notice_date", "date"), col(lambda: _("Ship by"), "ship_by", "date"),
        col(lambda: _("Customer code"), "customer_code"), col(lambda: _("Customer"), "customer_name"),
        col(lambda: _("Lines"), "lines", "integer"), col(lambda: _("Quantity"), "quantity", "decimal"),
        col(lambda: _("Shipped quantity"), "shipped", "decimal")),
    frozenset({"status", "customer_id"}) | DATE_RANGE, page=_notices, help="delivery notices (发货通知)"))


def _stock_outs(session, actor, f, limit, offset):
    from crm_tui.services.sales.stock_outs import list_stock_outs

    return list_stock_outs(session, actor, status=f.status, customer_id=f.customer_id, text=f.text,
                           date_from=f.date_from, date_to=f.date_to, limit=limit, offset=offset)


register(ExportKind(
    "stock-outs", lambda: _("Sales stock-outs"), (
        col(lambda: _("Number"), "number"), col(lambda: _("Status"), translated("status")),
        col(lambda: _("Stock-out date"), "out_date", "date"), col(lambda: _("Customer code"), "customer_code"),
        col(lambda: _("Customer"), "customer_name"), col(lambda: _("Warehouse"), "warehouse_code"),
        col(lambda: _("Amount incl. tax"), "gross_total", "money"), col(lambda: _("Tracking number"), "tracking")),
    frozenset({"status", "customer_id", "text"}) | DATE_RANGE, page=_stock_outs, help="sales stock-outs (出库单)"))


def _receipts(session, actor, f, limit, offset):
    from crm_tui.services.sales.receipts import list_receipts

    return list_receipts(session, actor, status=f.status, customer_id=f.customer_id, text=f.text,
                         date_from=f.date_from, date_to=f.date_to, limit=limit, offset=offset)


register(ExportKind(
    "receipts", lambda: _("Receipts"), (
        col(lambda: _("Number"), "number"), col(lambda: _("Status"), translated("status")),
        col(lambda: _("Received on"), "received_on", "date"), col(lambda: _("Customer code"), "customer_code"),
        col(lambda: _("Customer"), "customer_name"), col(lambda: _("Currency"), "currency"),
        col(lambda: _("Amount"), "amount", "money"), col(lambda: _("Amount in CNY"), "amount_cny", "money"),
        col(lambda: _("Account"), "account"), col(lambda: _("Method"), translated("method")),
        col(lambda: _("Applied"), "applied", "money")),
    frozenset({"status", "customer_id", "text"}) | DATE_RANGE, page=_receipts, help="receipts (到款)"))


def _invoices(session, actor, f, limit, offset):
    from crm_tui.services.sales.invoices import list_invoices

    return list_invoices(session, actor, status=f.status, customer_id=f.customer_id, text=f.text,
                         date_from=f.date_from, date_to=f.date_to, limit=limit, offset=offset)


register(ExportKind(
    "invoices", lambda: _("Invoices"), (
        col(lambda: _("Number"), "number"), col(lambda: _("Invoice no."), "invoice_no"),
        col(lambda: _("Invoice kind"), translated("kind")), col(lambda: _("Status"), translated("status")),
        col(lambda: _("Invoice date"), "invoice_date", "date"), col(lambda: _("Customer code"), "customer_code"),
        col(lambda: _("Customer"), "customer_name"), col(lambda: _("Order"), "order_number"),
        col(lambda: _("Tax rate"), "tax_rate", "rate"), col(lambda: _("Net amount"), "net_amount", "money"),
        col(lambda: _("Tax"), "tax_amount", "money"), col(lambda: _("Amount incl. tax"), "gross_amount", "money")),
    frozenset({"status", "customer_id", "text"}) | DATE_RANGE, page=_invoices, help="invoices (发票)"))


def _expenses(session, actor, f, limit, offset):
    from crm_tui.services.sales.expenses import list_claims

    return list_claims(session, actor, status=f.status, claimant_id=f.owner_id, customer_id=f.customer_id,
                       date_from=f.date_from, date_to=f.date_to, limit=limit, offset=offset)


register(ExportKind(
    "expenses", lambda: _("Expense claims"), (
        col(lambda: _("Number"), "number"), col(lambda: _("Status"), translated("status")),
        col(lambda: _("Claimant"), "claimant"), col(lambda: _("Category"), "category"),
        col(lambda: _("Amount"), "amount", "money"), col(lambda: _("Spent on"), "spent_on", "date"),
        col(lambda: _("Customer"), "customer_name"), col(lambda: _("Order"), "order_number"),
        col(lambda: _("Description"), "description"), col(lambda: _("Decision"), "decision_comment")),
    frozenset({"status", "owner_id", "customer_id"}) | DATE_RANGE, page=_expenses, help="expense claims (费用报销)"))


# --- contact logs and approvals ---------------------------------------------------------------------------------

def _logs(session, actor, f, limit, offset):
    from crm_tui.services.customers.contact_logs import list_logs

    return list_logs(session, actor, customer_id=f.customer_id, author_id=f.owner_id, since=_since(f),
                     until=_until(f), limit=limit, offset=offset)


register(ExportKind(
    "contact-logs", lambda: _("Contact logs"), (
        col(lambda: _("Time"), "at", "datetime"), col(lambda: _("Customer code"), "customer_code"),
        col(lambda: _("Customer"), "customer_name"), col(lambda: _("Kind"), translated("kind")),
        col(lambda: _("Contact"), "contact"), col(lambda: _("Summary"), "summary"),
        col(lambda: _("Result"), "result"), col(lambda: _("Next step"), "next_step"),
        col(lambda: _("Next follow-up"), "next_follow_up", "date"), col(lambda: _("Written by"), "author"),
        col(lambda: _("Review"), "review_comment"), col(lambda: _("Reviewer"), "reviewer")),
    frozenset({"customer_id", "owner_id"}) | DATE_RANGE, page=_logs, help="contact logs (联系记录)"))


def _approvals(session, actor, f):
    from crm_tui.services.sales.approvals import queue

    rows = queue(session, actor, status=f.status, kind=f.kind, limit=1_000_000)
    for row in rows:
        day = row.requested_at.date()
        if (f.date_from and day < f.date_from) or (f.date_to and day > f.date_to):
            continue
        yield row


register(ExportKind(
    "approvals", lambda: _("Approvals"), (
        col(lambda: _("Requested at"), "requested_at", "datetime"), col(lambda: _("Kind"), translated("kind")),
        col(lambda: _("Status"), translated("status")), col(lambda: _("Document"), "document"),
        col(lambda: _("Customer"), "customer_name"), col(lambda: _("Requested by"), "requested_by"),
        col(lambda: _("Summary"), "summary"), col(lambda: _("Amount"), "amount", "money"),
        col(lambda: _("Discount"), "discount", "decimal"), col(lambda: _("Comment"), "comment")),
    frozenset({"status", "kind"}) | DATE_RANGE, stream=_approvals, help="approvals (审批)"))


# --- stock and purchasing ---------------------------------------------------------------------------------------

def _doc_kind(attr: str):
    """A stock document kind or ledger document type in the interface language."""
    labels: dict[str, str] = {}

    def get(row):
        if not labels:  # the stock module loads with the first row, not when the CLI starts
            from crm_tui.services.stock.documents import KIND_LABELS

            labels.update(KIND_LABELS, sales_out="Sales stock-out", purchase_receipt="Purchase receipt")
            labels.update(purchase_return="Purchase return")
        value = getattr(row, attr)
        return _(labels.get(value, value)) if value else value
    return get


_STOCK_ROLES = can_manage_any("stock.manage", "products.manage", "purchase.manage")


def _stock_documents(session, actor, f, limit, offset):
    from crm_tui.services.stock.documents import list_documents

    return list_documents(session, kind=f.kind, status=f.status, warehouse_id=f.warehouse_id, limit=limit,
                          offset=offset)


register(ExportKind(
    "stock-documents", lambda: _("Stock documents"), (
        col(lambda: _("Number"), "number"), col(lambda: _("Kind"), _doc_kind("kind")),
        col(lambda: _("Status"), translated("status")), col(lambda: _("Warehouse"), "warehouse_code"),
        col(lambda: _("Date"), "doc_date", "date"), col(lambda: _("Lines"), "lines", "integer"),
        col(lambda: _("Quantity"), "quantity", "decimal")),
    frozenset({"kind", "status", "warehouse_id"}), page=_stock_documents, allowed=_STOCK_ROLES,
    help="stock documents (入库/出库/领料/调拨/盘点 …)"))


def _ledger(session, actor, f):
    from sqlalchemy import select

    from crm_tui.db.models.products import Product
    from crm_tui.db.models.stock import StockMove, Warehouse

    stmt = (select(StockMove.moved_at, Warehouse.code.label("warehouse_code"), Product.code.label("product_code"),
                   Product.name.label("product_name"), Product.unit, StockMove.doc_type, StockMove.doc_number,
                   StockMove.quantity, StockMove.unit_cost, StockMove.amount, StockMove.is_reversal)
            .join(Warehouse, Warehouse.id == StockMove.warehouse_id).join(Product, Product.id == StockMove.product_id)
            .order_by(StockMove.moved_at, StockMove.id))
    if f.warehouse_id:
        stmt = stmt.where(StockMove.warehouse_id == f.warehouse_id)
    if f.product_id:
        stmt = stmt.where(StockMove.product_id == f.product_id)
    if f.kind:
        stmt = stmt.where(StockMove.doc_type == f.kind)
    if f.date_from:
        stmt = stmt.where(StockMove.moved_at >= _since(f))
    if f.date_to:
        stmt = stmt.where(StockMove.moved_at < _until(f))
    return session.execute(stmt.execution_options(yield_per=PAGE_ROWS))


PAGE_ROWS = 5000

register(ExportKind(
    "stock-ledger", lambda: _("Stock ledger"), (
        col(lambda: _("Time"), "moved_at", "datetime"), col(lambda: _("Warehouse"), "warehouse_code"),
        col(lambda: _("Product code"), "product_code"), col(lambda: _("Product"), "product_name"),
        col(lambda: _("Unit"), "unit"), col(lambda: _("Document kind"), _doc_kind("doc_type")),
        col(lambda: _("Document"), "doc_number"), col(lambda: _("Quantity"), "quantity", "decimal"),
        col(lambda: _("Unit cost"), "unit_cost", "decimal"), col(lambda: _("Amount"), "amount", "money"),
        col(lambda: _("Reversal"), lambda r: _("yes") if r.is_reversal else "")),
    frozenset({"warehouse_id", "product_id", "kind"}) | DATE_RANGE, stream=_ledger, allowed=_STOCK_ROLES,
    help="the stock ledger (库存流水)"))


# Column shapes the purchasing lists share.
_PURCHASE_ROLES = can_manage_any("purchase.manage", "purchase.approve")
_RECEIVING_ROLES = can_manage_any("stock.manage", "purchase.manage", "purchase.approve")
_SUPPLIER_DOC_FILTERS = frozenset({"supplier_id", "status", "text"}) | DATE_RANGE


def _number_status() -> tuple:
    return col(lambda: _("Number"), "number"), col(lambda: _("Status"), translated("status"))


def _supplier() -> tuple:
    return col(lambda: _("Supplier code"), "supplier_code"), col(lambda: _("Supplier"), "supplier_name")


def _net_tax_gross() -> tuple:
    return (col(lambda: _("Net amount"), "amount_net", "money"), col(lambda: _("Tax"), "tax", "money"),
            col(lambda: _("Amount incl. tax"), "amount_gross", "money"))


def _order_number() -> ExportColumn:
    return col(lambda: _("Purchase order"), "order_number")


def _purchase_list(name: str, **by):
    """A page reader over ``services/purchasing/lists.py``'s ``name`` list with the supplier-document filters;
    ``by`` maps more of its keywords to ExportFilters fields (warehouse_id="warehouse_id")."""
    def page(session, actor, f, limit, offset):
        from crm_tui.services.purchasing import lists

        extra = {key: getattr(f, attr) for key, attr in by.items()}
        return getattr(lists, name)(session, lists.ListFilter(f.supplier_id, f.status, f.date_from, f.date_to,
                                                               f.text), limit=limit, offset=offset, **extra)
    return page


def _purchase_orders(session, actor, f, limit, offset):
    from crm_tui.services.purchasing.orders import list_orders

    rows = list_orders(session, supplier_id=f.supplier_id, status=f.status, limit=limit, offset=offset)
    return rows


def _purchase_stream(session, actor, f):
    from crm_tui.services.exports.registry import PAGE

    offset = 0
    while True:
        page = _purchase_orders(session, actor, f, PAGE, offset)
        for row in page:
            if (f.date_from and row.doc_date < f.date_from) or (f.date_to and row.doc_date > f.date_to):
                continue
            yield row
        if len(page) < PAGE:
            return
        offset += PAGE


register(ExportKind(
    "purchase-orders", lambda: _("Purchase orders"), (
        *_number_status(), *_supplier(),
        col(lambda: _("Date"), "doc_date", "date"), col(lambda: _("Amount incl. tax"), "amount_gross", "money"),
        col(lambda: _("Receiving"), translated("receiving_state"))),
    frozenset({"supplier_id", "status"}) | DATE_RANGE, stream=_purchase_stream,
    allowed=_PURCHASE_ROLES, help="purchase orders (采购订单)"))


# --- sales returns (sret) ---------------------------------------------------------------------------------------

def _returns(session, actor, f, limit, offset):
    from crm_tui.services.sales.returns import list_returns

    return list_returns(session, actor, status=f.status, customer_id=f.customer_id, text=f.text,
                        date_from=f.date_from, date_to=f.date_to, limit=limit, offset=offset)


register(ExportKind(
    "returns", lambda: _("Sales returns"), (
        col(lambda: _("Number"), "number"), col(lambda: _("Status"), translated("status")),
        col(lambda: _("Return date"), "return_date", "date"), col(lambda: _("Customer code"), "customer_code"),
        col(lambda: _("Customer"), "customer_name"), col(lambda: _("Sales stock-out"), "stock_out_number"),
        col(lambda: _("Amount incl. tax"), "gross_total", "money"), col(lambda: _("Reason"), "reason")),
    frozenset({"status", "customer_id", "text"}) | DATE_RANGE, page=_returns, help="sales returns (销售退货)"))


register(ExportKind(
    "purchase-receipts", lambda: _("Purchase receipts"), (
        *_number_status(), *_supplier(), _order_number(), col(lambda: _("Warehouse"), "warehouse_code"),
        col(lambda: _("Date"), "doc_date", "date"), *_net_tax_gross()),
    _SUPPLIER_DOC_FILTERS | {"warehouse_id"}, page=_purchase_list("list_receipts", warehouse_id="warehouse_id"), allowed=_RECEIVING_ROLES,
    help="purchase receipts (采购入库)"))

register(ExportKind(
    "supplier-payments", lambda: _("Supplier payments"), (
        col(lambda: _("Paid on"), "paid_on", "date"), col(lambda: _("Status"), translated("status")), *_supplier(),
        _order_number(), col(lambda: _("Amount"), "amount", "money"), col(lambda: _("Method"), "method"),
        col(lambda: _("Account"), "account"), col(lambda: _("Reference"), "reference"),
        col(lambda: _("Remarks"), "remarks")),
    _SUPPLIER_DOC_FILTERS, page=_purchase_list("list_payments"), allowed=_PURCHASE_ROLES,
    help="supplier payments (付款)"))

register(ExportKind(
    "input-invoices", lambda: _("Input invoices"), (
        col(lambda: _("Invoice no."), "invoice_number"), col(lambda: _("Invoice kind"), translated("invoice_type")),
        col(lambda: _("Status"), translated("status")), col(lambda: _("Invoice date"), "invoice_date", "date"),
        *_supplier(), _order_number(), *_net_tax_gross()),
    _SUPPLIER_DOC_FILTERS, page=_purchase_list("list_invoices"), allowed=_PURCHASE_ROLES,
    help="input invoices (进项发票)"))


def _purchase_returns(session, actor, f, limit, offset):
    from crm_tui.services.purchasing.returns import list_returns

    return list_returns(session, supplier_id=f.supplier_id, status=f.status, date_from=f.date_from,
                        date_to=f.date_to, text=f.text, limit=limit, offset=offset)


register(ExportKind(
    "purchase-returns", lambda: _("Purchase returns"), (
        *_number_status(), *_supplier(), col(lambda: _("Purchase receipt"), "receipt_number"),
        col(lambda: _("Date"), "doc_date", "date"), col(lambda: _("Amount incl. tax"), "amount_gross", "money"),
        col(lambda: _("Reason"), "reason")),
    _SUPPLIER_DOC_FILTERS, page=_purchase_returns, allowed=_RECEIVING_ROLES, help="purchase returns (采购退货)"))


def _suppliers(session, actor, f, limit, offset):
    from crm_tui.services.purchasing.suppliers import search_suppliers

    return search_suppliers(session, f.text, limit=limit, offset=offset)


register(ExportKind(
    "suppliers", lambda: _("Suppliers"), (
        col(lambda: _("Code"), "code"), col(lambda: _("Supplier name"), "name"),
        col(lambda: _("Short name"), "short_name"), col(lambda: _("Contact"), "primary_contact"),
        col(lambda: _("Mobile"), "primary_mobile"), col(lambda: _("Phone"), "phone"),
        col(lambda: _("Address"), "address"), col(lambda: _("Credit code"), "credit_code"),
        col(lambda: _("Bank"), "bank"), col(lambda: _("Account"), "account"),
        col(lambda: _("Opening payable"), "opening_balance", "money"),
        col(lambda: _("Active"), lambda r: _("yes") if r.active else _("no"))),
    frozenset({"text"}), page=_suppliers, allowed=_PURCHASE_ROLES,
    help="suppliers, as the list shows them (the import headers: crm export suppliers)"))
