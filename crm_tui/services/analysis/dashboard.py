"""The boss's dashboard: this month against the same month last year, receivables and overdue, the top 10
customers and products, the churn count, the funnel and the stock value."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import case, func, select, type_coerce
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.products import Product
from crm_tui.db.models.sales import Receipt, SalesOrder, SalesOrderLine
from crm_tui.db.types import Money
from crm_tui.i18n import _
from crm_tui.services.analysis import hooks
from crm_tui.services.analysis.common import (
    ZERO,
    Chart,
    Column,
    Period,
    Report,
    change,
    period_or,
    this_month,
    visible_orders,
)
from crm_tui.services.customers.visibility import sees_everything
from crm_tui.services.sales import permissions as perms

TOP = 10

COLUMNS = [Column("kind", "Top 10"), Column("code", "Code"), Column("name", "Item name"), Column("amount", "Amount", "money")]


def _totals(session: Session, actor: Actor, period: Period) -> tuple:
    """The sales of ``period`` and of the same period last year, in one pass."""
    before = period.last_year()

    def within(p: Period):
        return type_coerce(func.sum(case((SalesOrder.order_date.between(p.start, p.end), SalesOrder.gross_total),
                                         else_=None)), Money)

    now, last_year = session.execute(select(within(period), within(before)).where(
        *visible_orders(session, actor), SalesOrder.order_date.between(before.start, before.end)
        | SalesOrder.order_date.between(period.start, period.end))).one()
    return now or ZERO, last_year or ZERO


def _top(session: Session, actor: Actor, period: Period, kind: str) -> list[dict]:
    live = (*visible_orders(session, actor), SalesOrder.order_date.between(period.start, period.end))
    if kind == "customers":
        amount = func.sum(SalesOrder.gross_total)
        stmt = (select(Customer.code, Customer.name, amount).join(Customer, Customer.id == SalesOrder.customer_id)
                .where(*live).group_by(Customer.code, Customer.name).order_by(amount.desc(), Customer.code))
    else:
        amount = func.sum(SalesOrderLine.gross_amount)
        stmt = (select(Product.code, Product.name, amount).join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
                .join(Product, Product.id == SalesOrderLine.product_id).where(*live)
                .group_by(Product.code, Product.name).order_by(amount.desc(), Product.code))
    stmt = stmt.limit(TOP)
    label = _("Customers") if kind == "customers" else _("Products")
    return [{"kind": label, "code": code, "name": name, "amount": value or ZERO}
            for code, name, value in session.execute(stmt)]


def receivables_totals(session: Session, actor: Actor, as_of: date) -> tuple:
    """(balance, overdue) of the visible customers as of ``as_of``, summed in SQL: the same figures as the sales
    area's receivables and aging (receipts pay the oldest debts first, so what is overdue is the balance beyond
    the last 30 days' billing and a recent opening balance), without building a row per customer."""
    from crm_tui.services.sales import receivables as rv

    _table, cust_col, date_col, amount_col, live = rv._documents(rv.receivable_basis())
    edge = as_of - timedelta(days=rv.BUCKET_EDGES[0])
    billed = (select(cust_col.label("cid"), func.sum(amount_col).label("billed"),
                     func.sum(case((date_col >= edge, amount_col), else_=0)).label("recent"))
              .where(live, date_col <= as_of, perms.visible_clause(session, actor, cust_col))
              .group_by(cust_col).subquery())
    received = (select(Receipt.customer_id.label("cid"), func.sum(Receipt.amount_cny).label("received"))
                .where(Receipt.status == "confirmed", Receipt.received_on <= as_of,
                       perms.visible_clause(session, actor, Receipt.customer_id))
                .group_by(Receipt.customer_id).subquery())
    returned = rv.return_credits.by_customer_query(session, actor, as_of).subquery()
    opening = func.coalesce(Customer.opening_balance, 0)
    balance = (opening + func.coalesce(billed.c.billed, 0) - func.coalesce(received.c.received, 0)
               - func.coalesce(returned.c.returned, 0))
    recent = func.coalesce(billed.c.recent, 0) + case(
        ((Customer.created_on >= edge) & (opening > 0), opening), else_=0)
    per = (select(balance.label("balance"), recent.label("recent")).select_from(Customer)
           .outerjoin(billed, billed.c.cid == Customer.id).outerjoin(received, received.c.cid == Customer.id)
           .outerjoin(returned, returned.c.cid == Customer.id)
           .where(perms.visible_clause(session, actor, Customer.id)).subquery())
    total, overdue = session.execute(select(
        type_coerce(func.coalesce(func.sum(per.c.balance), 0), Money),
        type_coerce(func.coalesce(func.sum(case((per.c.balance > per.c.recent, per.c.balance - per.c.recent),
                                                 else_=0)), 0), Money))).one()
    return total, overdue


def dashboard(session: Session, actor: Actor, date_from: date | None = None, date_to: date | None = None) -> Report:
    """The period defaults to this month; receivables are as of its last day (or today, if earlier)."""
    from crm_tui.services.analysis.churn import churn_count
    period = period_or(date_from, date_to, this_month())
    as_of = min(period.end, clock.today())
    now, last_year = _totals(session, actor, period)
    balance, overdue = receivables_totals(session, actor, as_of)
    stock_value = None
    if sees_everything(actor):
        from crm_tui.services.stock.analysis import value_by_warehouse

        stock_value = sum((w.value for w in value_by_warehouse(session)), ZERO)
    funnel = hooks.call("funnel", session, actor, period)
    customers, products = _top(session, actor, period, "customers"), _top(session, actor, period, "products")
    summary = {"period_from": period.start, "period_to": period.end, "sales": now, "sales_last_year": last_year,
               "yoy": change(now, last_year), "receivables": balance, "overdue": overdue,
               "churn_count": churn_count(session, actor, as_of), "stock_value": stock_value, "funnel": funnel}
    notes = [] if funnel is not None else [_("Funnel: not available yet (opportunities are not set up).")]
    rule = _("Confirmed orders (tax-inclusive) from {start} to {end} against the same period last year; "
             "receivables as of {as_of}, overdue = older than 30 days; churn as in the churn list; stock value at "
             "moving-average cost.").format(start=period.start, end=period.end, as_of=as_of)
    return Report("dashboard", "Dashboard", rule, COLUMNS, customers + products,
                  Chart("bar", "name", ("amount",), code="code"), notes=notes, summary=summary)


def dashboard_json(report: Report) -> dict:
    from crm_tui.services.analysis.common import plain

    s = report.summary
    top = report.as_json()
    customers_label = _("Customers")
    money = {"sales", "sales_last_year", "receivables", "overdue", "stock_value"}
    return {**{k: plain(v, "money" if k in money else "") for k, v in s.items() if k != "funnel"},
            "funnel": s["funnel"] if s["funnel"] is None else [{k: plain(v) for k, v in r.items()}
                                                                 for r in s["funnel"]],
            "top_customers": [{k: r[k] for k in ("code", "name", "amount")} for r in top
                              if r["kind"] == customers_label],
            "top_products": [{k: r[k] for k in ("code", "name", "amount")} for r in top
                             if r["kind"] != customers_label]}
