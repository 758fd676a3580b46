"""Contact logs: recording, follow-ups, last contact time, review by the manager, the review queue."""

from datetime import date, datetime

import pytest

from crm_tui.core.errors import NotFound, PermissionDenied, StateError, ValidationError
from crm_tui.db.models.customers import ContactLog, Customer
from crm_tui.services.customers import contact_logs, contacts


@pytest.fixture
def shop(org, add_customer):
    return add_customer(org.s1, "临沂华夏商贸")


def test_log_a_visit_with_follow_up(org, tx, ro, shop):
    with tx(org.s1) as s:
        contact = contacts.add_contact(s, org.s1, shop, name="张三")
        log = contact_logs.add_log(s, org.s1, shop, "visit", " 拜访店长，谈年货订单 ", contact_id=contact,
                                   at=datetime(2026, 11, 20, 9, 30), result="有意向",
                                   next_step="送样品", next_follow_up="2026-11-25")
    with ro(org.s1) as s:
        row = contact_logs.get_log(s, org.s1, log)
        assert row.summary == "拜访店长，谈年货订单"
        assert row.contact == "张三" and row.author == "孙伟" and row.follow_up_owner == "孙伟"
        assert s.get(Customer, shop).last_contact_at == datetime(2026, 11, 20, 9, 30)
        assert s.get(Customer, shop).version == 1  # logging does not count as an edit of the customer
        assert [r.id for r in contact_logs.open_follow_ups(s, org.s1)] == [log]
    # the next contact closes the open follow-up; an older, backdated log leaves last contact alone
    with tx(org.s1) as s:
        contact_logs.add_log(s, org.s1, shop, "phone", "电话确认样品", at=datetime(2026, 11, 25, 15, 0))
        contact_logs.add_log(s, org.s1, shop, "wechat", "补记", at=datetime(2026, 11, 1, 8, 0))
    with ro(org.s1) as s:
        assert contact_logs.open_follow_ups(s, org.s1) == []
        assert s.get(ContactLog, log).follow_up_done_at == datetime(2026, 11, 25, 15, 0)
        assert s.get(Customer, shop).last_contact_at == datetime(2026, 11, 25, 15, 0)
        assert [r.kind for r in contact_logs.list_logs(s, org.s1, customer_id=shop)] == ["phone", "visit", "wechat"]


@pytest.mark.parametrize("kind, summary, extra, field", [
    ("meeting", "x", {}, "kind"),
    ("visit", "  ", {}, "summary"),
    ("visit", "x", {"next_follow_up": "2026-02-30"}, "next_follow_up"),
    ("visit", "x", {"next_follow_up": "2026-11-01", "at": datetime(2026, 11, 2)}, "next_follow_up"),
])
def test_bad_logs_are_refused(org, tx, ro, shop, kind, summary, extra, field):
    with pytest.raises(ValidationError) as err, tx(org.s1) as s:
        contact_logs.add_log(s, org.s1, shop, kind, summary, **extra)
    assert err.value.field == field
    with ro(org.s1) as s:
        assert contact_logs.list_logs(s, org.s1, customer_id=shop) == []


def test_contact_of_another_customer_is_refused(org, tx, shop, add_customer):
    other = add_customer(org.s1, "别家")
    with tx(org.s1) as s:
        stranger = contacts.add_contact(s, org.s1, other, name="李四")
    with pytest.raises(ValidationError, match="does not belong"), tx(org.s1) as s:
        contact_logs.add_log(s, org.s1, shop, "visit", "x", contact_id=stranger)


def test_cannot_log_for_an_invisible_customer(org, tx, shop):
    with pytest.raises(NotFound, match="No such customer"), tx(org.s3) as s:
        contact_logs.add_log(s, org.s3, shop, "visit", "x")


def test_review_by_manager_and_queue(org, tx, ro, shop, add_customer):
    s2_shop = add_customer(org.s2, "李娜的客户")
    s3_shop = add_customer(org.s3, "郑凯的客户")
    with tx(org.s1) as s:
        mine = contact_logs.add_log(s, org.s1, shop, "visit", "第一次拜访", at=datetime(2026, 11, 2, 10))
    with tx(org.s2) as s:
        theirs = contact_logs.add_log(s, org.s2, s2_shop, "phone", "电话", at=datetime(2026, 11, 3, 10))
    with tx(org.s3) as s:
        other_team = contact_logs.add_log(s, org.s3, s3_shop, "visit", "另一组", at=datetime(2026, 11, 1, 10))
    with ro(org.mgr) as s:
        assert [r.id for r in contact_logs.review_queue(s, org.mgr)] == [mine, theirs]
    with ro(org.boss) as s:  # the manager's manager sees the whole chain below
        assert [r.id for r in contact_logs.review_queue(s, org.boss)] == [other_team, mine, theirs]
    with pytest.raises(PermissionDenied), tx(org.mgr2) as s:
        contact_logs.review_log(s, org.mgr2, mine, "不归你管")
    with pytest.raises(PermissionDenied), tx(org.s1) as s:
        contact_logs.review_queue(s, org.s1)
    with pytest.raises(PermissionDenied), tx(org.s2) as s:
        contact_logs.review_log(s, org.s2, mine, "同事不能批复")
    with pytest.raises(ValidationError), tx(org.mgr) as s:
        contact_logs.review_log(s, org.mgr, mine, "  ")
    with tx(org.mgr) as s:
        contact_logs.review_log(s, org.mgr, mine, "下次带上新品目录")
    with ro(org.mgr) as s:
        assert [r.id for r in contact_logs.review_queue(s, org.mgr)] == [theirs]
    with ro(org.s1) as s:  # the author reads the comment
        row = contact_logs.get_log(s, org.s1, mine)
        assert (row.review_comment, row.reviewer) == ("下次带上新品目录", "钱经理")
    # a reviewed log can no longer be changed by its author
    with pytest.raises(StateError), tx(org.s1) as s:
        contact_logs.update_log(s, org.s1, mine, row.version, summary="改写")


def test_author_corrects_own_log_before_review(org, tx, ro, shop):
    with tx(org.s1) as s:
        log = contact_logs.add_log(s, org.s1, shop, "visit", "初稿")
    with ro(org.s1) as s:
        version = contact_logs.get_log(s, org.s1, log).version
    with pytest.raises(PermissionDenied), tx(org.mgr) as s:
        contact_logs.update_log(s, org.mgr, log, version, summary="经理改")
    with tx(org.s1) as s:
        contact_logs.update_log(s, org.s1, log, version, summary="定稿", next_follow_up=date.today().isoformat())
    with ro(org.s1) as s:
        row = contact_logs.get_log(s, org.s1, log)
        assert row.summary == "定稿" and row.follow_up_owner == "孙伟"


def test_complete_follow_up_by_hand(org, tx, ro, shop):
    with tx(org.s1) as s:
        log = contact_logs.add_log(s, org.s1, shop, "visit", "x", next_follow_up=date.today())
    with pytest.raises(PermissionDenied), tx(org.s3) as s:
        contact_logs.complete_follow_up(s, org.s3, log)
    with tx(org.s1) as s:
        contact_logs.complete_follow_up(s, org.s1, log)
    with pytest.raises(StateError), tx(org.s1) as s:
        contact_logs.complete_follow_up(s, org.s1, log)
