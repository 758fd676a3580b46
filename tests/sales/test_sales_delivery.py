"""Delivery notices and stock-outs: partial deliveries, several orders in one stock-out, one order in several,
the unshipped report, the stock ledger, tracking numbers, payment before delivery, cancellation."""

from decimal import Decimal as D

import pytest

from crm_tui.core.errors import ValidationError
from crm_tui.services.common.checks import run_checks
from crm_tui.services.sales import deliveries, orders, receipts
from crm_tui.services.sales import reports as sales_reports
from crm_tui.services.sales import stock_outs as outs
from crm_tui.services.sales.pricing import LineInput
from crm_tui.services.stock.ledger import on_hand


def _order(tx, world, lines, customer=None, actor=None):
    actor = actor or world.clerk
    with tx(actor) as s:
        oid = orders.create_order(s, actor, customer or world.c1, lines)
        assert orders.confirm_order(s, actor, oid) == "confirmed"
    return oid


def _line_ids(rd, world, oid):
    with rd() as s:
        return [ln.id for ln in orders.get_order(s, world.admin, oid).lines]


def _no_problems(engine):
    problems = {k: v for k, v in run_checks(engine).items() if v}
    assert problems == {}


def test_partial_deliveries_and_one_order_in_several_stock_outs(engine, world, tx, rd):
    oid = _order(tx, world, [LineInput(world.p1, 10, "113", "gross"), LineInput(world.p3, 3)])
    l1, l3 = _line_ids(rd, world, oid)
    with tx(world.clerk) as s:
        first = outs.create_stock_out(s, world.clerk, world.c1, world.w1, [outs.OutLineInput(l1, 4)])
        n1 = outs.confirm_stock_out(s, world.clerk, first, tracking=[("顺丰", "SF1234567890")])
    with rd() as s:
        assert on_hand(s, world.w1, world.p1) == D(96)
        view = orders.get_order(s, world.admin, oid)
        out1 = outs.get_stock_out(s, world.admin, first)
    assert view.status == "confirmed" and view.lines[0].shipped_quantity == 4
    assert out1.lines[0].gross_amount == D("452.00") and out1.lines[0].cost_amount == D("240.00")
    assert out1.tracking == [("顺丰", "SF1234567890")]
    assert view.progress.shipped == D("452.00")
    assert ("tracking", "SF1234567890") in [(r.kind, r.number) for r in view.related]
    # the rest, from two warehouses
    with tx(world.clerk) as s:
        second = outs.create_stock_out(s, world.clerk, world.c1, world.w1, [
            outs.OutLineInput(l1, 6, warehouse_id=world.w2), outs.OutLineInput(l3, 3)])
        n2 = outs.confirm_stock_out(s, world.clerk, second)
    with rd() as s:
        view = orders.get_order(s, world.admin, oid)
        assert on_hand(s, world.w2, world.p1) == D(94) and on_hand(s, world.w1, world.p3) == D(97)
    assert n1 != n2 and view.status == "done" and view.done_reason == "shipped"
    # the shares of the two shipments add up to the order line exactly
    assert view.progress.shipped == view.gross_total
    _no_problems(engine)


def test_shares_add_up_when_a_line_ships_in_thirds(engine, world, tx, rd):
    oid = _order(tx, world, [LineInput(world.p1, 3, "113.02", "gross")])  # gross 339.06, net 300.05, tax 39.01
    (line,) = _line_ids(rd, world, oid)
    shares = []
    for _ in range(3):
        with tx(world.clerk) as s:
            out = outs.create_stock_out(s, world.clerk, world.c1, world.w1, [outs.OutLineInput(line, 1)])
            outs.confirm_stock_out(s, world.clerk, out)
        with rd() as s:
            ln = outs.get_stock_out(s, world.admin, out).lines[0]
            shares.append((ln.net_amount, ln.tax_amount, ln.gross_amount))
    assert shares[:2] == [(D("100.02"), D("13.00"), D("113.02"))] * 2  # round(300.05 / 3) = 100.02
    assert shares[2] == (D("100.01"), D("13.01"), D("113.02"))  # the last takes the rest
    assert sum(n for n, _t, _g in shares) == D("300.05") and sum(g for _n, _t, g in shares) == D("339.06")


def test_several_orders_of_a_customer_in_one_stock_out(engine, world, tx, rd):
    a = _order(tx, world, [LineInput(world.p1, 2)])
    b = _order(tx, world, [LineInput(world.p2, 5), LineInput(world.p3, 1)])
    other = _order(tx, world, [LineInput(world.p1, 1)], customer=world.c2)
    with tx(world.clerk) as s:
        out = outs.from_orders(s, world.clerk, [a, b], world.w1)
        number = outs.confirm_stock_out(s, world.clerk, out)
    with rd() as s:
        view = outs.get_stock_out(s, world.admin, out)
        assert {orders.get_order(s, world.admin, x).status for x in (a, b)} == {"done"}
    assert len(view.lines) == 3 and len(view.orders) == 2
    assert view.gross_total == D("226.00") + D("56.50") + D("50.00")
    with pytest.raises(ValidationError, match="one customer"), tx(world.clerk) as s:
        outs.from_orders(s, world.clerk, [a, other], world.w1)
    with pytest.raises(ValidationError, match="another customer"), tx(world.clerk) as s:
        (line,) = [ln.id for ln in orders.get_order(s, world.admin, other).lines]
        outs.create_stock_out(s, world.clerk, world.c1, world.w1, [outs.OutLineInput(line, 1)])
    assert number.startswith("CK")


