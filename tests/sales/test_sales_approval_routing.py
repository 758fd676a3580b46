"""Discount approvals go to the chain of the customer's salesperson, not the writer's; their sentence is stored as
a code and parameters and read in the reader's language."""

from dataclasses import dataclass
from decimal import Decimal as D

import pytest

from crm_tui.core.errors import PermissionDenied
from crm_tui.i18n import set_language
from crm_tui.services.sales import approvals, orders
from crm_tui.services.sales.pricing import LineInput


@dataclass
class Org:
    head: object  # heads 销售部 (a department), no supervisor link to anyone
    sun_boss: object  # 孙伟's supervisor, a member of 销售部
    sun: object  # salesperson 孙伟
    clerk_boss: object  # the clerk's supervisor (another team)
    clerk: object
    sun_customer: int
    pool_customer: int


@pytest.fixture
def org(world, make_user, tx, admin) -> Org:
    from crm_tui.services.admin import departments
    from crm_tui.services.customers import records as customers

    head = make_user("head", "manager", "销售总监")
    with tx() as s:
        dept = departments.add_department(s, admin, "销售部", manager_id=head.id)
    sun_boss = make_user("sunboss", "manager", "孙经理", department_id=dept)
    sun = make_user("sun", "salesperson", "孙伟", supervisor_id=sun_boss.id)
    clerk_boss = make_user("clerkboss", "manager", "内勤主管")
    clerk = make_user("clerk2", "clerk", "内勤二", supervisor_id=clerk_boss.id)
    with tx() as s:
        mine = customers.create_customer(s, admin, code="K101", name="孙伟的客户", owner_id=sun.id)
        pool = customers.create_customer(s, admin, code="K102", name="公海客户")
    return Org(head, sun_boss, sun, clerk_boss, clerk, mine, pool)


def _clerk_order(world, org, tx, customer, discount="8%"):
    with tx(org.clerk) as s:
        oid = orders.create_order(s, org.clerk, customer, [LineInput(world.p1, 10, discount=discount)])
        assert orders.confirm_order(s, org.clerk, oid) == "pending_approval"
    return oid


def _seen_by(rd, actor) -> list[int]:
    with rd(actor) as s:
        return [a.doc_id for a in approvals.queue(s, actor)]


def test_a_clerks_order_goes_to_the_salespersons_chain_not_the_clerks(world, org, tx, rd):
    oid = _clerk_order(world, org, tx, org.sun_customer)
    assert _seen_by(rd, org.sun_boss) == [oid]  # 孙伟's supervisor
    assert _seen_by(rd, org.head) == [oid]  # further up: the head of 孙经理's department
    assert _seen_by(rd, org.clerk_boss) == []  # the clerk's supervisor is not asked
    assert _seen_by(rd, world.manager) == []  # nor a manager of another team
    assert _seen_by(rd, world.admin) == [oid]
    with rd(org.sun_boss) as s:
        request = approvals.queue(s, org.sun_boss)[0]
    with pytest.raises(PermissionDenied), tx(org.clerk_boss) as s:
        approvals.approve(s, org.clerk_boss, request.id)
    with tx(org.head) as s:
        number = approvals.approve(s, org.head, request.id)
    with rd() as s:
        assert orders.get_order(s, world.admin, oid).number == number


def test_beyond_the_managers_limit_it_waits_for_someone_whose_limit_covers_it(world, org, tx, rd):
    _clerk_order(world, org, tx, org.sun_customer, "20%")  # a manager's limit is 15%
    with rd(org.sun_boss) as s:
        request = approvals.queue(s, org.sun_boss)[0]
    with pytest.raises(PermissionDenied, match="beyond your own limit"), tx(org.sun_boss) as s:
        approvals.approve(s, org.sun_boss, request.id)
    with tx() as s:
        approvals.approve(s, world.admin, request.id)


def test_a_pool_customers_order_goes_to_the_writers_chain(world, org, tx, rd):
    oid = _clerk_order(world, org, tx, org.pool_customer)
    assert _seen_by(rd, org.clerk_boss) == [oid]
    assert _seen_by(rd, org.sun_boss) == []


