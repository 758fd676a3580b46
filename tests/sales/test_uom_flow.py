"""Units of measure on the sales flow: an order in 箱 of a product kept in 瓶 ships base units from the ledger,
partial shipments in another unit count against what is left, and a used unit cannot be removed."""

from decimal import Decimal as D

import pytest

from crm_tui.core.errors import ValidationError
from crm_tui.services.sales import deliveries, orders
from crm_tui.services.sales import stock_outs as outs
from crm_tui.services.sales.pricing import LineInput
from crm_tui.services.stock import documents as stock_documents
from crm_tui.services.stock import products, units
from crm_tui.services.stock.ledger import on_hand


@pytest.fixture
def wine(world, tx):
    """白酒 kept in 瓶 (list price 10.00 net), 1 箱 = 12 瓶, 240 瓶 in WH1."""
    with tx() as s:
        pid = products.add_product(s, world.admin, code="B1", name="景芝白干", unit="瓶", sale_price=D("10.00"),
                                   purchase_price=D("6"))
        units.add_unit(s, world.admin, pid, "箱", "12", barcode="6900000000012")
        doc = stock_documents.create_document(s, world.admin, "stock_in", world.w1, lines=[
            stock_documents.LineInput(pid, D(20), unit_cost=D("72"), unit="箱")])
        stock_documents.confirm(s, world.admin, doc)
    return pid


def _order(tx, world, wine, qty="2", unit="箱"):
    with tx(world.clerk) as s:
        oid = orders.create_order(s, world.clerk, world.c1, [LineInput(wine, qty, basis="net", unit=unit)])
        assert orders.confirm_order(s, world.clerk, oid) == "confirmed"
        return oid, orders.get_order(s, world.clerk, oid).lines[0]


def test_stock_in_in_boxes_adds_base_units_at_the_cost_per_base_unit(engine, world, wine, rd):
    with rd() as s:
        assert on_hand(s, world.w1, wine) == D(240)
        assert units.list_units(s, wine)[1].factor == D(12)
        from crm_tui.db.models.stock import StockBalance

        bal = s.query(StockBalance).filter_by(warehouse_id=world.w1, product_id=wine).one()
        assert bal.unit_cost == D("6") and bal.value == D("1440.00")


def test_an_order_in_boxes_prices_per_box_and_ships_base_units(engine, world, wine, tx, rd):
    oid, line = _order(tx, world, wine)
    assert (line.unit, line.unit_factor, line.quantity) == ("箱", D(12), D(2))
    assert line.entered_price == D("120") and line.net_amount == D("240.00")  # list price × factor
    with tx(world.keeper) as s:
        out = outs.from_orders(s, world.keeper, [oid], world.w1)
        number = outs.confirm_stock_out(s, world.keeper, out)
    assert number
    with rd() as s:
        assert on_hand(s, world.w1, wine) == D(216)  # 240 − 24 瓶
        view = orders.get_order(s, world.admin, oid)
        assert view.status == "done" and view.lines[0].shipped == D(2) and view.lines[0].shipped_quantity == D(24)
        shown = outs.get_stock_out(s, world.admin, out)
        assert (shown.lines[0].unit, shown.lines[0].quantity, shown.lines[0].gross_amount) == ("箱", D(2), D("271.20"))
    from crm_tui.services.common.checks import run_checks

    assert {k: v for k, v in run_checks(engine).items() if v} == {}


def test_partial_shipments_in_bottles_of_an_order_in_boxes(engine, world, wine, tx, rd):
    oid, line = _order(tx, world, wine)
    with tx(world.keeper) as s:
        first = outs.create_stock_out(s, world.keeper, world.c1, world.w1,
                                      [outs.OutLineInput(line.id, "7", unit="瓶")])
        outs.confirm_stock_out(s, world.keeper, first)
    with rd() as s:
        assert on_hand(s, world.w1, wine) == D(233)
        offered = outs.shippable(s, world.admin, oid)
        assert offered[0].left == D("1.4167")  # 17 瓶 shown in 箱
    with pytest.raises(ValidationError) as err, tx(world.keeper) as s:
        too_many = outs.create_stock_out(s, world.keeper, world.c1, world.w1,
                                         [outs.OutLineInput(line.id, "18", unit="瓶")])
        outs.confirm_stock_out(s, world.keeper, too_many)
    assert "17" in err.value.message  # what is left, in the stock-out line's unit
    with pytest.raises(ValidationError), tx(world.keeper) as s:  # 2 箱 is more than the 17 瓶 left
        outs.confirm_stock_out(s, world.keeper, outs.create_stock_out(
            s, world.keeper, world.c1, world.w1, [outs.OutLineInput(line.id, "2")]))
    with tx(world.keeper) as s:
        rest = outs.from_orders(s, world.keeper, [oid], world.w1)  # 17 瓶 does not divide into 箱: in 瓶
        draft = outs.get_stock_out(s, world.keeper, rest)
        assert [(ln.unit, ln.quantity) for ln in draft.lines] == [("瓶", D(17))]
        outs.confirm_stock_out(s, world.keeper, rest)
    with rd() as s:
        view = orders.get_order(s, world.admin, oid)
        assert view.status == "done" and on_hand(s, world.w1, wine) == D(216)
        # the two shares add up to the order line exactly
        lines = [ln for o in (first, rest) for ln in outs.get_stock_out(s, world.admin, o).lines]
        assert sum(ln.gross_amount for ln in lines) == view.lines[0].gross_amount