def test_shipping_more_than_ordered_or_in_stock_is_refused(engine, world, tx, rd):
    oid = _order(tx, world, [LineInput(world.p1, 150)])
    (line,) = _line_ids(rd, world, oid)
    with tx(world.clerk) as s:
        out = outs.create_stock_out(s, world.clerk, world.c1, world.w1, [outs.OutLineInput(line, 160)])
    with pytest.raises(ValidationError, match="only 150 of the order line is unshipped"), tx(world.clerk) as s:
        outs.confirm_stock_out(s, world.clerk, out)
    with tx(world.clerk) as s:
        outs.set_lines(s, world.clerk, out, [outs.OutLineInput(line, 120)])
    with pytest.raises(ValidationError, match="Not enough stock"), tx(world.clerk) as s:
        outs.confirm_stock_out(s, world.clerk, out)
    with rd() as s:
        assert on_hand(s, world.w1, world.p1) == D(100)  # nothing was written
        assert orders.get_order(s, world.admin, oid).lines[0].shipped_quantity == 0


def test_delivery_notice_reserves_and_the_warehouse_ships_from_it(engine, world, tx, rd):
    oid = _order(tx, world, [LineInput(world.p1, 10), LineInput(world.p2, 20)])
    l1, l2 = _line_ids(rd, world, oid)
    with tx(world.clerk) as s:
        nid = deliveries.notice_from_order(s, world.clerk, oid, {l1: 6, l2: 20}, warehouse_id=world.w1)
        deliveries.confirm_notice(s, world.clerk, nid)
    # a second notice may only take what is left
    with tx(world.clerk) as s:
        too_much = deliveries.create_notice(s, world.clerk, world.c1, [deliveries.NoticeLineInput(l1, 5)])
    with pytest.raises(ValidationError, match="only 4"), tx(world.clerk) as s:
        deliveries.confirm_notice(s, world.clerk, too_much)
    # a stock-out without the notice cannot take what the notice holds
    with tx(world.keeper) as s:
        stray = outs.create_stock_out(s, world.keeper, world.c1, world.w1, [outs.OutLineInput(l2, 1)])
    with pytest.raises(ValidationError, match="held by delivery notices"), tx(world.keeper) as s:
        outs.confirm_stock_out(s, world.keeper, stray)
    # the warehouse sees the notice (not its own customer) and ships it in two goes
    with rd(world.keeper) as s:
        assert {n.id for n in deliveries.list_notices(s, world.keeper)} == {nid, too_much}
    with tx(world.keeper) as s:
        out = outs.from_notice(s, world.keeper, nid)
        outs.set_lines(s, world.keeper, out, [
            outs.OutLineInput(ln.order_line_id, ln.quantity - (2 if ln.order_line_id == l1 else 0),
                              notice_line_id=ln.notice_line_id)
            for ln in outs.get_stock_out(s, world.keeper, out).lines])
        outs.confirm_stock_out(s, world.keeper, out)
    with rd() as s:
        notice = deliveries.get_notice(s, world.admin, nid)
        assert notice.status == "confirmed" and [ln.remaining for ln in notice.lines] == [2, 0]
    with tx(world.keeper) as s:
        outs.confirm_stock_out(s, world.keeper, outs.from_notice(s, world.keeper, nid))
    with rd() as s:
        assert deliveries.get_notice(s, world.admin, nid).status == "done"
    _no_problems(engine)


def test_unshipped_report(engine, world, tx, rd):
    a = _order(tx, world, [LineInput(world.p1, 10), LineInput(world.p2, 4)])
    _order(tx, world, [LineInput(world.p3, 2)], customer=world.c2)
    l1, _l2 = _line_ids(rd, world, a)
    with tx(world.clerk) as s:
        out = outs.create_stock_out(s, world.clerk, world.c1, world.w1, [outs.OutLineInput(l1, 7)])
        outs.confirm_stock_out(s, world.clerk, out)
    with rd() as s:
        rows = sales_reports.unshipped(s, world.admin)
        mine = sales_reports.unshipped(s, world.li)
    got = [(r.customer_code, r.product_code, r.ordered, r.shipped, r.unshipped, r.value) for r in rows]
    assert got == [("K001", "P1", 10, 7, 3, D("339.00")), ("K001", "P2", 4, 0, 4, D("45.20")),
                   ("K002", "P3", 2, 0, 2, D("100.00"))]
    assert {r.customer_code for r in mine} == {"K001"}  # li sees only his own customers' goods


