"""Persistency: a retention cohort. Of the customers first ordering in quarter Q, the share still ordering in
Q+1 … Q+4."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Integer, cast, extract, func, select
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.db.models.sales import SalesOrder
from crm_tui.i18n import _
from crm_tui.services.analysis.common import Chart, Column, Report, ratio, visible_orders

AHEAD = 4

COLUMNS = [Column("quarter", "Quarter"), Column("customers", "New customers", "integer"),
           *[Column(f"q{i}", f"Q+{i}", "rate") for i in range(1, AHEAD + 1)]]


def _quarter(year: int, month: int) -> int:
    return int(year) * 4 + (int(month) - 1) // 3


def _label(q: int) -> str:
    return f"{q // 4}Q{q % 4 + 1}"


def cohort(session: Session, actor: Actor, date_from: date | None = None, date_to: date | None = None) -> Report:
    """Cohorts of the quarters from ``date_from`` (default: two years before ``date_to``) to ``date_to`` (today)."""
    end = date_to or clock.today()
    start = date_from or date(end.year - 2, end.month, 1)
    first_q, last_q = _quarter(start.year, start.month), _quarter(end.year, end.month)
    quarter = (cast(extract("year", SalesOrder.order_date), Integer) * 4
               + (cast(extract("month", SalesOrder.order_date), Integer) - 1) // 3)
    active = (select(SalesOrder.customer_id.label("cid"), quarter.label("q"))
              .where(*visible_orders(session, actor), SalesOrder.order_date <= end)
              .group_by(SalesOrder.customer_id, quarter).subquery())
    first = select(active.c.cid, func.min(active.c.q).label("fq")).group_by(active.c.cid).subquery()
    offset = (active.c.q - first.c.fq).label("offset")
    stmt = (select(first.c.fq, offset, func.count()).join(active, active.c.cid == first.c.cid)
            .where(first.c.fq.between(first_q, last_q), offset.between(0, AHEAD))
            .group_by(first.c.fq, offset))
    counts = {(int(fq), int(off)): n for fq, off, n in session.execute(stmt)}
    rows = []
    for q in range(first_q, last_q + 1):
        size = counts.get((q, 0), 0)
        row = {"quarter": _label(q), "customers": size}
        for i in range(1, AHEAD + 1):
            # None: that quarter has not come (or not wholly) yet
            row[f"q{i}"] = None if q + i > last_q else ratio(Decimal(counts.get((q, i), 0)), Decimal(size))
        rows.append(row)
    rule = _("Customers grouped by the quarter of their first confirmed order ({start} to {end}); each later "
             "column is the share of them that ordered again in that quarter.").format(
        start=_label(first_q), end=_label(last_q))
    return Report("cohort", "Retention cohort", rule, COLUMNS, rows,
                  Chart("line", "quarter", tuple(f"q{i}" for i in range(1, AHEAD + 1))))
