"""Reminders, announcements, notifications, the today view and the two pages, through the services (both engines)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import select

from crm_tui.core import clock
from crm_tui.core.errors import NotFound, PermissionDenied, StateError, ValidationError
from crm_tui.db.models.notices import AnnouncementRead, Notification, Reminder
from crm_tui.db.models.system import AuditEntry
from crm_tui.i18n import set_language
from crm_tui.services.customers import contact_logs, transfer
from crm_tui.services.notices import notifications
from crm_tui.services.today import announcements, customer_page, employee_page, home, registry, reminders

DAY = datetime(2026, 11, 30, 9, 30)


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen(DAY):
        yield


# --- reminders ---------------------------------------------------------------------------------------------------

def test_a_reminder_on_a_customer_is_listed_due_and_closed(org, tx, ro, add_customer):
    cid = add_customer(org.s1, "临沂华夏商贸")
    with tx(org.s1) as s:
        due = reminders.add_reminder(s, org.s1, "2026-11-30 09:00", "回电话", kind="customer", record_id=cid)
        later = reminders.add_reminder(s, org.s1, "2026-12-02", "送样品")
    with ro(org.s1) as s:
        assert [r.id for r in reminders.list_reminders(s, org.s1)] == [due, later]
        assert [r.id for r in reminders.list_reminders(s, org.s1, due_only=True)] == [due]
        assert reminders.due_count(s, org.s1) == 1
        assert reminders.list_reminders(s, org.s1)[0].link == f"customer:{cid}"
        assert reminders.list_reminders(s, org.s1)[1].due_at == datetime(2026, 12, 2, 9, 0)  # a date: 09:00
        assert reminders.list_reminders(s, org.s2) == []  # someone else's reminders are not mine
    with tx(org.s2) as s, pytest.raises(NotFound):
        reminders.close_reminder(s, org.s2, due)
    with tx(org.s1) as s:
        reminders.close_reminder(s, org.s1, due)
    with tx(org.s1) as s, pytest.raises(StateError):
        reminders.close_reminder(s, org.s1, due, "dismissed")
    with ro(org.s1) as s:
        assert [r.id for r in reminders.list_reminders(s, org.s1)] == [later]
        assert s.get(Reminder, due).state == "done" and s.get(Reminder, due).closed_at == DAY
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.entity == "reminders",
                                                        AuditEntry.entity_id == str(due),
                                                        AuditEntry.action == "update")) == "update"


@pytest.mark.parametrize(("due", "note", "kind", "record", "field"), [
    ("30.11.2026", "x", "none", None, "due_at"),
    ("2026-11-30 09:00", "  ", "none", None, "note"),
    ("2026-11-30 09:00", "x", "planet", 1, "record"),
])
def test_a_bad_reminder_says_which_field_and_writes_nothing(org, tx, ro, due, note, kind, record, field):
    with tx(org.s1) as s, pytest.raises(ValidationError) as caught:
        reminders.add_reminder(s, org.s1, due, note, kind=kind, record_id=record)
    assert caught.value.field == field
    with ro(org.s1) as s:
        assert s.scalars(select(Reminder)).all() == []


def test_a_reminder_cannot_point_at_a_customer_one_may_not_see(org, tx, add_customer):
    cid = add_customer(org.s3, "郯城东方商贸")
    with tx(org.s1) as s, pytest.raises(NotFound):
        reminders.add_reminder(s, org.s1, "2026-11-30 10:00", "看看", kind="customer", record_id=cid)


def test_record_text_is_parsed_or_refused():
    assert reminders.parse_record("customer:12") == ("customer", 12)
    assert reminders.parse_record("") == ("none", None)
    with pytest.raises(ValidationError):
        reminders.parse_record("customer:K00012")


# --- announcements -----------------------------------------------------------------------------------------------

def test_announcements_reach_their_department_and_record_who_read_them(org, tx, ro, engine):
    from crm_tui.db.models.people import User

    with ro(org.admin) as s:
        sales_dept = s.get(User, org.boss.id).department_id
        team2 = s.get(User, org.s3.id).department_id
    with tx(org.boss) as s:
        everyone = announcements.post(s, org.boss, "年终盘点", "12月28日起盘点")
        to_team2 = announcements.post(s, org.boss, "流通部例会", department_id=team2)
        to_sales = announcements.post(s, org.boss, "销售部冲刺", department_id=sales_dept)
    with ro(org.s1) as s:  # 商团部 is under 销售部: it gets 销售部's and everyone's, not 流通部's
        assert {a.id for a in announcements.list_announcements(s, org.s1)} == {everyone, to_sales}
        assert announcements.unread_count(s, org.s1) == 2
    with ro(org.s3) as s:
        assert {a.id for a in announcements.list_announcements(s, org.s3)} == {everyone, to_team2, to_sales}
    with tx(org.s1) as s, pytest.raises(NotFound):
        announcements.read(s, org.s1, to_team2)
    with tx(org.s1) as s:
        first = announcements.read(s, org.s1, everyone)
    with clock.frozen(datetime(2026, 11, 30, 11, 0)), tx(org.s1) as s:
        again = announcements.read(s, org.s1, everyone)
    assert first.read_at == again.read_at == DAY  # the receipt keeps the first reading
    with ro(org.s1) as s:
        assert [a.id for a in announcements.list_announcements(s, org.s1, unread_only=True)] == [to_sales]
        assert s.scalar(select(AnnouncementRead.read_at).where(AnnouncementRead.announcement_id == everyone)) == DAY
        with pytest.raises(NotFound):  # receipts are for the author and administrators
            announcements.receipts(s, org.s1, everyone)
    with ro(org.boss) as s:
        readers = {r.user: r.read_at for r in announcements.receipts(s, org.boss, to_team2)}
    assert readers == {"吴经理": None, "郑凯": None}


def test_only_administrators_and_managers_post(org, tx):
    with tx(org.s1) as s, pytest.raises(PermissionDenied):
        announcements.post(s, org.s1, "我也想发公告")
    with tx(org.boss) as s, pytest.raises(ValidationError):
        announcements.post(s, org.boss, "   ")


# --- notifications on main's events ------------------------------------------------------------------------------

def test_a_review_tells_the_author(org, tx, ro, add_customer):
    cid = add_customer(org.s1, "临沂华夏商贸")
    with tx(org.s1) as s:
        log = contact_logs.add_log(s, org.s1, cid, "visit", "拜访老板")
    with tx(org.mgr) as s:
        contact_logs.review_log(s, org.mgr, log, "抓紧报价")
    with ro(org.s1) as s:
        [note] = notifications.list_notifications(s, org.s1)
        assert notifications.unread_count(s, org.s1) == 1
        assert notifications.list_notifications(s, org.mgr) == []
    assert (note.link_kind, note.link_id) == ("customer", cid)
    assert note.text == "钱经理 reviewed your contact log of 临沂华夏商贸: 抓紧报价"
    set_language("zh_CN")
    try:
        with ro(org.s1) as s:
            assert notifications.list_notifications(s, org.s1)[0].text == "钱经理 批复了你对 临沂华夏商贸 的联系记录：抓紧报价"
    finally:
        set_language("en")
    with tx(org.s2) as s, pytest.raises(NotFound):  # only the addressee marks it read
        notifications.mark_read(s, org.s2, note.id)
    with tx(org.s1) as s:
        assert notifications.mark_read(s, org.s1, note.id) == 1
    with ro(org.s1) as s:
        assert notifications.unread_count(s, org.s1) == 0


def test_a_transfer_tells_the_new_owner_once(org, tx, ro, add_customer):
    one = add_customer(org.s1, "临沂华夏商贸")
    two = add_customer(org.s1, "兰山百盛超市")
    with tx(org.mgr) as s:
        transfer.transfer(s, org.mgr, [one, two], org.s2.id)  # two customers: one notification
    with tx(org.mgr) as s:
        transfer.transfer(s, org.mgr, [one], org.s1.id)
    with tx(org.mgr) as s:
        transfer.transfer(s, org.mgr, [two, one], org.s1.id)  # one of them is s1's already: only two moves
    with tx(org.mgr) as s:
        transfer.transfer(s, org.mgr, [two], org.mgr.id)  # to myself: nobody to tell
    with ro(org.s2) as s:
        assert [n.text for n in notifications.list_notifications(s, org.s2)] == [
            "2 customers were transferred to you by 钱经理"]
    with ro(org.s1) as s:
        to_s1 = notifications.list_notifications(s, org.s1)
    with ro(org.mgr) as s:
        assert notifications.list_notifications(s, org.mgr) == []
    assert [(n.text.split(" ", 2)[2], n.link_id) for n in to_s1] == [
        ("兰山百盛超市 was transferred to you by 钱经理", two), ("临沂华夏商贸 was transferred to you by 钱经理", one)]


def test_a_claim_decision_tells_the_claimant(org, tx, ro):
    from crm_tui.services.sales import approvals, expenses

    with tx(org.s1) as s:
        first = expenses.create_claim(s, org.s1, "120.50", "交通费", date(2026, 11, 28))
        second = expenses.create_claim(s, org.s1, "80", "招待费", date(2026, 11, 28))
        expenses.submit_claim(s, org.s1, first, today=date(2026, 11, 30))
        expenses.submit_claim(s, org.s1, second, today=date(2026, 11, 30))
    with ro(org.mgr) as s:
        queue = {r.doc_id: r.id for r in approvals.queue(s, org.mgr, kind="expense")}
    with tx(org.mgr) as s:
        number = approvals.approve(s, org.mgr, queue[first])
        approvals.reject(s, org.mgr, queue[second], "发票不全")
    with ro(org.s1) as s:
        texts = sorted(n.text for n in notifications.list_notifications(s, org.s1))
        codes = sorted(s.scalars(select(Notification.text_code)).all())
    assert codes == ["expense_approved", "expense_rejected"]
    assert f"Your expense claim {number} was approved by 钱经理" in texts
    assert any(t.endswith("was refused by 钱经理: 发票不全") for t in texts)


def test_stored_parameters_are_json_and_an_unknown_code_shows_as_itself(org, tx, ro):
    with tx(org.admin) as s:
        notifications.notify(s, org.s1.id, "from_the_future", {"x": 1}, "customer:5")
        notifications.notify(s, None, "log_reviewed", {})  # nobody to tell: nothing written
    with ro(org.s1) as s:
        [row] = s.scalars(select(Notification)).all()
        assert json.loads(row.params) == {"x": 1} and (row.link_kind, row.link_id) == ("customer", 5)
        assert notifications.list_notifications(s, org.s1)[0].text == "from_the_future"


# --- the today view ----------------------------------------------------------------------------------------------

def test_a_salespersons_today_shows_only_their_things(org, tx, ro, add_customer):
    mine = add_customer(org.s1, "临沂华夏商贸")
    theirs = add_customer(org.s2, "兰山百盛超市")
    with tx(org.s1) as s:
        contact_logs.add_log(s, org.s1, mine, "phone", "约拜访", next_follow_up="2026-11-30",
                             at=datetime(2026, 11, 29, 10, 0))
        reminders.add_reminder(s, org.s1, "2026-11-30 08:00", "我的提醒")
    with tx(org.s2) as s:
        contact_logs.add_log(s, org.s2, theirs, "phone", "约拜访", next_follow_up="2026-11-29",
                             at=datetime(2026, 11, 28, 10, 0))
        reminders.add_reminder(s, org.s2, "2026-11-30 08:00", "别人的提醒")
    with tx(org.boss) as s:
        announcements.post(s, org.boss, "年终盘点")
    with ro(org.s1) as s:
        view = {sec.id: sec for sec in home.today_view(s, org.s1)}
        status = home.status_text(s, org.s1)
    assert set(view) == {"reminders", "follow_ups", "announcements"}  # no queue, no review, no alarms for a salesperson
    assert [line.text for line in view["reminders"].lines] == ["我的提醒"]
    assert [line.link for line in view["follow_ups"].lines] == [f"customer:{mine}"]
    assert view["announcements"].lines[0].link.startswith("announcement:")
    assert status == "Today: 3  Reminders due: 1"
    with ro(org.mgr) as s:  # the manager reviews both salespeople's logs
        view = {sec.id: sec for sec in home.today_view(s, org.mgr)}
    assert len(view["logs_to_review"].lines) == 2 and "reminders" not in view


def test_registered_sources_appear_and_a_refusing_one_is_left_out(org, ro, monkeypatch):
    monkeypatch.setattr(registry, "TODAY_SOURCES", list(registry.TODAY_SOURCES))
    registry.register_today_source("tickets", "Tickets", "tests.today.test_today_services:_tickets")
    registry.register_today_source("secret", "Secret", "tests.today.test_today_services:_refuses")
    with ro(org.s1) as s:
        view = {sec.id: sec for sec in home.today_view(s, org.s1)}
    assert view["tickets"].lines == [registry.Line("T-1 漏水", "2026-11-30", "ticket:1")]
    assert "secret" not in view


def _tickets(session, actor, today):
    return [{"text": "T-1 漏水", "when": today.isoformat(), "link": "ticket:1"}]


def _refuses(session, actor, today):
    raise PermissionDenied("no")


# --- the customer page and the employee page ---------------------------------------------------------------------

def test_the_customer_page_counts_each_tab_for_those_who_see_the_customer(org, tx, ro, add_customer):
    from crm_tui.services.customers import contacts

    cid = add_customer(org.s1, "临沂华夏商贸")
    with tx(org.s1) as s:
        contacts.add_contact(s, org.s1, cid, name="王经理", mobile="13800138000")
        for n in range(3):
            contact_logs.add_log(s, org.s1, cid, "visit", f"第{n + 1}次拜访", at=datetime(2026, 11, 20 + n, 10))
    with ro(org.mgr) as s:
        page = customer_page.load_page(s, org.mgr, cid)
    tabs = {tid: t for tid, _title, t in page.tabs}
    assert [tid for tid, _t, _x in page.tabs] == ["contacts", "contact_logs", "quotes_orders", "stock_outs",
                                                 "receipts", "invoices", "receivables", "visits",
                                                 "opportunities", "tickets", "documents"]
    assert (tabs["contacts"].total, tabs["contact_logs"].total, tabs["quotes_orders"].total) == (1, 3, 0)
    assert tabs["contact_logs"].rows[0][3] == "第3次拜访"  # newest first
    assert tabs["receivables"].total == 0 and tabs["receivables"].summary == "Balance 0.00"
    with ro(org.s2) as s, pytest.raises(NotFound):
        customer_page.load_page(s, org.s2, cid)


def test_the_employee_page_is_for_oneself_and_the_managers_above(org, tx, ro, add_customer):
    cid = add_customer(org.s1, "临沂华夏商贸")
    with tx(org.s1) as s:
        contact_logs.add_log(s, org.s1, cid, "visit", "十一月拜访", at=datetime(2026, 11, 20, 10))
        contact_logs.add_log(s, org.s1, cid, "visit", "十月拜访", at=datetime(2026, 10, 20, 10))
    november = (date(2026, 11, 1), date(2026, 11, 30))
    for reader in (org.s1, org.mgr, org.boss, org.admin):
        with ro(reader) as s:
            page = employee_page.load_page(s, reader, org.s1.id, *november)
        logs = dict((sid, t) for sid, _title, t in page.sections)["logs"]
        assert [r[2] for r in logs.rows] == ["十一月拜访"], reader.login
    for stranger in (org.s2, org.mgr2, org.s3):
        with ro(stranger) as s, pytest.raises(NotFound):
            employee_page.load_page(s, stranger, org.s1.id, *november)
    with ro(org.mgr) as s:
        assert [uid for uid, _name in employee_page.people(s, org.mgr)][0] == org.mgr.id
        assert {uid for uid, _n in employee_page.people(s, org.mgr)} == {org.mgr.id, org.s1.id, org.s2.id}
        with pytest.raises(ValidationError):
            employee_page.load_page(s, org.mgr, org.s1.id, date(2026, 11, 30), date(2026, 11, 1))


def test_stock_alarms_write_round_quantities_plainly(monkeypatch):
    """20 pieces under a safety stock of 30 read "20 / 30", not "2E+1 / 3E+1" (Decimal.normalize's own text)."""
    from decimal import Decimal

    from crm_tui.services.stock import alarms
    from crm_tui.services.today import sources

    alarm = alarms.Alarm(1, "WH02", 2, "YL001", "农夫山泉", None, "箱", Decimal("30.0000"), Decimal("20.0000"))
    monkeypatch.setattr(alarms, "alarms", lambda session: [alarm])
    monkeypatch.setattr("crm_tui.services.stock.permissions.can_do", lambda actor, what: True)
    set_language("en")
    [line] = sources.stock_alarms(None, None, date(2026, 12, 1))
    assert "20 of 30" in line.text and "E+" not in line.text
