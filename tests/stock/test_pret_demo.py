"""The demo company holds one confirmed purchase return, valued at its receipt's cost, and stays consistent."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from crm_tui.db.models.purchase_returns import PurchaseReturn
from crm_tui.db.models.stock import StockMove
from crm_tui.db.session import read_session
from crm_tui.services.purchasing import payables as pay
from crm_tui.services.purchasing import returns as ret

from .helpers import assert_ledger_consistent


@pytest.mark.xdist_group("demo")
def test_demo_has_one_confirmed_purchase_return(demo):
    assert demo.counts["purchase returns"] == 1
    with read_session(demo.engine, demo.admin) as s:
        (r,) = s.scalars(select(PurchaseReturn)).all()
        view = ret.get_return(s, r.id)
        moved = s.scalar(select(func.sum(StockMove.amount)).where(StockMove.doc_type == "purchase_return",
                                                                  StockMove.doc_id == r.id))
        payable = pay.payables(s, r.supplier_id)[0]
    assert view.status == "confirmed" and view.number.startswith("CT202611")
    assert [ln.quantity for ln in view.lines] == [D(2)] and view.reason
    assert moved == -view.cost and view.cost > 0
    assert payable.returned == view.amount_gross > 0
    assert_ledger_consistent(demo.engine)


def test_the_demo_counts_read_in_chinese(demo):
    import re

    from crm_tui.i18n import get_language, set_language
    from crm_tui.services.demo import counts_text

    before = get_language()
    set_language("zh_CN")
    try:
        text = counts_text(demo.counts)
    finally:
        set_language(before)
    assert "采购退货 1" in text and not re.search("[A-Za-z]", text), text
