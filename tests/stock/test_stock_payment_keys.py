"""F4 in a purchase order cancels the payment under the cursor, after asking."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from textual.widgets import DataTable

from crm_tui.app import CrmApp
from crm_tui.db.models.purchasing import SupplierPayment
from crm_tui.services.purchasing import orders as po
from crm_tui.services.purchasing import payables as pay
from crm_tui.services.purchasing import suppliers as sup
from tests.tui.helpers import screen_text, settle

from .test_stock_screens import open_area


async def test_cancel_a_payment_of_a_purchase_order_on_screen(engine, admin, world, tx):
    with tx() as s:
        supplier = sup.add_supplier(s, admin, code="S01", name="青岛啤酒(临沂)有限公司")
        order = po.create_order(s, admin, supplier, [po.OrderLineInput(world["p1"], D("10"), price=D("45"))],
                                warehouse_id=world["w1"])
        po.submit(s, admin, order)
        first = pay.record_payment(s, admin, supplier, D("100"), date(2026, 11, 3), order_id=order, reference="A1")
        second = pay.record_payment(s, admin, supplier, D("50"), date(2026, 11, 4), order_id=order, reference="B2")
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(130, 40)) as pilot:
        await open_area(pilot, "purchasing")
        app.screen.query_one("#orders", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "OrderDialog"
        assert "Paid: 150.00" in screen_text(app) and "B2" in screen_text(app)
        payments = app.screen.query_one("#po-payments", DataTable)
        payments.move_cursor(row=1)
        await pilot.press("f4")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog" and "50.00" in screen_text(app)
        await pilot.press("escape")  # no: nothing changes
        await settle(pilot)
        assert "Paid: 150.00" in screen_text(app)
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "OrderDialog"
        assert "Paid: 100.00" in screen_text(app) and "cancelled" in screen_text(app)
        app.screen.query_one("#po-payments", DataTable).move_cursor(row=1)
        await pilot.press("f4")  # cancelled already: said, not asked
        await pilot.pause()
        assert type(app.screen).__name__ == "OrderDialog"
        assert any("already cancelled" in str(n.message) for n in app._notifications)
    with tx() as s:
        assert s.get(SupplierPayment, first).status == "active"
        assert s.get(SupplierPayment, second).status == "cancelled"
        assert pay.order_money(s, order).paid == D("100")
