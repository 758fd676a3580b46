"""The stock-out dialog (F7 in an order) at 80×24: courier then tracking number, a quantity per line, a draft
on ctrl+s, confirming apart (ctrl+o, asked first), and the tracking number corrected later from the list (F4)."""

from decimal import Decimal as D

from sqlalchemy import select

from crm_tui.app import CrmApp
from crm_tui.db.models.sales import SalesStockOut, TrackingNumber
from crm_tui.db.session import read_session
from crm_tui.services.sales import orders
from crm_tui.services.sales.pricing import LineInput
from tests.tui.helpers import fill, settle


def _confirmed_order(tx, world) -> int:
    with tx(world.clerk) as s:
        oid = orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 10, "113", "gross"),
                                                             LineInput(world.p2, 5)])
        orders.confirm_order(s, world.clerk, oid)
    return oid


async def test_ship_part_of_an_order_as_a_draft_then_confirm(engine, world, tx):
    oid = _confirmed_order(tx, world)
    app = CrmApp(engine=engine, auto_login=("clerk", "pass-1234"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.screen.show_area("sales")
        await settle(pilot)
        pane.open_order(oid)
        await settle(pilot)
        detail = app.screen
        l1, l2 = (ln.id for ln in detail.view.lines)
        await pilot.press("f7")
        await settle(pilot)
        dialog = app.screen
        assert type(dialog).__name__ == "ShipDialog"
        assert dialog.query_one(f"#ship-{l1}").value == "10" and dialog.query_one(f"#ship-{l2}").value == "5"
        await fill(pilot, "#courier", "SF")
        await pilot.press("tab")  # courier, then the tracking number (not the warehouse)
        assert app.focused.id == "tracking"
        await pilot.press(*"SF555")
        await fill(pilot, f"#ship-{l1}", "11")
        await pilot.press("ctrl+s")
        await settle(pilot)
        refused = str(dialog.query_one("#form-message").render())
        assert app.screen is dialog and "P1" in refused and "11" in refused  # refused, naming the line
        await fill(pilot, f"#ship-{l1}", "4")
        await fill(pilot, f"#ship-{l2}", "0")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is detail and detail.view.progress.shipped == 0
        with read_session(engine) as s:
            out = s.scalars(select(SalesStockOut)).one()
            assert out.status == "draft"
        await pilot.press("f7")  # the draft again: its quantities and tracking number
        await settle(pilot)
        dialog = app.screen
        assert dialog.query_one(f"#ship-{l1}").value == "4" and dialog.query_one(f"#ship-{l2}").value == "0"
        assert dialog.query_one("#tracking").value == "SF555"
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("escape")  # not now: still the draft
        await settle(pilot)
        assert app.screen is dialog
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is detail
        assert [ln.shipped_quantity for ln in detail.view.lines] == [4, 0]
        # F4 in the stock-out list: the tracking number corrected after shipping
        await pilot.press("escape")
        await settle(pilot)
        pane.show_tab("outs")
        await settle(pilot)
        table = pane.query_one("#table-outs")
        assert "SF555" in table.get_row_at(0)  # the tracking number column of the stock-out list
        table.focus()
        await pilot.press("f4")
        await settle(pilot)
        assert app.screen.query_one("#courier").value == "SF"
        await fill(pilot, "#tracking", "SF556")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "SF556" in table.get_row_at(0)
    with read_session(engine) as s:
        out = s.scalars(select(SalesStockOut)).one()
        assert out.status == "confirmed" and out.gross_total == D("452.00")
        assert s.scalars(select(TrackingNumber.number)).all() == ["SF556"]


async def test_f8_deletes_a_draft_stock_out_from_the_list(engine, world, tx):
    from crm_tui.services.sales.actions import save_shipment

    oid = _confirmed_order(tx, world)
    with tx(world.clerk) as s:
        line = orders.get_order(s, world.clerk, oid).lines[0].id
        save_shipment(s, world.clerk, oid, world.w1, {line: "2"}, tracking=[("SF", "SF1")])
    app = CrmApp(engine=engine, auto_login=("clerk", "pass-1234"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.screen.show_area("sales")
        await settle(pilot)
        pane.show_tab("outs")
        await settle(pilot)
        table = pane.query_one("#table-outs")
        assert table.row_count == 1
        table.focus()
        await pilot.press("f8")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("enter")
        await settle(pilot)
        assert table.row_count == 0
    with read_session(engine) as s:
        assert s.scalars(select(SalesStockOut)).all() == [] and s.scalars(select(TrackingNumber)).all() == []
