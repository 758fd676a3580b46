"""Sales reports: unshipped goods, sales by salesperson / product / customer / month (with gross margin),
expense analysis and invoices outstanding. Every report counts only what the user may see.

Gross margin is what shipped in the period at its net sale value less its cost (the moving-average value the
stock ledger took out for it).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from sqlalchemy import String, cast, func, select, type_coerce
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.core.errors import ValidationError
from crm_tui.core.money import plain, round_money
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.people import User
from crm_tui.db.models.products import Product
from crm_tui.db.models.sales import (
    DeliveryNotice,
    DeliveryNoticeLine,
    ExpenseClaim,
    Receipt,
    SalesInvoice,
    SalesOrder,
    SalesOrderLine,
    SalesStockOut,
    SalesStockOutLine,
)
from crm_tui.db.types import Quantity
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.sales import permissions as perms
from crm_tui.services.stock.units import base_sql, in_unit

ZERO = Decimal(0)
SALES_GROUPS = ("salesperson", "product", "customer", "month")
EXPENSE_GROUPS = ("salesperson", "customer", "category")
LIVE_ORDER = ("confirmed", "done")


QUANTITIES = frozenset({"ordered", "shipped", "unshipped", "on_notices", "quantity"})


def _plain(name: str, value):
    """Amounts as decimal strings with two places, quantities as plain numbers, dates ISO."""
    if isinstance(value, Decimal):
        if name in QUANTITIES:
            return plain(value) if value else "0"
        if name in ("discount", "rate"):
            return plain(value)
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


def as_json(row) -> dict:
    return {f.name: _plain(f.name, getattr(row, f.name)) for f in fields(row)}


# --- unshipped goods ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnshippedRow:
    order_number: str
    order_reference: str | None
    order_date: date
    delivery_date: date | None
    customer_code: str
    customer_name: str
    product_code: str
    product_name: str
    spec: str | None
    unit: str | None
    ordered: Decimal
    shipped: Decimal
    unshipped: Decimal
    on_notices: Decimal
    value: Decimal  # tax-inclusive value of what is unshipped


def unshipped(session: Session, actor: Actor, *, customer_id: int | None = None, product_id: int | None = None,
              due_by: date | None = None) -> list[UnshippedRow]:
    """Ordered − shipped per line of every confirmed order (closed, done and cancelled orders ship nothing more)."""
    held = (select(DeliveryNoticeLine.order_line_id,
                   type_coerce(func.sum(base_sql(DeliveryNoticeLine.quantity, DeliveryNoticeLine.unit_factor,
                                                 DeliveryNoticeLine.shipped_quantity)), Quantity).label("h"))
            .join(DeliveryNotice, DeliveryNotice.id == DeliveryNoticeLine.notice_id)
            .where(DeliveryNotice.status == "confirmed").group_by(DeliveryNoticeLine.order_line_id).subquery())
    stmt = (select(SalesOrder.number, SalesOrder.external_ref, SalesOrder.order_date,
                   func.coalesce(SalesOrderLine.delivery_date, SalesOrder.delivery_date), Customer.code, Customer.name,
                   Product.code, Product.name, Product.spec, Product.unit, SalesOrderLine.quantity,
                   SalesOrderLine.shipped_quantity, SalesOrderLine.gross_amount, held.c.h, SalesOrderLine.unit,
                   SalesOrderLine.unit_factor)
            .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
            .join(Customer, Customer.id == SalesOrder.customer_id)
            .join(Product, Product.id == SalesOrderLine.product_id)
            .outerjoin(held, held.c.order_line_id == SalesOrderLine.id)
            .where(SalesOrder.status == "confirmed",
                   SalesOrderLine.shipped_quantity < base_sql(SalesOrderLine.quantity, SalesOrderLine.unit_factor),
                   perms.visible_clause(session, actor, SalesOrder.customer_id, shipping=True))
            .order_by(SalesOrder.order_date, SalesOrder.number, SalesOrderLine.line_no))
    if customer_id:
        stmt = stmt.where(SalesOrder.customer_id == customer_id)
    if product_id:
        stmt = stmt.where(SalesOrderLine.product_id == product_id)
    out = []
    for num, ref, od, dd, ccode, cname, pcode, pname, spec, unit, qty, shipped, gross, h, lunit, f in \
            session.execute(stmt):
        if due_by and dd and dd > due_by:
            continue
        shipped, held_now = in_unit(shipped, f), in_unit(h or ZERO, f)  # in the line's unit
        left = qty - shipped
        out.append(UnshippedRow(num, ref, od, dd, ccode, cname, pcode, pname, spec, lunit or unit, qty, shipped, left,
                                held_now, round_money(gross * left / qty)))
    return out


# --- sales --------------------------------------------------------------------------------------------------


@dataclass
class SalesRow:
    key: str
    name: str
    orders: int = 0
    quantity: Decimal = ZERO  # by product: quantity ordered
    net: Decimal = ZERO  # ordered, net of tax
    gross: Decimal = ZERO  # ordered, tax-inclusive
    received: Decimal = ZERO  # receipts in the period (RMB)
    shipped_net: Decimal = ZERO
    cost: Decimal = ZERO

    @property
    def margin(self) -> Decimal:
        return self.shipped_net - self.cost

    @property
    def margin_rate(self) -> Decimal | None:
        return (self.margin / self.shipped_net).quantize(Decimal("0.0001")) if self.shipped_net else None

    def as_json(self) -> dict:
        out = as_json(self)
        out["margin"] = f"{self.margin:.2f}"
        out["margin_rate"] = None if self.margin_rate is None else str(self.margin_rate)
        return out


def sales_summary(session: Session, actor: Actor, date_from: date, date_to: date, *, by: str = "salesperson",
                  customer_id: int | None = None) -> list[SalesRow]:
    """Orders (count, amounts), receipts and the margin of what shipped, per ``by`` group, for the period."""
    if by not in SALES_GROUPS:
        raise ValidationError(_("Group by one of: {groups}").format(groups=", ".join(SALES_GROUPS)), field="by")
    if date_to < date_from:
        raise ValidationError(_("The period ends ({end}) before it starts ({start}).").format(
            start=date_from, end=date_to), field="to")
    rows: dict[object, SalesRow] = {}

    def row(key, name) -> SalesRow:
        if key not in rows:
            rows[key] = SalesRow(str(key) if key is not None else "", name or _("(none)"))
        return rows[key]

    visible_orders = perms.visible_clause(session, actor, SalesOrder.customer_id)
    in_period = (SalesOrder.status.in_(LIVE_ORDER), SalesOrder.order_date.between(date_from, date_to), visible_orders)
    extra = (SalesOrder.customer_id == customer_id,) if customer_id else ()
    if by == "product":
        stmt = (select(Product.code, Product.name, func.count(func.distinct(SalesOrder.id)),
                       func.sum(base_sql(SalesOrderLine.quantity, SalesOrderLine.unit_factor)),
                       func.sum(SalesOrderLine.net_amount), func.sum(SalesOrderLine.gross_amount))
                .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
                .join(Product, Product.id == SalesOrderLine.product_id)
                .where(*in_period, *extra).group_by(Product.code, Product.name))
        for code, name, n, q, net, gross in session.execute(stmt):
            r = row(code, name)
            r.orders, r.quantity, r.net, r.gross = n, q or ZERO, net or ZERO, gross or ZERO
    else:
        group, label = _grouping(by, SalesOrder.owner_id, SalesOrder.order_date)
        stmt = (select(group, label, func.count(SalesOrder.id), func.sum(SalesOrder.net_total),
                       func.sum(SalesOrder.gross_total))
                .select_from(SalesOrder).outerjoin(User, User.id == SalesOrder.owner_id)
                .join(Customer, Customer.id == SalesOrder.customer_id)
                .where(*in_period, *extra).group_by(group, label))
        for key, name, n, net, gross in session.execute(stmt):
            r = row(key, name)
            r.orders, r.net, r.gross = n, net or ZERO, gross or ZERO
        _add_receipts(session, actor, by, date_from, date_to, customer_id, row)
    _add_shipments(session, actor, by, date_from, date_to, customer_id, row)
    if by == "month":
        return sorted(rows.values(), key=lambda r: r.key)
    return sorted(rows.values(), key=lambda r: (-r.gross, r.key))


def _grouping(by: str, owner_col, date_col):
    if by == "salesperson":
        return owner_col, User.display_name
    if by == "customer":
        return Customer.code, Customer.name
    if by == "month":
        month = func.substr(cast(date_col, String(10)), 1, 7)
        return month, month
    raise AssertionError(by)


def _add_receipts(session, actor, by, date_from, date_to, customer_id, row) -> None:
    group, label = _grouping(by, Receipt.owner_id, Receipt.received_on)
    stmt = (select(group, label, func.sum(Receipt.amount_cny)).select_from(Receipt)
            .outerjoin(User, User.id == Receipt.owner_id).join(Customer, Customer.id == Receipt.customer_id)
            .where(Receipt.status == "confirmed", Receipt.received_on.between(date_from, date_to),
                   perms.visible_clause(session, actor, Receipt.customer_id)).group_by(group, label))
    if customer_id:
        stmt = stmt.where(Receipt.customer_id == customer_id)
    for key, name, amount in session.execute(stmt):
        row(key, name).received += amount or ZERO


def _add_shipments(session, actor, by, date_from, date_to, customer_id, row) -> None:
    if by == "product":
        group, label = Product.code, Product.name
    else:
        group, label = _grouping(by, SalesOrder.owner_id, SalesStockOut.out_date)
    stmt = (select(group, label, func.sum(SalesStockOutLine.net_amount), func.sum(SalesStockOutLine.cost_amount))
            .select_from(SalesStockOutLine)
            .join(SalesStockOut, SalesStockOut.id == SalesStockOutLine.stock_out_id)
            .join(SalesOrderLine, SalesOrderLine.id == SalesStockOutLine.order_line_id)
            .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
            .join(Customer, Customer.id == SalesStockOut.customer_id)
            .join(Product, Product.id == SalesStockOutLine.product_id)
            .outerjoin(User, User.id == SalesOrder.owner_id)
            .where(SalesStockOut.status == "confirmed", SalesStockOut.out_date.between(date_from, date_to),
                   perms.visible_clause(session, actor, SalesStockOut.customer_id)).group_by(group, label))
    if customer_id:
        stmt = stmt.where(SalesStockOut.customer_id == customer_id)
    for key, name, net, cost in session.execute(stmt):
        r = row(key, name)
        r.shipped_net += net or ZERO
        r.cost += cost or ZERO


# --- expenses ------------------------------------------------------------------------------------------------


@dataclass
class ExpenseRow:
    key: str
    name: str
    claims: int = 0
    approved: Decimal = ZERO
    pending: Decimal = ZERO
    rejected: Decimal = ZERO


def expense_summary(session: Session, actor: Actor, date_from: date, date_to: date, *,
                    by: str = "salesperson") -> list[ExpenseRow]:
    """Expense claims per salesperson, customer or category, by what became of them."""
    if by not in EXPENSE_GROUPS:
        raise ValidationError(_("Group by one of: {groups}").format(groups=", ".join(EXPENSE_GROUPS)), field="by")
    group, label = {"salesperson": (ExpenseClaim.claimant_id, User.display_name),
                    "customer": (Customer.code, Customer.name),
                    "category": (ExpenseClaim.category, ExpenseClaim.category)}[by]
    stmt = (select(group, label, ExpenseClaim.status, func.count(), func.sum(ExpenseClaim.amount))
            .select_from(ExpenseClaim).join(User, User.id == ExpenseClaim.claimant_id)
            .outerjoin(Customer, Customer.id == ExpenseClaim.customer_id)
            .where(ExpenseClaim.spent_on.between(date_from, date_to),
                   ExpenseClaim.status.in_(("pending_approval", "approved", "rejected")),
                   permissions.owner_filter(session, actor, ExpenseClaim.claimant_id))
            .group_by(group, label, ExpenseClaim.status))
    rows: dict[object, ExpenseRow] = {}
    for key, name, status, n, amount in session.execute(stmt):
        r = rows.setdefault(key, ExpenseRow(str(key) if key is not None else "", name or _("(none)")))
        r.claims += n
        field_name = {"pending_approval": "pending"}.get(status, status)
        setattr(r, field_name, getattr(r, field_name) + (amount or ZERO))
    return sorted(rows.values(), key=lambda r: (-(r.approved + r.pending), r.key))


# --- invoices outstanding ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UninvoicedRow:
    order_number: str
    order_date: date
    customer_code: str
    customer_name: str
    gross_total: Decimal
    invoiced: Decimal
    uninvoiced: Decimal


def invoices_outstanding(session: Session, actor: Actor, *, customer_id: int | None = None) -> list[UninvoicedRow]:
    """Confirmed orders not yet fully invoiced."""
    inv = (select(SalesInvoice.order_id, func.sum(SalesInvoice.gross_amount).label("g"))
           .where(SalesInvoice.status == "confirmed", SalesInvoice.order_id.is_not(None))
           .group_by(SalesInvoice.order_id).subquery())
    from crm_tui.services.sales.red_invoices import order_totals

    reds = order_totals(session)
    stmt = (select(SalesOrder.number, SalesOrder.order_date, Customer.code, Customer.name, SalesOrder.gross_total,
                   inv.c.g, SalesOrder.id)
            .join(Customer, Customer.id == SalesOrder.customer_id)
            .outerjoin(inv, inv.c.order_id == SalesOrder.id)
            .where(SalesOrder.status.in_(LIVE_ORDER), perms.visible_clause(session, actor, SalesOrder.customer_id))
            .order_by(SalesOrder.order_date, SalesOrder.number))
    if customer_id:
        stmt = stmt.where(SalesOrder.customer_id == customer_id)
    out = []
    for num, d, code, name, gross, g, oid in session.execute(stmt):
        done = (g or ZERO) + reds.get(oid, ZERO)
        if done < gross:
            out.append(UninvoicedRow(num, d, code, name, gross, done, gross - done))
    return out
