"""The demo step: products with specs, two warehouses, suppliers, orders in every state, a consistent ledger."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from crm_tui.db.models.purchasing import PurchaseOrder, PurchaseReceipt
from crm_tui.db.models.stock import StockDocument
from crm_tui.db.session import read_session
from crm_tui.services.stock import analysis as stock_analysis

from .helpers import assert_ledger_consistent


@pytest.mark.xdist_group("demo")
def test_demo_builds_a_consistent_distributor(demo):
    engine, counts = demo.engine, demo.counts
    assert counts["products"] == 24 and counts["warehouses"] == 2 and counts["suppliers"] == 6
    with read_session(engine) as s:
        statuses = dict(s.execute(select(PurchaseOrder.status, func.count()).group_by(PurchaseOrder.status)).all())
        receipts = s.scalar(select(func.count()).select_from(PurchaseReceipt))
        kinds = {k for (k,) in s.execute(select(StockDocument.kind).where(StockDocument.status == "confirmed"))}
        values = stock_analysis.value_by_warehouse(s)
        beer = stock_analysis.onhand(s, search="崂山")
    assert statuses == {"done": 6, "confirmed": 2, "pending_approval": 1}
    assert receipts == 8
    assert {"transfer", "stock_out", "requisition", "stocktake"} <= kinds
    assert [v.warehouse_code for v in values] == ["WH01", "WH02"] and all(v.value > 0 for v in values)
    assert [r.warehouse_code for r in beer] == ["WH01", "WH02"]
    assert all(r.quantity > 0 and abs(r.value - r.quantity * r.unit_cost) < D("0.01") for r in beer)
    assert_ledger_consistent(engine)