def test_a_notice_in_boxes_holds_base_units(engine, world, wine, tx, rd):
    oid, line = _order(tx, world, wine, qty="3")
    with tx(world.clerk) as s:
        nid = deliveries.create_notice(s, world.clerk, world.c1, [deliveries.NoticeLineInput(line.id, "1")])
        deliveries.confirm_notice(s, world.clerk, nid)
    with rd() as s:
        assert deliveries.reserved(s, [line.id]) == {line.id: D(12)}
    with pytest.raises(ValidationError), tx(world.keeper) as s:  # 25 瓶 without the notice: only 24 are free
        outs.confirm_stock_out(s, world.keeper, outs.create_stock_out(
            s, world.keeper, world.c1, world.w1, [outs.OutLineInput(line.id, "25", unit="瓶")]))
    with tx(world.keeper) as s:
        out = outs.from_notice(s, world.keeper, nid, world.w1)
        outs.confirm_stock_out(s, world.keeper, out)
    with rd() as s:
        assert deliveries.reserved(s, [line.id]) == {}
        assert deliveries.get_notice(s, world.admin, nid).status == "done"
        assert on_hand(s, world.w1, wine) == D(228)


def test_cancelling_a_stock_out_in_bottles_puts_the_base_units_back(engine, world, wine, tx, rd):
    oid, line = _order(tx, world, wine)
    with tx(world.keeper) as s:
        out = outs.create_stock_out(s, world.keeper, world.c1, world.w1, [outs.OutLineInput(line.id, "6", unit="瓶")])
        outs.confirm_stock_out(s, world.keeper, out)
        outs.cancel_stock_out(s, world.keeper, out, "wrong")
    with rd() as s:
        assert on_hand(s, world.w1, wine) == D(240)
        assert orders.get_order(s, world.admin, oid).lines[0].shipped_quantity == 0


def test_unknown_unit_and_inexact_quantities_are_refused(engine, world, wine, tx):
    with pytest.raises(ValidationError) as err, tx(world.clerk) as s:
        orders.create_order(s, world.clerk, world.c1, [LineInput(wine, "1", unit="桶")])
    assert "B1" in err.value.message and "瓶, 箱" in err.value.message and err.value.field == "unit"
    with tx() as s:
        units.add_unit(s, world.admin, wine, "支", "0.333333")
    with pytest.raises(ValidationError) as err, tx(world.clerk) as s:
        orders.create_order(s, world.clerk, world.c1, [LineInput(wine, "1.5", unit="支")])
    assert err.value.field == "unit"


def test_a_used_unit_cannot_be_removed_an_unused_one_can(engine, world, wine, tx, rd):
    _order(tx, world, wine)
    with pytest.raises(ValidationError) as err, tx() as s:
        units.remove_unit(s, world.admin, wine, "箱")
    assert "箱" in err.value.message
    with tx() as s:
        units.add_unit(s, world.admin, wine, "件", "6")
        units.remove_unit(s, world.admin, wine, "件")
    with rd() as s:
        assert [u.unit for u in units.list_units(s, wine)] == ["瓶", "箱"]


def test_the_last_price_paid_in_boxes_is_the_default_in_boxes_and_per_bottle_in_bottles(engine, world, wine, tx):
    with tx(world.clerk) as s:
        oid = orders.create_order(s, world.clerk, world.c1, [LineInput(wine, "1", "118.8", "net", unit="箱")])
        assert orders.confirm_order(s, world.clerk, oid) == "confirmed"
    with tx(world.clerk) as s:
        again = orders.create_order(s, world.clerk, world.c1, [LineInput(wine, "1", unit="箱"),
                                                               LineInput(wine, "3", unit="瓶")])
        a, b = orders.get_order(s, world.clerk, again).lines
    assert a.entered_price == D("118.8") and b.entered_price == D("9.9")