def test_the_request_shows_document_customer_amount_and_discount(world, org, tx, rd):
    oid = _clerk_order(world, org, tx, org.sun_customer)
    with rd() as s:
        row = approvals.queue(s, world.admin)[0]
    assert row.doc_id == oid and row.document == f"#{oid}" and row.customer_name == "孙伟的客户"
    assert row.amount == D("1039.60") and row.discount == D("0.08")


def test_the_stored_sentence_is_read_in_the_readers_language(world, org, tx, rd):
    from crm_tui.db.models.sales import Approval

    set_language("zh_CN")
    try:
        oid = _clerk_order(world, org, tx, org.sun_customer)  # written under the Chinese interface
        set_language("en")
        with rd() as s:
            stored = s.query(Approval).one()
            english = approvals.queue(s, world.admin)[0].summary
        set_language("zh_CN")
        with rd() as s:
            chinese = approvals.queue(s, world.admin)[0].summary
    finally:
        set_language("en")
    assert stored.message_code == "order_discount" and stored.summary == english  # the fallback is English
    assert english == f"Order #{oid}: discount 8.00% is beyond the limit 5.00% of clerk"
    assert chinese.startswith(f"订单 #{oid}") and "8.00%" in chinese and "内勤" in chinese


def test_rows_written_before_codes_keep_their_text(world, org, tx, rd):
    from crm_tui.db.models.sales import Approval

    oid = _clerk_order(world, org, tx, org.sun_customer)
    with tx() as s:
        row = s.query(Approval).one()
        row.message_code, row.message_args, row.summary = None, None, "订单 #9：折扣 8.00% 超出限额"
    with rd() as s:
        assert approvals.queue(s, world.admin)[0].summary == "订单 #9：折扣 8.00% 超出限额"
    assert oid


def test_a_rejection_is_read_in_the_readers_language_and_stays_off_the_printed_remarks(world, org, tx, rd):
    oid = _clerk_order(world, org, tx, org.sun_customer)
    with rd(org.sun_boss) as s:
        request = approvals.queue(s, org.sun_boss)[0]
    set_language("en")  # the manager rejects in English
    with tx(org.sun_boss) as s:
        approvals.reject(s, org.sun_boss, request.id, "太低了")
    set_language("zh_CN")
    try:
        with rd() as s:
            order = orders.get_order(s, world.admin, oid)
    finally:
        set_language("en")
    assert order.status == "draft" and order.remarks is None
    assert order.rejection == "折扣未获批准（孙经理）：太低了"
    with tx(org.clerk) as s:  # confirmed again, the order waits again and the old rejection is no longer shown
        orders.confirm_order(s, org.clerk, oid)
    with rd() as s:
        assert orders.get_order(s, world.admin, oid).rejection is None


def test_a_manager_does_not_approve_a_discount_for_their_own_customer(world, org, tx, rd, admin):
    from crm_tui.services.customers import records as customers

    with tx() as s:
        own = customers.create_customer(s, admin, code="K103", name="孙经理的客户", owner_id=org.sun_boss.id)
    oid = _clerk_order(world, org, tx, own)
    with rd(org.head) as s:
        request = approvals.queue(s, org.head)[0]
    with pytest.raises(PermissionDenied, match="your own customer"), tx(org.sun_boss) as s:
        approvals.approve(s, org.sun_boss, request.id)
    with tx(org.head) as s:  # the head of 孙经理's department decides
        approvals.approve(s, org.head, request.id)
    with rd() as s:
        assert orders.get_order(s, world.admin, oid).status == "confirmed"


def test_the_cli_queue_lists_document_customer_amount_and_discount(world, tx, crm):
    with tx(world.clerk) as s:
        oid = orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 10, discount="8%")])
        orders.confirm_order(s, world.clerk, oid)
    out = crm("approvals", "list", user="wang").output  # li's manager
    line = next(ln for ln in out.splitlines() if f"#{oid}" in ln)
    assert "临沂大酒店" in line and "1,039.60" in line and "8.00%" in line
    assert f"#{oid}" not in crm("approvals", "list", user="zhao").output
