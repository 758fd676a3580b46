"""Quotes and orders: numbering, copying, converting, confirmed documents never edited, discount approvals."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from crm_tui.core.errors import PermissionDenied, StateError, ValidationError
from crm_tui.services.sales import approvals, orders, quotes
from crm_tui.services.sales.pricing import LineInput


def test_quote_confirm_copy_and_turn_into_an_order(world, tx, rd):
    today = date.today()
    with tx(world.li) as s:
        qid = quotes.create_quote(s, world.li, world.c1, [LineInput(world.p1, 10), LineInput(world.p2, 5, "9.50", "net")],
                                  terms="含税价\n款到发货", contact_name="张经理")
        number = quotes.confirm_quote(s, world.li, qid)
    assert number.startswith(f"QT{today:%Y%m}-")
    with tx(world.li) as s:
        copy_id = quotes.copy_quote(s, world.li, qid)
    with rd() as s:
        original = quotes.get_quote(s, world.admin, qid)
        copy = quotes.get_quote(s, world.admin, copy_id)
    assert copy.status == "draft" and copy.number is None and copy.copied_from == number
    assert [(ln.product_id, ln.quantity, ln.gross_amount) for ln in copy.lines] == \
        [(ln.product_id, ln.quantity, ln.gross_amount) for ln in original.lines]
    assert copy.gross_total == original.gross_total == D("1130.00") + D("53.68")
    assert copy.valid_until == today + timedelta(days=30)
    with tx(world.li) as s:
        order_id = quotes.quote_to_order(s, world.li, copy_id)
        status = orders.confirm_order(s, world.li, order_id)
    with rd() as s:
        order = orders.get_order(s, world.admin, order_id)
        copy = quotes.get_quote(s, world.admin, copy_id)
    assert status == "confirmed" and order.number.startswith("SO")
    assert order.quote_number == copy.number and copy.status == "done" and copy.orders == (order.number,)
    assert order.gross_total == original.gross_total
    assert order.contact_name == "张经理"


def test_confirmed_documents_are_never_edited(world, tx):
    with tx(world.clerk) as s:
        qid = quotes.create_quote(s, world.clerk, world.c1, [LineInput(world.p1, 1)])
        quotes.confirm_quote(s, world.clerk, qid)
        oid = orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 1)])
        orders.confirm_order(s, world.clerk, oid)
    with pytest.raises(StateError), tx(world.clerk) as s:
        quotes.set_lines(s, world.clerk, qid, [LineInput(world.p1, 2)])
    with pytest.raises(StateError), tx(world.clerk) as s:
        orders.set_lines(s, world.clerk, oid, [LineInput(world.p1, 2)])
    with pytest.raises(StateError), tx(world.clerk) as s:
        orders.update_header(s, world.clerk, oid, remarks="changed")
    with pytest.raises(StateError), tx(world.clerk) as s:
        orders.delete_draft(s, world.clerk, oid)
    with pytest.raises(StateError), tx(world.clerk) as s:
        orders.confirm_order(s, world.clerk, oid)


def test_an_expired_quote_is_not_turned_into_an_order(world, tx):
    with tx(world.li) as s:
        qid = quotes.create_quote(s, world.li, world.c1, [LineInput(world.p1, 1)],
                                  quote_date=date.today() - timedelta(days=40), valid_until=date.today() - timedelta(days=10))
    with pytest.raises(StateError, match="expired"), tx(world.li) as s:
        quotes.quote_to_order(s, world.li, qid)


def test_a_line_needs_a_positive_quantity_and_a_price(world, tx):
    from crm_tui.services.stock import products

    with pytest.raises(ValidationError, match="greater than zero"), tx(world.li) as s:
        orders.create_order(s, world.li, world.c1, [LineInput(world.p1, 0)])
    with tx() as s:
        bare = products.add_product(s, world.admin, code="P9", name="无价商品")
    with pytest.raises(ValidationError, match="give a price"), tx(world.li) as s:
        orders.create_order(s, world.li, world.c1, [LineInput(bare, 1)])
    with pytest.raises(ValidationError, match="under 100%"), tx(world.li) as s:
        orders.create_order(s, world.li, world.c1, [LineInput(world.p1, 1, discount="100%")])


def test_external_reference_is_unique_per_customer(world, tx):
    with tx(world.clerk) as s:
        orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 1)], external_ref="PO-7")
        orders.create_order(s, world.clerk, world.c2, [LineInput(world.p1, 1)], external_ref="PO-7")
    with pytest.raises(ValidationError, match="PO-7"), tx(world.clerk) as s:
        orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 1)], external_ref="PO-7")


def _discounted_order(world, tx, actor, discount="8%"):
    with tx(actor) as s:
        oid = orders.create_order(s, actor, world.c1, [LineInput(world.p1, 10, discount=discount),
                                                       LineInput(world.p2, 1)])
        status = orders.confirm_order(s, actor, oid)
    return oid, status


def test_discount_within_the_limit_confirms(world, tx):
    _oid, status = _discounted_order(world, tx, world.li, "5%")
    assert status == "confirmed"


def test_discount_beyond_the_limit_waits_for_the_manager(world, tx, rd):
    oid, status = _discounted_order(world, tx, world.li, "8%")
    assert status == "pending_approval"
    with rd() as s:
        order = orders.get_order(s, world.admin, oid)
        assert order.number is None and order.max_discount == D("0.08")
        queue = approvals.queue(s, world.manager)
        assert [(a.kind, a.doc_id) for a in queue] == [("order_discount", oid)]
        assert approvals.queue(s, world.zhao) == []  # zhao is not li's manager (and not a manager)
    # the salesperson cannot approve, another manager's people are not theirs, and nobody approves their own
    with pytest.raises(PermissionDenied), tx(world.li) as s:
        approvals.approve(s, world.li, queue[0].id)
    with tx(world.manager) as s:
        number = approvals.approve(s, world.manager, queue[0].id, "同意，老客户")
    with rd() as s:
        order = orders.get_order(s, world.admin, oid)
        done = approvals.queue(s, world.manager, status=None)
    assert order.status == "confirmed" and order.number == number and order.approved_discount == D("0.08")
    assert done[0].status == "approved" and done[0].comment == "同意，老客户"


def test_a_typed_lower_price_counts_as_a_discount(world, tx):
    with tx(world.li) as s:
        oid = orders.create_order(s, world.li, world.c1, [LineInput(world.p1, 1, "100.00", "gross")])  # 11.5% off
        assert orders.confirm_order(s, world.li, oid) == "pending_approval"


def test_a_manager_may_approve_only_within_their_own_limit(world, tx, rd):
    oid, status = _discounted_order(world, tx, world.li, "20%")  # manager's limit is 15%
    with rd() as s:
        request = approvals.queue(s, world.manager)[0]
    with pytest.raises(PermissionDenied, match="beyond your own limit"), tx(world.manager) as s:
        approvals.approve(s, world.manager, request.id)
    with tx() as s:
        approvals.approve(s, world.admin, request.id)
    with rd() as s:
        assert orders.get_order(s, world.admin, oid).status == "confirmed"


def test_rejection_sends_the_order_back_to_draft(world, tx, rd):
    oid, _status = _discounted_order(world, tx, world.li, "10%")
    with rd() as s:
        request = approvals.queue(s, world.manager)[0]
    with tx(world.manager) as s:
        approvals.reject(s, world.manager, request.id, "折扣太大")
    with rd() as s:
        order = orders.get_order(s, world.admin, oid)
    assert order.status == "draft" and order.rejection == "Discount rejected by 王经理: 折扣太大"
    assert order.remarks is None  # the remarks print for the customer: the manager's word is not put there
    with tx(world.li) as s:
        orders.set_lines(s, world.li, oid, [LineInput(world.p1, 10, discount="5%")])
        assert orders.confirm_order(s, world.li, oid) == "confirmed"


def test_withdraw_and_settings_limits(world, tx, rd, sales_settings):
    oid, _status = _discounted_order(world, tx, world.li, "8%")
    with tx(world.li) as s:
        orders.withdraw(s, world.li, oid)
    with rd() as s:
        assert approvals.queue(s, world.manager) == []
        assert approvals.queue(s, world.manager, status="withdrawn")[0].doc_id == oid
    sales_settings(discount_limits={"salesperson": 10})
    with tx(world.li) as s:
        assert orders.confirm_order(s, world.li, oid) == "confirmed"


def test_numbers_are_taken_only_at_confirmation_and_are_unique(world, tx, rd):
    with tx(world.clerk) as s:
        ids = [orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 1)]) for _ in range(3)]
        orders.confirm_order(s, world.clerk, ids[2])
        orders.confirm_order(s, world.clerk, ids[0])
    with rd() as s:
        views = [orders.get_order(s, world.admin, i) for i in ids]
    assert views[1].number is None
    assert views[2].number.endswith("-0001") and views[0].number.endswith("-0002")


def test_customer_ranking_counts_confirmed_orders_of_the_period(world, tx, rd):
    """The customers area ranks by sales once there are orders; drafts and cancelled orders do not count."""
    from crm_tui.services.customers.search import rank_customers

    today = date.today()
    with rd() as s:
        assert rank_customers(s, world.admin, today, today).by == "contacts"
    with tx(world.li) as s:
        small = orders.create_order(s, world.li, world.c1, [LineInput(world.p2, 3)])
        orders.confirm_order(s, world.li, small)
        orders.create_order(s, world.li, world.c3, [LineInput(world.p1, 50)])  # a draft
    with tx(world.admin) as s:
        big = orders.create_order(s, world.admin, world.c2, [LineInput(world.p1, 2)])
        orders.confirm_order(s, world.admin, big)
        gone = orders.create_order(s, world.admin, world.c3, [LineInput(world.p1, 9)])
        orders.confirm_order(s, world.admin, gone)
        orders.cancel_order(s, world.admin, gone, "客户取消")
    with rd() as s:
        ranking = rank_customers(s, world.admin, today, today)
        assert ranking.by == "sales"
        assert [(r.code, r.sales) for r in ranking.rows] == [("K002", D("226.00")), ("K001", D("33.90"))]  # 3 × 10.00 net + 13%
        mine = rank_customers(s, world.li, today, today)  # li sees only his own customers
        assert [r.code for r in mine.rows] == ["K001"]
        assert rank_customers(s, world.admin, today - timedelta(days=9), today - timedelta(days=1)).by == "contacts"
