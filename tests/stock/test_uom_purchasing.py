"""Units of measure on purchasing and stock documents: a receipt in 箱 adds base units at price / factor."""

from decimal import Decimal as D

import pytest

from crm_tui.core.errors import ConflictError, ValidationError
from crm_tui.db.models.stock import StockBalance, StockMove
from crm_tui.services.purchasing import orders as po
from crm_tui.services.purchasing import receipts as pr
from crm_tui.services.purchasing import suppliers as sup
from crm_tui.services.purchasing.orders import OrderLineInput
from crm_tui.services.stock import documents as sd
from crm_tui.services.stock import units

from .helpers import qty


@pytest.fixture
def boxed(world, tx, admin):
    """P002 茅台 is kept in 瓶; 1 箱 = 6 瓶. Returns (product id, supplier id)."""
    with tx() as s:
        units.add_unit(s, admin, world["p2"], "箱", "6")
        supplier = sup.add_supplier(s, admin, code="S001", name="贵州茅台")
    return world["p2"], supplier


def test_a_receipt_in_boxes_adds_base_units_at_the_price_per_base_unit(engine, admin, world, tx, rd, boxed):
    product, supplier = boxed
    w = world["w1"]
    with tx() as s:
        oid = po.create_order(s, admin, supplier, [OrderLineInput(product, D(5), price=D("7200.00"), unit="箱")],
                              warehouse_id=w)
        po.submit(s, admin, oid)
        line = po.get_order(s, oid).lines[0]
    assert (line.unit, line.unit_factor, line.amount_net) == ("箱", D(6), D("36000.00"))
    with tx() as s:
        pr.receive(s, admin, oid, {line.id: "2"})
    assert qty(engine, w, product) == 12
    with rd() as s:
        bal = s.query(StockBalance).filter_by(warehouse_id=w, product_id=product).one()
        assert bal.unit_cost == D("1200") and bal.value == D("14400.00")  # 7200.00 / 6 per 瓶
        view = po.get_order(s, oid)
        assert view.lines[0].received == D(2) and view.lines[0].remaining == D(3)
    with pytest.raises(ValidationError, match="more than the 18 still to receive"), tx() as s:
        pr.receive(s, admin, oid, {line.id: "19"}, units={line.id: "瓶"})
    with tx() as s:
        rid = pr.create_receipt(s, admin, oid, {line.id: "3"}, units={line.id: "瓶"})
        assert [(ln.unit, ln.quantity) for ln in pr.get_receipt(s, rid).lines] == [("瓶", D(3))]
        pr.confirm_receipt(s, admin, rid)
        pr.receive(s, admin, oid)  # the rest: 15 瓶 (2.5 箱)
    assert qty(engine, w, product) == 30
    with rd() as s:
        view = po.get_order(s, oid)
        assert view.status == "done" and view.receiving_state == "received"
        total = sum(m.amount for m in s.query(StockMove).filter_by(product_id=product, doc_type="purchase_receipt"))
        assert total == D("36000.00")  # the receipts add up to the order exactly


def test_the_default_purchase_price_in_boxes_is_the_purchase_price_times_the_factor(engine, admin, world, tx, boxed):
    product, supplier = boxed
    with tx() as s:
        oid = po.create_order(s, admin, supplier, [OrderLineInput(product, D(1), unit="箱")])
        assert po.get_order(s, oid).lines[0].price == D("8994.00")  # 1499 × 6


def test_stock_documents_move_base_units_and_a_stocktake_counts_in_the_base_unit(engine, admin, world, tx, boxed):
    product, _supplier = boxed
    w = world["w1"]
    with tx() as s:
        doc = sd.create_document(s, admin, "stock_in", w, lines=[sd.LineInput(product, D(2), unit_cost=D("6000"),
                                                                              unit="箱")])
        sd.confirm(s, admin, doc)
        out = sd.create_document(s, admin, "stock_out", w, lines=[sd.LineInput(product, D(1), unit="箱"),
                                                                  sd.LineInput(product, D(1))])
        sd.confirm(s, admin, out)
    assert qty(engine, w, product) == 5
    with pytest.raises(ValidationError), tx() as s:
        sd.create_document(s, admin, "stocktake", w, lines=[sd.LineInput(product, counted_quantity=D(1), unit="箱")])


def test_unit_validation(engine, admin, world, tx, boxed):
    product, _supplier = boxed
    with pytest.raises(ConflictError), tx() as s:
        units.add_unit(s, admin, product, "箱", "12")
    for bad in ("0", "-1", "abc", "1.1234567"):
        with pytest.raises(ValidationError), tx() as s:
            units.add_unit(s, admin, product, "件", bad)
    with pytest.raises(ValidationError), tx() as s:
        units.add_unit(s, admin, product, "瓶", "2")  # the base unit
    with tx() as s:
        assert units.resolve(s, product, None) == 1 and units.resolve(s, product, "瓶") == 1
        assert units.resolve(s, product, "箱") == 6


def test_a_purchase_return_of_goods_received_in_boxes_takes_base_units_at_their_cost(engine, admin, world, tx, rd,
                                                                                       boxed):
    from crm_tui.services.purchasing import returns

    product, supplier = boxed
    w = world["w1"]
    with tx() as s:
        oid = po.create_order(s, admin, supplier, [OrderLineInput(product, D(2), price=D("7200.00"), unit="箱")],
                              warehouse_id=w)
        po.submit(s, admin, oid)
        line = po.get_order(s, oid).lines[0]
        receipt = pr.create_receipt(s, admin, oid, {line.id: "2"})
        pr.confirm_receipt(s, admin, receipt)
        back = returns.returnable_lines(s, receipt)[0]
        returns.return_goods(s, admin, receipt, {back.receipt_line_id: "1"}, reason="破损")
    assert qty(engine, w, product) == 6  # 12 瓶 in, one 箱 of 6 back
    with rd() as s:
        bal = s.query(StockBalance).filter_by(warehouse_id=w, product_id=product).one()
        assert bal.value == D("7200.00")
