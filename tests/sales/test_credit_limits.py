"""Credit limits (信用额度) enforced at confirmation: refused or sent for approval as [credit] over_limit says."""

from decimal import Decimal as D

import pytest

from crm_tui import config
from crm_tui.db.models.customers import Customer
from crm_tui.services.sales import approvals, credit, orders, receipts
from crm_tui.services.sales.pricing import LineInput


def _limit(tx, customer_id, amount):
    with tx() as s:
        s.get(Customer, customer_id).credit_limit = D(amount)


def _p2(s):
    from crm_tui.db.models.products import Product

    return s.query(Product.id).filter(Product.code == "P2").scalar()


def _order(tx, actor, customer_id, gross="13612.55"):
    with tx(actor) as s:
        oid = orders.create_order(s, actor, customer_id, [LineInput(_p2(s), 1, gross, "gross")])
        return oid, orders.confirm_order(s, actor, oid)


@pytest.fixture
def credit_mode(crm_home):
    return lambda mode: config.update_settings("credit", over_limit=mode)


def test_an_order_over_the_limit_does_not_confirm(world, tx, rd):
    """The bug of issue 18: a 13,612.55 order confirmed against a 10,000 limit."""
    _limit(tx, world.c1, "10000")
    oid, status = _order(tx, world.li, world.c1)
    assert status == "pending_approval"
    with rd() as s:
        order = orders.get_order(s, world.admin, oid)
        queue = approvals.queue(s, world.manager)
    assert order.number is None
    assert [(a.kind, a.doc_id, a.amount) for a in queue] == [("order_credit", oid, D("13612.55"))]
    assert "over the credit limit 10,000.00" in queue[0].summary and "already used 0.00" in queue[0].summary
    with tx(world.manager) as s:
        number = approvals.approve(s, world.manager, queue[0].id, "老客户")
    with rd() as s:
        assert orders.get_order(s, world.admin, oid).status == "confirmed"
        assert orders.get_order(s, world.admin, oid).number == number


def test_refuse_mode_writes_nothing(world, tx, rd, credit_mode):
    credit_mode("refuse")
    _limit(tx, world.c1, "10000")
    with tx(world.li) as s:
        oid = orders.create_order(s, world.li, world.c1, [LineInput(world.p2, 1, "13612.55", "gross")])
    with pytest.raises(credit.CreditLimitExceeded, match="over their credit limit 10,000.00"), tx(world.li) as s:
        orders.confirm_order(s, world.li, oid)
    with rd() as s:
        assert orders.get_order(s, world.admin, oid).status == "draft"
        assert approvals.queue(s, world.admin) == []


def test_off_mode_and_customers_without_a_limit_confirm(world, tx, credit_mode):
    assert _order(tx, world.li, world.c1)[1] == "confirmed"  # no limit
    _limit(tx, world.c3, "10000")
    credit_mode("off")
    assert _order(tx, world.li, world.c3)[1] == "confirmed"


def test_exposure_counts_balance_and_within_the_limit_confirms(world, tx, rd):
    # c3 has an opening balance of 1,000.00: 9,000.00 more fits a 10,000 limit, one fen more does not
    _limit(tx, world.c3, "10000")
    assert _order(tx, world.li, world.c3, "9000.00")[1] == "confirmed"
    with rd() as s:
        got = credit.customer_credit(s, world.li, world.c3)
    assert (got.exposure, got.headroom) == (D("10000.00"), D("0.00"))
    assert got.as_json() == {"limit": "10000.00", "exposure": "10000.00", "headroom": "0.00"}
    assert _order(tx, world.li, world.c3, "0.01")[1] == "pending_approval"
    with tx(world.clerk) as s:  # money received frees the credit again
        receipts.record_receipt(s, world.clerk, world.c3, "5000")
    with rd() as s:
        assert credit.customer_credit(s, world.li, world.c3).headroom == D("5000.00")
    assert _order(tx, world.li, world.c3, "4999.99")[1] == "confirmed"


def test_unshipped_orders_count_on_the_stock_out_basis(world, tx, rd, sales_settings):
    sales_settings(receivable_basis="stock_outs")
    _limit(tx, world.c1, "10000")
    oid, status = _order(tx, world.li, world.c1, "6000.00")
    assert status == "confirmed"
    with rd() as s:
        assert credit.exposure(s, world.c1) == D("6000.00")  # nothing shipped, all of it promised
    assert _order(tx, world.li, world.c1, "4000.01")[1] == "pending_approval"


def test_a_discount_approval_then_asks_for_the_credit(world, tx, rd):
    _limit(tx, world.c1, "100")
    with tx(world.li) as s:
        oid = orders.create_order(s, world.li, world.c1, [LineInput(world.p1, 10, discount="8%")])
        assert orders.confirm_order(s, world.li, oid) == "pending_approval"
    with rd() as s:
        request = approvals.queue(s, world.manager)[0]
    assert request.kind == "order_discount"
    with tx(world.manager) as s:
        approvals.approve(s, world.manager, request.id)
    with rd() as s:
        assert orders.get_order(s, world.admin, oid).status == "pending_approval"
        assert [a.kind for a in approvals.queue(s, world.manager)] == ["order_credit"]
    with tx(world.manager) as s:
        approvals.reject(s, world.manager, approvals.queue(s, world.manager)[0].id, "先回款")
    with rd() as s:
        order = orders.get_order(s, world.admin, oid)
    assert order.status == "draft" and order.rejection == "Credit rejected by 王经理: 先回款"
