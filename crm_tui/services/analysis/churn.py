"""Churned customers (流失客户): ordered in the reference window, but not in the last N days."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import case, func, select, type_coerce
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.people import User
from crm_tui.db.models.sales import SalesOrder
from crm_tui.db.types import Money
from crm_tui.i18n import _
from crm_tui.services.analysis.common import ZERO, Chart, Column, Report, setting, visible_orders

COLUMNS = [Column("customer_code", "Customer code"), Column("customer_name", "Customer name"),
           Column("owner", "Salesperson"), Column("last_order_date", "Last order", "date"),
           Column("days_since_last", "Days since", "integer"), Column("amount_12m", "12-month amount", "money")]


def _churned(session: Session, actor: Actor, as_of: date, start: date, cutoff: date):
    """Per churned customer: its id, last order day and the amount of the 12 months up to ``as_of``."""
    year_ago = as_of - timedelta(days=365)
    last = func.max(SalesOrder.order_date)
    amount = type_coerce(func.sum(case((SalesOrder.order_date > year_ago, SalesOrder.gross_total), else_=0)), Money)
    return (select(SalesOrder.customer_id.label("cid"), last.label("last"), amount.label("amount"))
            .where(*visible_orders(session, actor), SalesOrder.order_date <= as_of)
            .group_by(SalesOrder.customer_id)
            .having(last < cutoff, last >= start))


def churn_count(session: Session, actor: Actor, as_of: date) -> int:
    """How many customers the churn list as of ``as_of`` (default window and N) holds, counted in SQL."""
    n = int(setting("churn_days", int))
    per = _churned(session, actor, as_of, as_of - timedelta(days=365), as_of - timedelta(days=n)).subquery()
    return session.scalar(select(func.count()).select_from(per))


def churned(session: Session, actor: Actor, date_from: date | None = None, date_to: date | None = None,
            *, days: int | None = None) -> Report:
    """``date_to`` is the day the list is drawn up (default today); the reference window runs from
    ``date_from`` (default a year before) to N days before it."""
    as_of = date_to or clock.today()
    n = days if days is not None else int(setting("churn_days", int))
    start = date_from or as_of - timedelta(days=365)
    cutoff = as_of - timedelta(days=n)
    per = _churned(session, actor, as_of, start, cutoff).subquery()
    stmt = (select(Customer.code, Customer.name, User.display_name, per.c.last, per.c.amount)
            .join(per, per.c.cid == Customer.id).outerjoin(User, User.id == Customer.owner_id)
            .order_by(per.c.amount.desc(), Customer.code))
    rows = [{"customer_code": code, "customer_name": name, "owner": owner or "",
             "last_order_date": last_day, "days_since_last": (as_of - last_day).days, "amount_12m": amt or ZERO}
            for code, name, owner, last_day, amt in session.execute(stmt)]
    rule = _("Customers who ordered between {start} and {cutoff} but not in the {n} days up to {as_of} "
             "(N = {n}, settings [analysis] churn_days); the amount is what they ordered in the 12 months "
             "up to {as_of}.").format(start=start, cutoff=cutoff - timedelta(days=1), n=n, as_of=as_of)
    return Report("churn", "Churned customers", rule, COLUMNS, rows,
                  Chart("bar", "customer_name", ("amount_12m",), code="customer_code"))
