"""Couriers: the list spells the courier; orders are found by a tracking number, their own or their stock-out's."""

from crm_tui.services.sales import couriers, orders
from crm_tui.services.sales import stock_outs as outs
from crm_tui.services.sales.actions import ship
from crm_tui.services.sales.pricing import LineInput


def test_orders_found_by_tracking_number_and_couriers_spelled_as_listed(world, tx, rd):
    with tx() as s:
        couriers.add_courier(s, world.admin, "顺丰速运", "95338")
    with tx(world.li) as s:
        shipped = orders.create_order(s, world.li, world.c1, [LineInput(world.p1, 2)])
        orders.confirm_order(s, world.li, shipped)
        other = orders.create_order(s, world.li, world.c1, [LineInput(world.p1, 1)])
        orders.confirm_order(s, world.li, other)
    with tx(world.clerk) as s:
        out_number = ship(s, world.clerk, world.w1, order_ids=[shipped], tracking=[("顺丰速运", "SF1234567890")])
    with tx(world.clerk) as s:
        outs.add_tracking(s, world.clerk, "  顺丰速运 ", "SF99", order_id=other)
    with rd() as s:
        assert [r.id for r in orders.list_orders(s, world.li, text="SF12345")] == [shipped]
        assert {r.id for r in orders.list_orders(s, world.li, text="SF")} == {shipped, other}
        assert orders.list_orders(s, world.zhao, text="SF") == []  # zhao does not see li's customer
        assert [r.courier for r in outs.find_tracking(s, world.clerk, "SF99")] == ["顺丰速运"]
    # corrected after confirmation, audited old -> new
    with tx(world.clerk) as s:
        sid = outs.find_stock_out(s, world.clerk, out_number)
        assert outs.set_tracking(s, world.clerk, sid, "顺丰速运", "SF000") == ("顺丰速运", "SF1234567890")
    with rd() as s:
        assert [r.id for r in orders.list_orders(s, world.li, text="SF000")] == [shipped]
