"""F9 on a purchase order asks format and destination and writes the PDF."""

import pytest
from sqlalchemy import select

from crm_tui.app import CrmApp
from crm_tui.db.models.purchasing import PurchaseOrder
from crm_tui.db.session import read_session
from tests.tui.helpers import paste, settle, wait_for_file


@pytest.mark.xdist_group("demo")
async def test_f9_on_a_purchase_order_writes_a_pdf(demo, tmp_path):
    from crm_tui.screens.purchasing.order import OrderDialog

    engine, admin = demo.engine, demo.admin
    with read_session(engine, admin) as s:
        order_id = s.scalar(select(PurchaseOrder.id).where(PurchaseOrder.number.is_not(None)).limit(1))
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    target = tmp_path / "po.pdf"
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await settle(pilot)
        app.push_screen(OrderDialog(order_id, []))
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        if type(app.screen).__name__ != "PrintDialog":
            pytest.fail(f"F9 opened {type(app.screen).__name__}")
        await paste(pilot, "#path", str(target))
        await pilot.press("ctrl+s")
        await wait_for_file(pilot, target)
    assert target.exists() and target.read_bytes()[:4] == b"%PDF"