def test_prints_show_the_unit_of_each_line(engine, world, wine, tx, rd, crm, tmp_path, sales_adapters):
    from pypdf import PdfReader

    from crm_tui.services.sales.printing import delivery_for_print, order_for_print

    oid, line = _order(tx, world, wine)
    with tx(world.keeper) as s:
        out = outs.create_stock_out(s, world.keeper, world.c1, world.w1, [outs.OutLineInput(line.id, "6", unit="瓶")])
        out_number = outs.confirm_stock_out(s, world.keeper, out)
    with rd() as s:
        number = orders.get_order(s, world.admin, oid).number
        printed = order_for_print(s, world.admin, number).lines[0]
        assert (printed.unit, printed.quantity, printed.unit_price) == ("箱", D(2), D("120"))
        note = delivery_for_print(s, world.admin, out_number).lines[0]
        assert (note.unit, note.quantity, note.unit_price, note.amount) == ("瓶", D(6), D("10"), D("67.80"))
    crm("print", "order", number, "-o", tmp_path / "o.pdf")
    text = "".join(page.extract_text() or "" for page in PdfReader(tmp_path / "o.pdf").pages)
    assert "箱" in text and "瓶" not in text


def test_a_purchase_order_print_shows_its_unit(engine, world, wine, tx, rd):
    from crm_tui.services.purchasing import orders as po
    from crm_tui.services.purchasing import suppliers as sup
    from crm_tui.services.purchasing.printing import purchase_order_for_print

    with tx() as s:
        supplier = sup.add_supplier(s, world.admin, code="S1", name="景芝酒业")
        oid = po.create_order(s, world.admin, supplier, [po.OrderLineInput(wine, D(3), unit="箱")])
        po.submit(s, world.admin, oid)
        number = po.get_order(s, oid).number
    with rd() as s:
        line = purchase_order_for_print(s, world.admin, number).lines[0]
    assert (line.unit, line.quantity, line.unit_price) == ("箱", D(3), D("72.00"))


def test_ship_a_line_in_another_unit_from_the_command_line(engine, world, wine, tx, rd, crm):
    oid, line = _order(tx, world, wine)
    with rd() as s:
        number = orders.get_order(s, world.admin, oid).number
    import json

    shown = json.loads(crm("orders", "show", number, "--format", "json").output)["lines"][0]
    assert (shown["quantity"], shown["unit"], shown["unit_factor"]) == ("2", "箱", "12")
    crm("orders", "ship", number, "--warehouse", "WH1", "--line", "1=18瓶", user="clerk")
    with rd() as s:
        assert on_hand(s, world.w1, wine) == D(222)
        assert orders.get_order(s, world.admin, oid).lines[0].shipped_quantity == D(18)
    refused = crm("orders", "ship", number, "--warehouse", "WH1", "--line", "1=7瓶", user="clerk", ok=False)
    assert refused.exit_code != 0 and "6" in refused.output  # 6 瓶 are left
    refused = crm("orders", "ship", number, "--warehouse", "WH1", "--line", "1=1桶", user="clerk", ok=False)
    assert "no unit 桶" in refused.output


def test_a_return_of_goods_shipped_in_boxes_puts_back_base_units_at_their_cost(engine, world, wine, tx, rd):
    from crm_tui.services.sales import returns

    oid, _line = _order(tx, world, wine)
    with tx(world.keeper) as s:
        out = outs.from_orders(s, world.keeper, [oid], world.w1)
        outs.confirm_stock_out(s, world.keeper, out)
        offered = returns.returnable(s, world.keeper, out)
        rid = returns.create_return(s, world.keeper, out, {offered[0].stock_out_line_id: "1"}, reason="破损")
        returns.confirm_return(s, world.keeper, rid)
    with rd() as s:
        assert on_hand(s, world.w1, wine) == D(228)  # 240 − 24 + 12 瓶
        line = returns.get_return(s, world.admin, rid).lines[0]
        assert (line.unit, line.unit_factor, line.quantity) == ("箱", D(12), D(1))
        from crm_tui.db.models.stock import StockBalance

        bal = s.query(StockBalance).filter_by(warehouse_id=world.w1, product_id=wine).one()
        assert bal.value == D("1368.00")  # 228 瓶 at the 6.00 they left with
    from crm_tui.services.common.checks import run_checks

    assert {k: v for k, v in run_checks(engine).items() if v} == {}
