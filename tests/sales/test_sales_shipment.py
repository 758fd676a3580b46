"""The stock-out dialog's services: quantities per line, a draft first and confirming apart, the tracking
number corrected after shipping (audited old → new) and shown in the stock-out list."""

import json
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from crm_tui.core.errors import ValidationError
from crm_tui.db.models.system import AuditEntry
from crm_tui.services.sales import deliveries, orders
from crm_tui.services.sales import stock_outs as outs
from crm_tui.services.sales.actions import save_shipment, ship
from crm_tui.services.sales.pricing import LineInput
from crm_tui.services.stock.ledger import on_hand


def _order(tx, world):
    with tx(world.clerk) as s:
        oid = orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 10, "113", "gross"),
                                                             LineInput(world.p2, 5)])
        assert orders.confirm_order(s, world.clerk, oid) == "confirmed"
        return oid, [ln.id for ln in orders.get_order(s, world.clerk, oid).lines]


def test_a_draft_of_part_of_the_order_posts_no_stock_until_confirmed(engine, world, tx, rd):
    oid, (l1, l2) = _order(tx, world)
    with tx(world.clerk) as s:
        saved = save_shipment(s, world.clerk, oid, world.w1, {l1: "4", l2: "0"},
                              tracking=[("顺丰速运", "SF100")])
    assert saved.number is None
    with rd() as s:
        draft = outs.get_stock_out(s, world.admin, saved.out_id)
        assert draft.status == "draft" and [(ln.order_line_id, ln.quantity) for ln in draft.lines] == [(l1, 4)]
        assert draft.tracking == [("顺丰速运", "SF100")]
        assert on_hand(s, world.w1, world.p1) == D(100)  # nothing posted yet
        offered = outs.shippable(s, world.admin, oid, draft_id=saved.out_id)
        assert [(x.order_line_id, x.left, x.quantity) for x in offered] == [(l1, 10, 4), (l2, 5, 0)]
    # saved again: other quantities, another warehouse, then confirmed
    with tx(world.clerk) as s:
        again = save_shipment(s, world.clerk, oid, world.w2, {l1: "6", l2: "5"}, out_id=saved.out_id,
                              tracking=[("顺丰速运", "SF100")], confirm=True)
    assert again.out_id == saved.out_id and again.number
    with rd() as s:
        assert on_hand(s, world.w2, world.p1) == D(94) and on_hand(s, world.w2, world.p2) == D(95)
        view = orders.get_order(s, world.admin, oid)
        assert [ln.shipped_quantity for ln in view.lines] == [6, 5]
        assert [(x.order_line_id, x.left) for x in outs.shippable(s, world.admin, oid)] == [(l1, 4)]


def test_more_than_is_left_is_refused_naming_the_line(engine, world, tx, rd):
    oid, (l1, l2) = _order(tx, world)
    with pytest.raises(ValidationError) as err, tx(world.clerk) as s:
        save_shipment(s, world.clerk, oid, world.w1, {l1: "11"})
    assert "P1" in err.value.message and "10" in err.value.message
    with pytest.raises(ValidationError) as err, tx(world.clerk) as s:
        save_shipment(s, world.clerk, oid, world.w1, {l1: "0", l2: ""})
    assert err.value.field == "lines"
    with pytest.raises(ValidationError), tx(world.clerk) as s:
        save_shipment(s, world.clerk, oid, world.w1, {l1: "abc"})
    with rd() as s:
        assert outs.list_stock_outs(s, world.admin) == []  # nothing written


def test_a_notice_limits_what_ships_from_it(engine, world, tx, rd):
    oid, (l1, l2) = _order(tx, world)
    with tx(world.clerk) as s:
        nid = deliveries.notice_from_order(s, world.clerk, oid, {l1: D(3)}, warehouse_id=world.w1)
        deliveries.confirm_notice(s, world.clerk, nid)
    with rd() as s:
        assert [(x.order_line_id, x.left) for x in outs.shippable(s, world.admin, oid, notice_id=nid)] == [(l1, 3)]
        # without the notice: what the notice holds is not free
        assert [(x.order_line_id, x.left) for x in outs.shippable(s, world.admin, oid)] == [(l1, 7), (l2, 5)]
    with pytest.raises(ValidationError), tx(world.clerk) as s:
        save_shipment(s, world.clerk, oid, world.w1, {l1: "4"}, notice_id=nid)
    with tx(world.clerk) as s:
        done = save_shipment(s, world.clerk, oid, world.w1, {l1: "2"}, notice_id=nid, confirm=True)
    with rd() as s:
        out = outs.get_stock_out(s, world.admin, done.out_id)
        assert out.status == "confirmed" and out.lines[0].notice_line_id is not None


