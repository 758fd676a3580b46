"""Transfer, assign, share, claim from the pool, release, leavers, and the idle-customer rule."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from crm_tui.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from crm_tui.db.models.customers import ContactLog, Customer, CustomerShare
from crm_tui.db.models.system import AuditEntry
from crm_tui.services.customers import contact_logs
from crm_tui.services.customers import records as customers
from crm_tui.services.customers import transfer as customer_transfer


def owners(ro, actor, ids):
    with ro(actor) as s:
        return [s.get(Customer, i).owner_id for i in ids]


def test_transfer_with_open_follow_ups(org, tx, ro, add_customer):
    a = add_customer(org.s1, "甲记")
    b = add_customer(org.s1, "乙记")
    with tx(org.s1) as s:
        open_log = contact_logs.add_log(s, org.s1, a, "visit", "x", next_follow_up=date.today() + timedelta(3))
    with tx(org.mgr) as s:
        result = customer_transfer.transfer(s, org.mgr, [a, b], org.s2.id)
    assert (result.customers, result.follow_ups) == (2, 1)
    assert owners(ro, org.admin, [a, b]) == [org.s2.id, org.s2.id]
    with ro(org.s2) as s:
        assert [r.id for r in contact_logs.open_follow_ups(s, org.s2)] == [open_log]
        assert s.get(Customer, a).version == 2  # an editor holding version 1 will get a conflict
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "transfer")).all()
        assert {e.entity_id for e in entries} == {str(a), str(b)}


def test_transfer_rights(org, tx, ro, add_customer):
    a = add_customer(org.s1, "甲记")
    c = add_customer(org.s3, "丙记")
    with pytest.raises(PermissionDenied), tx(org.s1) as s:  # salespeople do not transfer
        customer_transfer.transfer(s, org.s1, [a], org.s2.id)
    with pytest.raises(PermissionDenied), tx(org.mgr) as s:  # not to another team
        customer_transfer.transfer(s, org.mgr, [a], org.s3.id)
    with pytest.raises(NotFound), tx(org.mgr) as s:  # not another team's customers
        customer_transfer.transfer(s, org.mgr, [a, c], org.s2.id)
    assert owners(ro, org.admin, [a, c]) == [org.s1.id, org.s3.id]  # nothing moved
    with tx(org.clerk) as s:
        customer_transfer.transfer(s, org.clerk, [a, c], org.s3.id)
    assert owners(ro, org.admin, [a, c]) == [org.s3.id, org.s3.id]


def test_leaver_hands_everything_over(org, tx, ro, add_customer):
    mine = [add_customer(org.s1, f"客户{i}") for i in range(5)]
    elsewhere = add_customer(org.s2, "李娜的客户")
    shared = add_customer(org.s3, "共享给孙伟")
    with tx(org.s2) as s:  # s1 has an open follow-up on a customer s1 does not own
        customer_transfer.share(s, org.s2, [elsewhere], [org.s1.id])
    with tx(org.s1) as s:
        contact_logs.add_log(s, org.s1, elsewhere, "visit", "帮忙", next_follow_up=date.today())
    with tx(org.s3) as s:
        customer_transfer.share(s, org.s3, [shared], [org.s1.id])
    with tx(org.admin) as s:
        from crm_tui.services.admin import users

        users.set_active(s, org.admin, org.s1.id, False)
    with pytest.raises(ValidationError), tx(org.admin) as s:  # nobody can take over to a disabled user
        customer_transfer.transfer_all(s, org.admin, org.s2.id, org.s1.id)
    with tx(org.admin) as s:
        result = customer_transfer.transfer_all(s, org.admin, org.s1.id, org.s2.id)
    assert (result.customers, result.follow_ups, result.shares) == (5, 1, 2)
    with ro(org.admin) as s:
        assert s.scalar(select(func.count()).select_from(Customer).where(Customer.owner_id == org.s1.id)) == 0
        assert set(owners(ro, org.admin, mine)) == {org.s2.id}
        assert s.scalar(select(func.count()).select_from(ContactLog)
                        .where(ContactLog.follow_up_owner_id == org.s1.id)) == 0
        shares = s.execute(select(CustomerShare.customer_id, CustomerShare.user_id)).all()
        assert shares == [(shared, org.s2.id)]  # the share of s2's own customer is gone, the other moved


def test_share_and_unshare(org, tx, ro, add_customer):
    a = add_customer(org.s1, "甲记")
    with tx(org.s1) as s:  # an owner may share their own customer
        assert customer_transfer.share(s, org.s1, [a], [org.s3.id, org.s1.id]) == 1
        assert customer_transfer.share(s, org.s1, [a], [org.s3.id]) == 0  # already shared
    with ro(org.s3) as s:
        assert customers.get_customer(s, org.s3, a).shared_with == ("郑凯",)
    with pytest.raises(PermissionDenied), tx(org.s3) as s:  # a shared user may not pass it on
        customer_transfer.share(s, org.s3, [a], [org.s2.id])
    with tx(org.s1) as s:
        assert customer_transfer.unshare(s, org.s1, [a], [org.s3.id]) == 1
    with pytest.raises(NotFound, match="No such customer"), ro(org.s3) as s:
        customers.get_customer(s, org.s3, a)


def test_pool_claim_and_release(org, tx, ro, add_customer):
    p = add_customer(org.clerk, "公海客户", owner_id=None)
    with tx(org.s1) as s:
        customer_transfer.claim(s, org.s1, p)
    with pytest.raises(ConflictError, match="no longer"), tx(org.s2) as s:
        customer_transfer.claim(s, org.s2, p)
    assert owners(ro, org.admin, [p]) == [org.s1.id]
    with tx(org.s1) as s:
        customer_transfer.release(s, org.s1, [p])
    assert owners(ro, org.admin, [p]) == [None]
    with tx(org.s2) as s:
        customer_transfer.claim(s, org.s2, p)
    assert owners(ro, org.admin, [p]) == [org.s2.id]


def test_idle_customers_return_to_pool_only_when_turned_on(org, tx, ro, add_customer):
    today = date(2026, 11, 27)
    old = add_customer(org.s1, "久未联系", created_on="2026-01-05")
    recent = add_customer(org.s1, "刚联系过", created_on="2026-01-05")
    new = add_customer(org.s1, "新客户", created_on="2026-11-20")
    with tx(org.s1) as s:
        contact_logs.add_log(s, org.s1, old, "visit", "x", at=datetime(2026, 6, 1, 9))
        contact_logs.add_log(s, org.s1, recent, "visit", "x", at=datetime(2026, 11, 1, 9))
    with tx(org.admin) as s:
        assert customer_transfer.return_idle_to_pool(s, org.admin, today=today).customers == 0  # off by default
    with pytest.raises(PermissionDenied), tx(org.mgr) as s:
        customer_transfer.return_idle_to_pool(s, org.mgr, 90, today=today)
    with tx(org.admin) as s:
        assert customer_transfer.return_idle_to_pool(s, org.admin, 90, today=today).customers == 1
    assert owners(ro, org.admin, [old, recent, new]) == [None, org.s1.id, org.s1.id]
