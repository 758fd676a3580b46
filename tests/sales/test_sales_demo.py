"""``crm demo``: four months of sales on top of the customers and stock of the demo company."""

from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from crm_tui.db.models.sales import (
    Approval,
    DeliveryNotice,
    ExpenseClaim,
    Quote,
    Receipt,
    SalesInvoice,
    SalesOrder,
    SalesStockOut,
    TrackingNumber,
)
from crm_tui.db.session import read_session
from crm_tui.services.common.checks import run_checks
from crm_tui.services.demo import TODAY


def _count_by(s, column):
    return dict(s.execute(select(column, func.count()).group_by(column)).all())


@pytest.mark.xdist_group("demo")
def test_demo_sales_books(demo):
    from crm_tui.services.sales import receivables
    from crm_tui.services.sales import reports as sales_reports

    engine, admin, counts = demo.engine, demo.admin, demo.counts
    assert counts["sales orders"] == 60 and counts["receipts"] > 40 and counts["invoices"] > 5
    with read_session(engine, admin) as s:
        orders = _count_by(s, SalesOrder.status)
        assert {"confirmed", "done", "cancelled", "pending_approval"} <= set(orders)
        assert {"draft", "done"} <= set(_count_by(s, Quote.status))
        assert {"confirmed", "cancelled"} <= set(_count_by(s, SalesStockOut.status))
        assert s.scalar(select(func.count()).select_from(DeliveryNotice)) > 5
        assert s.scalar(select(func.count()).select_from(TrackingNumber)) > 10
        usd = s.scalars(select(Receipt).where(Receipt.currency == "USD")).all()
        assert len(usd) == 1 and usd[0].amount_cny == (usd[0].amount * usd[0].rate).quantize(D("0.01"))
        assert s.scalar(select(func.count()).select_from(SalesInvoice)) == counts["invoices"]
        assert {"approved", "pending_approval"} <= set(_count_by(s, ExpenseClaim.status))
        assert {"approved"} <= set(_count_by(s, Approval.status))
        rows = receivables.receivables(s, admin, TODAY)
        assert any(r.billed for r in rows) and any(sum(r.aging[1:]) for r in rows)
        assert any(r.balance < 0 for r in rows)  # advances
        assert sales_reports.unshipped(s, admin)
        by_person = sales_reports.sales_summary(s, admin, TODAY.replace(month=8, day=1), TODAY)
        assert all(r.cost < r.shipped_net for r in by_person if r.shipped_net)
    assert {k: v for k, v in run_checks(engine).items() if v} == {}