def test_cancelling_a_stock_out_puts_the_goods_back(engine, world, tx, rd):
    oid = _order(tx, world, [LineInput(world.p1, 5)])
    (line,) = _line_ids(rd, world, oid)
    with tx(world.clerk) as s:
        out = outs.create_stock_out(s, world.clerk, world.c1, world.w1, [outs.OutLineInput(line, 5)])
        outs.confirm_stock_out(s, world.clerk, out)
    with rd() as s:
        assert orders.get_order(s, world.admin, oid).status == "done"
    with tx(world.clerk) as s:
        outs.cancel_stock_out(s, world.clerk, out, "客户拒收")
    with rd() as s:
        assert on_hand(s, world.w1, world.p1) == D(100)
        view = orders.get_order(s, world.admin, oid)
    assert view.status == "confirmed" and view.lines[0].shipped_quantity == 0 and view.progress.shipped == 0
    _no_problems(engine)


def test_cancelling_an_order_reverses_stock_and_receivables(engine, world, tx, rd, sales_settings):
    from crm_tui.services.sales import receivables

    oid = _order(tx, world, [LineInput(world.p1, 5)])
    (line,) = _line_ids(rd, world, oid)
    with tx(world.clerk) as s:
        out = outs.create_stock_out(s, world.clerk, world.c1, world.w1, [outs.OutLineInput(line, 3)])
        outs.confirm_stock_out(s, world.clerk, out)
        receipts.record_receipt(s, world.clerk, world.c1, "200.00", order_id=oid)
    for basis in ("orders", "stock_outs"):
        with rd() as s:
            r = receivables.customer_balance(s, world.admin, world.c1) if basis == "orders" else \
                receivables.receivables(s, world.admin, basis=basis, customer_ids=[world.c1])[0]
        assert r.billed == (D("565.00") if basis == "orders" else D("339.00")) and r.received == D("200.00")
    with tx(world.clerk) as s:
        result = orders.cancel_order(s, world.clerk, oid, "客户取消")
    assert result["freed"] == D("200.00") and len(result["stock_outs"]) == 1
    with rd() as s:
        assert on_hand(s, world.w1, world.p1) == D(100)
        for basis in ("orders", "stock_outs"):
            r = receivables.receivables(s, world.admin, basis=basis, customer_ids=[world.c1])[0]
            assert (r.billed, r.received, r.balance) == (D(0), D("200.00"), D("-200.00"))  # an advance now
        assert receipts.list_receipts(s, world.admin, advances_only=True)[0].unapplied == D("200.00")
        assert orders.get_order(s, world.admin, oid).status == "cancelled"
    _no_problems(engine)


def test_an_order_with_invoices_is_not_cancelled(engine, world, tx):
    from crm_tui.core.errors import StateError
    from crm_tui.services.sales import invoices

    oid = _order(tx, world, [LineInput(world.p1, 1)])
    with tx(world.clerk) as s:
        invoices.record_invoice(s, world.clerk, "04400001", "113.00", order_id=oid)
    with pytest.raises(StateError, match="invoices"), tx(world.clerk) as s:
        orders.cancel_order(s, world.clerk, oid)


def test_payment_before_delivery(engine, world, tx, rd, sales_settings):
    sales_settings(require_payment_before_delivery=True)
    oid = _order(tx, world, [LineInput(world.p1, 10)])  # 1,130.00
    (line,) = _line_ids(rd, world, oid)
    with pytest.raises(ValidationError, match="before payment"), tx(world.clerk) as s:
        nid = deliveries.notice_from_order(s, world.clerk, oid, {line: 2})
        deliveries.confirm_notice(s, world.clerk, nid)
    with tx(world.clerk) as s:
        receipts.record_receipt(s, world.clerk, world.c1, "500.00", order_id=oid)
        out = outs.create_stock_out(s, world.clerk, world.c1, world.w1, [outs.OutLineInput(line, 4)])
        outs.confirm_stock_out(s, world.clerk, out)  # 452.00 of 500.00 paid
    with pytest.raises(ValidationError, match="before payment"), tx(world.clerk) as s:
        out = outs.create_stock_out(s, world.clerk, world.c1, world.w1, [outs.OutLineInput(line, 1)])
        outs.confirm_stock_out(s, world.clerk, out)


def test_tracking_numbers_are_searchable(engine, world, tx, rd):
    oid = _order(tx, world, [LineInput(world.p1, 1)])
    (line,) = _line_ids(rd, world, oid)
    with tx(world.clerk) as s:
        out = outs.create_stock_out(s, world.clerk, world.c1, world.w1, [outs.OutLineInput(line, 1)])
        outs.confirm_stock_out(s, world.clerk, out, tracking=[("中通快递", "ZT7788990011")])
        outs.add_tracking(s, world.clerk, "顺丰", "SF0001", order_id=oid)
    with rd() as s:
        found = outs.find_tracking(s, world.admin, "7788")
        assert [(t.number, t.orders) for t in found] == [("ZT7788990011", (orders.get_order(s, world.admin, oid).number,))]
        assert {t.number for t in outs.find_tracking(s, world.li)} == {"ZT7788990011", "SF0001"}
        assert outs.find_tracking(s, world.zhao) == []
        assert outs.list_stock_outs(s, world.admin, text="ZT7788")[0].tracking == "ZT7788990011"