def test_tracking_number_corrected_after_confirming_is_audited_and_listed(engine, world, tx, rd):
    oid, (l1, l2) = _order(tx, world)
    with tx(world.clerk) as s:
        number = ship(s, world.clerk, world.w1, order_ids=[oid], quantities={l1: "2", l2: "0"},
                      tracking=[("中通快递", "ZT1")])
        out_id = outs.find_stock_out(s, world.clerk, number)
    with tx(world.clerk) as s:
        assert outs.set_tracking(s, world.clerk, out_id, "顺丰速运", "SF200") == ("中通快递", "ZT1")
    with rd() as s:
        assert outs.get_stock_out(s, world.admin, out_id).tracking == [("顺丰速运", "SF200")]
        row = outs.list_stock_outs(s, world.admin)[0]
        assert row.number == number and row.tracking == "SF200"
        changes = [json.loads(e.changes) for e in s.scalars(select(AuditEntry).where(
            AuditEntry.entity == "tracking_numbers", AuditEntry.action == "update"))]
        assert {"courier": ["中通快递", "顺丰速运"], "number": ["ZT1", "SF200"]} in changes
    with pytest.raises(ValidationError), tx(world.clerk) as s:
        outs.set_tracking(s, world.clerk, out_id, "", "SF200")
    with tx(world.clerk) as s:
        outs.cancel_stock_out(s, world.clerk, out_id, "wrong goods")
    with pytest.raises(ValidationError), tx(world.clerk) as s:
        outs.set_tracking(s, world.clerk, out_id, "顺丰速运", "SF300")


def test_a_draft_without_a_tracking_number_drops_the_old_one(engine, world, tx, rd):
    oid, (l1, _l2) = _order(tx, world)
    with tx(world.clerk) as s:
        saved = save_shipment(s, world.clerk, oid, world.w1, {l1: "1"}, tracking=[("顺丰速运", "SF1")])
        save_shipment(s, world.clerk, oid, world.w1, {l1: "1"}, out_id=saved.out_id, tracking=[("", "")])
    with rd() as s:
        assert outs.get_stock_out(s, world.admin, saved.out_id).tracking == []


def test_cli_ships_part_of_an_order_and_sets_the_tracking_number(crm, world, tx, rd):
    oid, (l1, l2) = _order(tx, world)
    with rd() as s:
        number = orders.get_order(s, world.admin, oid).number
    bad = crm("orders", "ship", number, "--warehouse", "WH1", "--line", "1=11", ok=False)
    assert bad.exit_code != 0 and "P1" in bad.output
    assert crm("orders", "ship", number, "--warehouse", "WH1", "--line", "x", ok=False).exit_code != 0
    assert crm("orders", "ship", number, "--warehouse", "WH1", "--line", "9=1", ok=False).exit_code != 0
    out = crm("orders", "ship", number, "--warehouse", "WH1", "--line", "1=4", "--line", "2=0",
              "--courier", "中通快递", "--tracking", "ZT9").output
    with rd() as s:
        assert [ln.shipped_quantity for ln in orders.get_order(s, world.admin, oid).lines] == [4, 0]
        out_number = outs.list_stock_outs(s, world.admin)[0].number
    assert out_number in out
    said = crm("stock-outs", "track", out_number, "--courier", "顺丰速运", "--number", "SF77").output
    assert "SF77" in said and "ZT9" in said  # new and old
    assert "SF77" in crm("stock-outs", "list").output
    with rd() as s:
        from crm_tui.services.sales.printing import delivery_for_print

        assert ("快递单号", "顺丰速运 SF77") in delivery_for_print(s, world.admin, out_number).info


def test_cli_confirms_a_draft_stock_out(crm, world, tx, rd):
    oid, (l1, _l2) = _order(tx, world)
    with tx(world.clerk) as s:
        saved = save_shipment(s, world.clerk, oid, world.w1, {l1: "1"})
    assert "draft" in crm("stock-outs", "list", "--status", "draft").output
    crm("stock-outs", "confirm", f"#{saved.out_id}")
    with rd() as s:
        assert outs.get_stock_out(s, world.admin, saved.out_id).status == "confirmed"


def test_cancelling_the_order_deletes_its_draft_stock_out(engine, world, tx, rd):
    oid, (l1, _l2) = _order(tx, world)
    with tx(world.clerk) as s:
        saved = save_shipment(s, world.clerk, oid, world.w1, {l1: "1"}, tracking=[("顺丰速运", "SF9")])
        orders.cancel_order(s, world.clerk, oid, "customer withdrew")
    with rd() as s:
        assert outs.list_stock_outs(s, world.admin) == []
        assert outs.find_tracking(s, world.admin) == []
        assert saved.out_id not in [r.id for r in outs.list_stock_outs(s, world.admin, status="draft")]
