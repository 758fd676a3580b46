"""Pilot flow of the purchase return screens: from a receipt F6 drafts the return form, the clerk edits the
quantity, ctrl+s asks first and then confirms; the return view cancels it after a question."""

from __future__ import annotations

from decimal import Decimal as D

from textual.widgets import DataTable, Input

from crm_tui.app import CrmApp
from crm_tui.services.purchasing import orders as po
from crm_tui.services.purchasing import payables as pay
from crm_tui.services.purchasing import receipts as pr
from crm_tui.services.purchasing import suppliers as sup
from crm_tui.services.purchasing.orders import OrderLineInput
from tests.tui.helpers import fill, screen_text, settle

from .helpers import assert_ledger_consistent, balances


async def test_return_goods_from_a_receipt_on_screen(engine, admin, world, tx):
    with tx() as s:
        supplier = sup.add_supplier(s, admin, code="S001", name="景芝酒业")
        oid = po.create_order(s, admin, supplier, [OrderLineInput(world["p1"], D("10"), price=D("45"))],
                              warehouse_id=world["w1"])
        po.submit(s, admin, oid)
        number = pr.receive(s, admin, oid)
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(pilot)
        await settle(pilot)
        pane = app.screen.show_area("purchasing")
        await settle(pilot)
        pane.query_one("#receipts", DataTable).focus()
        await settle(pilot)
        assert number in screen_text(app)
        await pilot.press("f6")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "ReturnForm"
        qty = f"#rt-{form.lines[0].receipt_line_id}"
        assert form.query_one(qty, Input).value == "10"  # all of it by default
        await fill(pilot, qty, "11")
        assert "more than the 10 that may still be returned" in screen_text(app)
        await fill(pilot, qty, "4")
        await fill(pilot, "#rt-reason", "破损")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmDialog"  # asks first
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert balances(engine)[(world["w1"], world["p1"])] == (D(6), D("270.00"))
        pane.query_one("#purchase-returns", DataTable).focus()
        await settle(pilot)
        assert "破损" in screen_text(app)
        await pilot.press("ctrl+e")  # the open tab's list: the purchase returns
        await settle(pilot)
        assert (type(app.screen).__name__, app.screen.kind) == ("ListExportDialog", "purchase-returns")
        await pilot.press("escape")
        await settle(pilot)
        pane.query_one("#purchase-returns", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ReturnDialog" and "203.40" in screen_text(app)  # 4 × 50.85
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        assert "cancelled" in screen_text(app)
    assert balances(engine)[(world["w1"], world["p1"])] == (D(10), D("450.00"))
    with tx() as s:
        assert pay.payables(s, supplier)[0].returned == 0
    assert_ledger_consistent(engine)
