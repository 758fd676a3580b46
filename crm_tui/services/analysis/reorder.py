"""Reorder overdue (应复购未复购): regular customers whose next order is late by their own rhythm."""

from __future__ import annotations

import statistics
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.people import User
from crm_tui.db.models.sales import SalesOrder
from crm_tui.i18n import _
from crm_tui.services.analysis.common import (
    Chart,
    Column,
    Report,
    day_number,
    setting,
    to_day_number,
    visible_orders,
)

MIN_ORDERS = 3

COLUMNS = [Column("customer_code", "Customer code"), Column("customer_name", "Customer name"),
           Column("owner", "Salesperson"), Column("orders", "Orders", "integer"),
           Column("last_order_date", "Last order", "date"),
           Column("median_interval_days", "Median interval (days)", "decimal"),
           Column("days_since_last", "Days since", "integer"), Column("expected_date", "Expected", "date"),
           Column("days_overdue", "Days overdue", "integer")]


def overdue(session: Session, actor: Actor, date_from: date | None = None, date_to: date | None = None,
            *, factor: Decimal | None = None) -> Report:
    """Orders up to ``date_to`` (default today; from ``date_from`` when given) are the history."""
    as_of = date_to or clock.today()
    k = factor if factor is not None else setting("reorder_factor")
    day = day_number(session, SalesOrder.order_date)
    where = [*visible_orders(session, actor), SalesOrder.order_date <= as_of]
    if date_from:
        where.append(SalesOrder.order_date >= date_from)
    stmt = (select(SalesOrder.customer_id, day, func.count(SalesOrder.id)).where(*where)
            .group_by(SalesOrder.customer_id, day))
    history: dict[int, list[tuple[int, int]]] = {}
    for cid, d, n in session.execute(stmt):
        history.setdefault(cid, []).append((int(d), n))
    as_of_n = to_day_number(session, as_of)
    late: dict[int, tuple[int, Decimal, int]] = {}
    for cid, days in history.items():
        orders = sum(n for _d, n in days)
        if orders < MIN_ORDERS or len(days) < 2:
            continue  # too few orders, or every order on one day: no rhythm yet
        days.sort()
        intervals = [b[0] - a[0] for a, b in zip(days, days[1:], strict=False)]
        median = Decimal(str(statistics.median(intervals)))
        since = as_of_n - days[-1][0]
        if since > k * median:
            late[cid] = (since, median, orders)
    rows = []
    if late:
        names = {cid: (code, name, owner or "") for cid, code, name, owner in session.execute(
            select(Customer.id, Customer.code, Customer.name, User.display_name)
            .outerjoin(User, User.id == Customer.owner_id).where(Customer.id.in_(list(late))))}
        for cid, (since, median, orders) in late.items():
            code, name, owner = names[cid]
            last_date = as_of - timedelta(days=since)
            expected = last_date + timedelta(days=int(median.to_integral_value(ROUND_HALF_UP)))
            rows.append({"customer_code": code, "customer_name": name, "owner": owner, "orders": orders,
                         "last_order_date": last_date, "median_interval_days": median, "days_since_last": since,
                         "expected_date": expected, "days_overdue": (as_of - expected).days})
        rows.sort(key=lambda r: (-r["days_overdue"], r["customer_code"]))
    rule = _("Customers with at least {m} confirmed orders whose days since the last order exceed {k} × their "
             "median interval between orders, as of {as_of} (k in settings [analysis] reorder_factor); the "
             "expected date is the last order plus the median interval.").format(m=MIN_ORDERS, k=k, as_of=as_of)
    return Report("reorder", "Reorder overdue", rule, COLUMNS, rows,
                  Chart("bar", "customer_name", ("days_overdue",), code="customer_code"))

