"""Reorder overdue (应复购未复购): regular customers whose next order is late by their own rhythm."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, func, select
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


def _where(session: Session, actor: Actor, as_of: date, date_from: date | None) -> list:
    where = [*visible_orders(session, actor), SalesOrder.order_date <= as_of]
    if date_from:
        where.append(SalesOrder.order_date >= date_from)
    return where


def _late_in_sql(session: Session, actor: Actor, as_of: date, date_from: date | None, k: Decimal) -> list[tuple]:
    """PostgreSQL, in one pass of SQL: (code, name, owner, orders, days with orders, last order day, twice the
    median interval) of the customers with at least ``MIN_ORDERS`` orders on at least two days whose days since
    the last order exceed ``k`` × their median interval. Intervals run between consecutive order days (``lag``);
    ranked with the first day (no interval) first, the middle intervals of a customer with ``n`` order days are
    ranks n // 2 + 1 and (n + 1) // 2 + 1 (one and the same when the count of intervals is odd). Twice the median
    is a whole number and k = p / q, so the test is exact integer arithmetic, as in Python."""
    days = (select(SalesOrder.customer_id.label("cid"), SalesOrder.order_date.label("day"),
                   func.count(SalesOrder.id).label("n"))
            .where(*_where(session, actor, as_of, date_from))
            .group_by(SalesOrder.customer_id, SalesOrder.order_date).subquery())
    d = day_number(session, days.c.day)
    gap = d - func.lag(d).over(partition_by=days.c.cid, order_by=days.c.day)
    gaps = select(days.c.cid, d.label("d"), days.c.n, gap.label("gap")).subquery()
    ranked = select(gaps, func.row_number().over(partition_by=gaps.c.cid, order_by=func.coalesce(gaps.c.gap, -1))
                    .label("rn"), func.count().over(partition_by=gaps.c.cid).label("nd")).subquery()
    middle = ranked.c.rn.in_([ranked.c.nd // 2 + 1, (ranked.c.nd + 1) // 2 + 1])
    twice = func.sum(case((middle, ranked.c.gap), else_=0)) * 2 // func.sum(case((middle, 1), else_=0))
    since = to_day_number(session, as_of) - func.max(ranked.c.d)
    p, q = k.as_integer_ratio()
    per = (select(ranked.c.cid, func.sum(ranked.c.n).label("orders"), func.count().label("ndays"),
                  func.max(ranked.c.d).label("last"), twice.label("twice"))
           .group_by(ranked.c.cid)
           .having(func.count() >= 2, func.sum(ranked.c.n) >= MIN_ORDERS, since * 2 * q > twice * p).subquery())
    return list(session.execute(
        select(Customer.code, Customer.name, User.display_name, per.c.orders, per.c.ndays, per.c.last, per.c.twice)
        .join(per, per.c.cid == Customer.id).outerjoin(User, User.id == Customer.owner_id)))


def _late_in_python(session: Session, actor: Actor, as_of: date, date_from: date | None, k: Decimal
                    ) -> list[tuple]:
    """SQLite: the same rows from the (customer, order day) counts (its window functions cost more than this)."""
    day = day_number(session, SalesOrder.order_date)
    history: dict[int, list[tuple[int, int]]] = {}
    for cid, d, n in session.execute(select(SalesOrder.customer_id, day, func.count(SalesOrder.id))
                                     .where(*_where(session, actor, as_of, date_from))
                                     .group_by(SalesOrder.customer_id, day)):
        history.setdefault(cid, []).append((int(d), n))
    as_of_n, (p, q) = to_day_number(session, as_of), k.as_integer_ratio()
    late: dict[int, tuple] = {}
    for cid, days in history.items():
        orders = sum(n for _d, n in days)
        if orders < MIN_ORDERS or len(days) < 2:
            continue  # too few orders, or every order on one day: no rhythm yet
        days.sort()
        gaps = sorted(b[0] - a[0] for a, b in zip(days, days[1:], strict=False))
        mid = gaps[(len(gaps) - 1) // 2:len(gaps) // 2 + 1]
        twice = sum(mid) * 2 // len(mid)
        if (as_of_n - days[-1][0]) * 2 * q > twice * p:
            late[cid] = (orders, len(days), days[-1][0], twice)
    if not late:
        return []
    return [(code, name, owner, *late[cid]) for cid, code, name, owner in session.execute(
        select(Customer.id, Customer.code, Customer.name, User.display_name)
        .outerjoin(User, User.id == Customer.owner_id).where(Customer.id.in_(list(late))))]


def _median(twice: int, intervals: int) -> Decimal:
    """As ``statistics.median`` gives it: a whole number for an odd count, else the mean written as a float."""
    return Decimal(twice // 2) if intervals % 2 else Decimal(str(twice / 2))


def overdue(session: Session, actor: Actor, date_from: date | None = None, date_to: date | None = None,
            *, factor: Decimal | None = None) -> Report:
    """Orders up to ``date_to`` (default today; from ``date_from`` when given) are the history."""
    as_of = date_to or clock.today()
    k = factor if factor is not None else setting("reorder_factor")
    as_of_n = to_day_number(session, as_of)
    rows = []
    late = _late_in_sql if session.get_bind().dialect.name == "postgresql" else _late_in_python
    for code, name, owner, orders, ndays, last, twice in late(session, actor, as_of, date_from, k):
        median = _median(int(twice), int(ndays) - 1)
        since = as_of_n - int(last)
        last_date = as_of - timedelta(days=since)
        expected = last_date + timedelta(days=int(median.to_integral_value(ROUND_HALF_UP)))
        rows.append({"customer_code": code, "customer_name": name, "owner": owner or "", "orders": int(orders),
                     "last_order_date": last_date, "median_interval_days": median, "days_since_last": since,
                     "expected_date": expected, "days_overdue": (as_of - expected).days})
    rows.sort(key=lambda r: (-r["days_overdue"], r["customer_code"]))
    rule = _("Customers with at least {m} confirmed orders whose days since the last order exceed {k} × their "
             "median interval between orders, as of {as_of} (k in settings [analysis] reorder_factor); the "
             "expected date is the last order plus the median interval.").format(m=MIN_ORDERS, k=k, as_of=as_of)
    return Report("reorder", "Reorder overdue", rule, COLUMNS, rows,
                  Chart("bar", "customer_name", ("days_overdue",), code="customer_code"))

