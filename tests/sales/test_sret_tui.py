"""The return dialog at 80×24: ctrl+r on a confirmed stock-out offers every returnable line, a refused quantity
stays in the dialog naming the line, ctrl+o asks before confirming; the returns list (ctrl+r elsewhere) shows it."""

from decimal import Decimal as D

from sqlalchemy import select

from crm_tui.app import CrmApp
from crm_tui.db.models.returns import SalesReturn
from crm_tui.db.session import read_session
from crm_tui.services.sales import orders
from crm_tui.services.sales.actions import ship
from crm_tui.services.sales.pricing import LineInput
from crm_tui.services.stock.ledger import on_hand
from tests.tui.helpers import fill, settle


async def test_return_part_of_a_stock_out_from_the_list(engine, world, tx):
    with tx(world.clerk) as s:
        oid = orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 10, "113", "gross"),
                                                             LineInput(world.p2, 5)])
        orders.confirm_order(s, world.clerk, oid)
        ship(s, world.clerk, world.w1, order_ids=[oid])
    app = CrmApp(engine=engine, auto_login=("clerk", "pass-1234"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.screen.show_area("sales")
        await settle(pilot)
        pane.show_tab("outs")
        await settle(pilot)
        pane.query_one("#table-outs").focus()
        await pilot.press("ctrl+r")
        await settle(pilot)
        dialog = app.screen
        assert type(dialog).__name__ == "ReturnDialog"
        l1, l2 = (ln.stock_out_line_id for ln in dialog.lines)
        assert dialog.query_one(f"#back-{l1}").value == "10" and dialog.query_one(f"#back-{l2}").value == "5"
        await fill(pilot, f"#back-{l1}", "11")
        await pilot.press("ctrl+s")
        await settle(pilot)
        refused = str(dialog.query_one("#form-message").render())
        assert app.screen is dialog and "P1" in refused and "10" in refused
        await fill(pilot, f"#back-{l1}", "3")
        await fill(pilot, f"#back-{l2}", "0")
        await fill(pilot, "#reason", "broken")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not dialog
        with read_session(engine) as s:
            ret = s.scalars(select(SalesReturn)).one()
            assert ret.status == "confirmed" and ret.reason == "broken" and ret.gross_total == D("339.00")
            assert on_hand(s, world.w1, world.p1) == D(93)
        pane.show_tab("orders")
        await settle(pilot)
        pane.query_one("#table-orders").focus()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert type(app.screen).__name__ == "ReturnsScreen"
        assert ret.number in app.screen.query_one("#returns-table").get_row_at(0)


async def test_red_invoice_from_the_invoices_tab(engine, world, tx):
    from crm_tui.services.sales import invoices
    from crm_tui.services.sales import red_invoices as reds

    with tx(world.clerk) as s:
        oid = orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 10, "113", "gross")])
        orders.confirm_order(s, world.clerk, oid)
        inv = invoices.record_invoice(s, world.clerk, "No.77", "1130.00", order_id=oid)
    app = CrmApp(engine=engine, auto_login=("clerk", "pass-1234"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.screen.show_area("sales")
        await settle(pilot)
        pane.show_tab("invoices")
        await settle(pilot)
        pane.query_one("#table-invoices").focus()
        await pilot.press("ctrl+r")
        await settle(pilot)
        dialog = app.screen
        assert type(dialog).__name__ == "RedInvoiceDialog" and dialog.query_one("#amount").value == "1130.00"
        await fill(pilot, "#amount", "1200")
        await fill(pilot, "#reason", "return")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog and "1,130.00" in str(dialog.query_one("#form-message").render())
        await fill(pilot, "#amount", "130")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not dialog
    with read_session(engine) as s:
        assert [r.gross_amount for r in reds.list_reds(s, world.admin, invoice_id=inv)] == [D("-130.00")]
        assert invoices.invoiced_total(s, oid) == D("1000.00")
