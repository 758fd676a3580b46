"""Service tickets (客户服务与支持): the status moves, the SLA and overdue list, visibility, the report, the audit
log. Services are called directly, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm_tui.core.errors import ConflictError, NotFound, PermissionDenied, StateError, ValidationError
from crm_tui.db.models.service import Ticket
from crm_tui.db.models.system import AuditEntry
from crm_tui.services.tickets import records as tickets
from crm_tui.services.tickets import states
from crm_tui.services.tickets.report import report_json, ticket_report
from tests.service.conftest import T0


def _open(tx, at, actor, customer_id, kind="repair", priority=None, when=T0, **kw):
    with at(when), tx(actor) as s:
        return tickets.add_ticket(s, actor, customer_id, kind, "冰柜不制冷", priority=priority, **kw)


def _status(ro, actor, tid) -> str:
    with ro(actor) as s:
        return tickets.get_ticket(s, actor, tid).ticket.status


# --- opening, numbering, SLA --------------------------------------------------------------------------------

def test_a_ticket_gets_a_number_and_a_due_time_from_the_sla_of_its_priority(org, tx, ro, at):
    urgent = _open(tx, at, org.s1, org.k1, kind="维修", priority="urgent")
    normal = _open(tx, at, org.s1, org.k1, kind="complaint")  # the default priority: normal
    low = _open(tx, at, org.s1, org.k1, kind="咨询", priority="低")
    assert (urgent.number, normal.number, low.number) == ("TK202611-0001", "TK202611-0002", "TK202611-0003")
    assert urgent.due_at == T0 + timedelta(hours=4)
    assert normal.priority == "normal" and normal.due_at == T0 + timedelta(hours=24)
    assert low.kind == "inquiry" and low.due_at == T0 + timedelta(hours=72)  # calendar hours: Thursday 09:00
    assert urgent.status == "new" and urgent.kind == "repair"


def test_sla_hours_come_from_the_settings(org, tx, at):
    from crm_tui.config import update_settings

    update_settings("tickets", sla_hours={"urgent": 1, "high": 2, "normal": 48, "low": 96})
    assert _open(tx, at, org.s1, org.k1, priority="high").due_at == T0 + timedelta(hours=2)
    update_settings("tickets", sla_hours={"urgent": 1, "high": 0, "normal": 48, "low": 96})
    with pytest.raises(ValidationError, match="sla_hours: high"):
        _open(tx, at, org.s1, org.k1, priority="high")


@pytest.mark.parametrize(("field", "values", "message"), [
    ("kind", {"kind": "抱怨"}, "Kind: expected one of inquiry"),
    ("priority", {"priority": "asap"}, "Priority: expected one of low"),
    ("subject", {"subject": "  "}, "Subject: required"),
])
def test_bad_input_is_refused_by_name_and_nothing_is_written(org, tx, ro, at, field, values, message):
    args = {"kind": "repair", "subject": "冰柜不制冷", **values}
    with pytest.raises(ValidationError, match=message) as err, at(T0), tx(org.s1) as s:
        tickets.add_ticket(s, org.s1, org.k1, args.pop("kind"), args.pop("subject"), **args)
    assert err.value.field == field
    with ro(org.admin) as s:
        assert s.scalar(select(Ticket.id)) is None


def test_a_contact_or_order_of_another_customer_is_refused(org, tx, at):
    from crm_tui.services.customers import contacts

    with tx(org.s3) as s:
        other_contact = contacts.add_contact(s, org.s3, org.k3, name="王经理")
    with pytest.raises(ValidationError, match="contact does not belong"):
        _open(tx, at, org.s1, org.k1, contact_id=other_contact)


# --- the status moves ---------------------------------------------------------------------------------------

def test_the_whole_way_new_in_progress_waiting_resolved_closed_then_reopened(org, tx, ro, at):
    t = _open(tx, at, org.s1, org.k1)
    with at(T0 + timedelta(hours=1)), tx(org.s1) as s:
        tickets.add_log(s, org.s1, t.id, "已电话联系客户", status="in_progress")
    assert _status(ro, org.s1, t.id) == "in_progress"
    with at(T0 + timedelta(hours=2)), tx(org.s1) as s:
        tickets.add_log(s, org.s1, t.id, "等客户约上门时间", status="waiting")
    with at(T0 + timedelta(hours=3)), tx(org.s1) as s:
        tickets.add_log(s, org.s1, t.id, "客户回电")  # a note keeps the status
    assert _status(ro, org.s1, t.id) == "waiting"
    with at(T0 + timedelta(hours=5)), tx(org.s1) as s:
        tickets.resolve(s, org.s1, t.id, "更换温控器")
    with at(T0 + timedelta(hours=30)), tx(org.s1) as s:
        tickets.close(s, org.s1, t.id, 4, "客户满意")
    with ro(org.s1) as s:
        d = tickets.get_ticket(s, org.s1, t.id)
    assert (d.ticket.status, d.ticket.satisfaction, d.ticket.resolution) == ("closed", 4, "更换温控器")
    assert d.ticket.resolved_at == T0 + timedelta(hours=5) and d.ticket.closed_at == T0 + timedelta(hours=30)
    assert [lg.action for lg in d.logs] == ["status", "status", "note", "resolve", "close"]
    assert d.logs[-1].text == "Satisfaction 4/5: 客户满意" and d.logs[0].author == "孙伟"
    assert d.actions == ["reopen"]
    reopened_at = T0 + timedelta(days=3)
    with at(reopened_at), tx(org.s1) as s:
        tickets.reopen(s, org.s1, t.id, "又不制冷了")
    with ro(org.s1) as s:
        r = tickets.get_ticket(s, org.s1, t.id).ticket
    assert (r.status, r.satisfaction, r.resolution, r.closed_at, r.reopen_count) == ("in_progress", None, None, None, 1)
    assert r.due_at == reopened_at + timedelta(hours=24)  # the SLA starts again


@pytest.mark.parametrize(("path", "action", "possible"), [
    ((), "close", "start work, wait for the customer, resolve"),
    ((), "reopen", "start work, wait for the customer, resolve"),
    (("resolve",), "resolve", "close, reopen"),
    (("resolve", "close"), "resolve", "reopen"),
    (("resolve", "close"), "close", "reopen"),
])
def test_illegal_moves_are_refused_with_what_is_possible(org, tx, ro, at, path, action, possible):
    t = _open(tx, at, org.s1, org.k1)
    do = {"resolve": lambda s, tid: tickets.resolve(s, org.s1, tid, "已处理"),
          "close": lambda s, tid: tickets.close(s, org.s1, tid, 5),
          "reopen": lambda s, tid: tickets.reopen(s, org.s1, tid, "未解决")}
    for step in path:
        with tx(org.s1) as s:
            do[step](s, t.id)
    before = _status(ro, org.s1, t.id)
    with pytest.raises(StateError) as err, tx(org.s1) as s:
        do[action](s, t.id)
    assert str(err.value).startswith(f"Ticket {t.number} is {states.status_label(before)}: it cannot ")
    assert str(err.value).endswith(f"Possible now: {possible}.")
    assert _status(ro, org.s1, t.id) == before


def test_a_closed_ticket_takes_no_follow_up_and_no_assignee(org, tx, at):
    t = _open(tx, at, org.s1, org.k1)
    with tx(org.s1) as s:
        tickets.resolve(s, org.s1, t.id, "已处理")
        tickets.close(s, org.s1, t.id, 5)
    with pytest.raises(StateError, match="is closed; reopen it"), tx(org.s1) as s:
        tickets.add_log(s, org.s1, t.id, "再看看")
    with pytest.raises(StateError, match="only an open ticket can be assigned"), tx(org.mgr) as s:
        tickets.assign(s, org.mgr, t.id, org.s2.id)


@pytest.mark.parametrize("score", [0, 6, "五", None])
def test_the_satisfaction_score_is_1_to_5(org, tx, ro, at, score):
    t = _open(tx, at, org.s1, org.k1)
    with tx(org.s1) as s:
        tickets.resolve(s, org.s1, t.id, "已处理")
    with pytest.raises(ValidationError, match="Satisfaction: expected a whole number from 1 to 5"), tx(org.s1) as s:
        tickets.close(s, org.s1, t.id, score)
    assert _status(ro, org.s1, t.id) == "resolved"


def test_a_stale_form_is_a_conflict(org, tx, at):
    t = _open(tx, at, org.s1, org.k1)
    with tx(org.s1) as s:
        tickets.add_log(s, org.s1, t.id, "已联系", status="in_progress")
    with pytest.raises(ConflictError), tx(org.s1) as s:
        tickets.resolve(s, org.s1, t.id, "已处理", expected_version=t.version)


# --- assigning ------------------------------------------------------------------------------------------------

def test_managers_assign_salespeople_take_tickets_themselves(org, tx, ro, at):
    t = _open(tx, at, org.s1, org.k1)
    with pytest.raises(PermissionDenied), tx(org.s1) as s:
        tickets.assign(s, org.s1, t.id, org.s2.id)
    with tx(org.s1) as s:
        tickets.assign(s, org.s1, t.id, org.s1.id)
    with tx(org.mgr) as s:
        tickets.assign(s, org.mgr, t.id, org.s2.id)
    with pytest.raises(ValidationError, match="already assigned to 李娜"), tx(org.mgr) as s:
        tickets.assign(s, org.mgr, t.id, org.s2.id)
    with ro(org.s2) as s:
        d = tickets.get_ticket(s, org.s2, t.id)
    assert d.ticket.assignee == "李娜"
    assert [lg.text for lg in d.logs] == ["Assigned to 孙伟", "Assigned to 李娜"]


def test_a_statistician_reads_but_does_not_write(org, tx, ro, at):
    t = _open(tx, at, org.s1, org.k1)
    with ro(org.stat) as s:
        assert [r.number for r in tickets.list_tickets(s, org.stat)] == [t.number]
    with pytest.raises(PermissionDenied), tx(org.stat) as s:
        tickets.add_log(s, org.stat, t.id, "看看")


# --- visibility -----------------------------------------------------------------------------------------------

def test_visibility_follows_the_customer_rule_on_every_read_path(org, tx, ro, at):
    mine = _open(tx, at, org.s1, org.k1)
    theirs = _open(tx, at, org.s3, org.k3)
    late = T0 + timedelta(days=5)
    with ro(org.s1) as s:
        assert [r.number for r in tickets.list_tickets(s, org.s1)] == [mine.number]
        assert [r.number for r in tickets.overdue_or_mine(s, org.s1, late)] == [mine.number]
        assert ticket_report(s, org.s1, late).total == 1
        with pytest.raises(NotFound, match=f"No such ticket: {theirs.number}"):
            tickets.find_ticket(s, org.s1, theirs.number)
        with pytest.raises(NotFound):
            tickets.get_ticket(s, org.s1, theirs.id)
        with pytest.raises(NotFound):
            tickets.for_customer(s, org.s1, org.k3)
    with pytest.raises(NotFound), tx(org.s1) as s:
        tickets.add_log(s, org.s1, theirs.id, "偷看")
    with pytest.raises(NotFound), at(T0), tx(org.s1) as s:
        tickets.add_ticket(s, org.s1, org.k3, "repair", "不是我的客户")
    with ro(org.mgr) as s:  # the manager sees their people's customers, not s3's
        assert {r.number for r in tickets.list_tickets(s, org.mgr)} == {mine.number}
    for who in (org.admin, org.clerk):
        with ro(who) as s:
            assert {r.number for r in tickets.list_tickets(s, who)} == {mine.number, theirs.number}
            assert ticket_report(s, who, late).total == 2


def test_the_assignee_sees_a_ticket_of_a_customer_they_do_not_see(org, tx, ro, at):
    theirs = _open(tx, at, org.s3, org.k3)
    with tx(org.clerk) as s:
        tickets.assign(s, org.clerk, theirs.id, org.s1.id)
    with ro(org.s1) as s:
        assert [r.number for r in tickets.overdue_or_mine(s, org.s1, T0)] == [theirs.number]
        assert tickets.get_ticket(s, org.s1, theirs.id).ticket.assignee == "孙伟"
    with tx(org.s1) as s:
        tickets.add_log(s, org.s1, theirs.id, "已上门", status="in_progress")
    with ro(org.mgr) as s:  # and so does the assignee's manager
        assert [r.number for r in tickets.list_tickets(s, org.mgr)] == [theirs.number]


# --- overdue, the today view, the customer page ------------------------------------------------------------------

def test_overdue_is_an_open_ticket_past_its_due_time(org, tx, ro, at):
    urgent = _open(tx, at, org.s1, org.k1, priority="urgent")  # due T0+4h
    normal = _open(tx, at, org.s1, org.k1)  # due T0+24h
    done = _open(tx, at, org.s1, org.k1, priority="urgent")
    with at(T0 + timedelta(hours=1)), tx(org.s1) as s:
        tickets.resolve(s, org.s1, done.id, "电话解决")
    with at(T0 + timedelta(hours=2)), tx(org.s1) as s:
        tickets.add_log(s, org.s1, normal.id, "等客户", status="waiting")  # waiting does not stop the clock
    with ro(org.s1) as s:
        def overdue(when):
            return [r.number for r in tickets.list_tickets(s, org.s1, overdue=True, at=when)]

        assert overdue(T0 + timedelta(hours=4)) == []  # due at 13:00 is not yet overdue at 13:00
        assert overdue(T0 + timedelta(hours=5)) == [urgent.number]
        assert overdue(T0 + timedelta(hours=25)) == [urgent.number, normal.number]  # earliest due first
        assert tickets.count_overdue(s, org.s1, T0 + timedelta(hours=25)) == 2
        rows = {r.number: r.overdue for r in tickets.list_tickets(s, org.s1, at=T0 + timedelta(hours=5))}
        assert rows == {urgent.number: True, normal.number: False, done.number: False}


def test_overdue_or_mine_lists_open_overdue_tickets_and_mine(org, tx, ro, at):
    overdue = _open(tx, at, org.mgr, org.k1, priority="urgent")  # opened by the manager, nobody assigned
    assigned = _open(tx, at, org.s1, org.k1, assignee_id=org.s1.id)  # not overdue yet, but mine
    other = _open(tx, at, org.s1, org.k1)  # neither
    with tx(org.s1) as s:
        tickets.resolve(s, org.s1, other.id, "已处理")
    now = T0 + timedelta(hours=5)
    with ro(org.s1) as s:
        rows = tickets.overdue_or_mine(s, org.s1, now)
    assert [(r.number, r.overdue) for r in rows] == [(overdue.number, True), (assigned.number, False)]
    with ro(org.s1) as s:
        assert {r.number for r in tickets.for_customer(s, org.s1, org.k1)} == {overdue.number, assigned.number,
                                                                               other.number}


# --- report ------------------------------------------------------------------------------------------------------

def test_the_report_counts_and_averages(org, tx, ro, at):
    a = _open(tx, at, org.s1, org.k1, kind="complaint", priority="high")
    b = _open(tx, at, org.s1, org.k1, kind="repair")
    _open(tx, at, org.s1, org.k1, kind="inquiry", priority="urgent")
    with at(T0 + timedelta(hours=3)), tx(org.s1) as s:
        tickets.resolve(s, org.s1, a.id, "已道歉")
        tickets.close(s, org.s1, a.id, 5)
    with at(T0 + timedelta(hours=10)), tx(org.s1) as s:
        tickets.resolve(s, org.s1, b.id, "已维修")
        tickets.close(s, org.s1, b.id, 2)
    with ro(org.admin) as s:
        report = ticket_report(s, org.admin, T0 + timedelta(hours=6))
    data = report_json(report)
    assert data["total"] == 3 and data["overdue"] == 1  # the urgent one, due at T0+4h
    assert data["by_status"] == {"new": 1, "in_progress": 0, "waiting": 0, "resolved": 0, "closed": 2}
    assert data["by_kind"] == {"inquiry": 1, "complaint": 1, "repair": 1, "return": 0}
    assert data["by_priority"] == {"low": 0, "normal": 1, "high": 1, "urgent": 1}
    assert report.avg_resolution_hours == Decimal("6.5")  # (3 + 10) / 2
    assert data["avg_resolution_hours"] == "6.5" and data["avg_satisfaction"] == "3.5"
    with ro(org.s3) as s:
        empty = report_json(ticket_report(s, org.s3, T0))
    assert empty["total"] == 0 and empty["avg_resolution_hours"] is None and empty["avg_satisfaction"] is None


# --- audit -------------------------------------------------------------------------------------------------------

def test_every_write_is_audited_with_who_and_what(org, tx, ro, at):
    t = _open(tx, at, org.s1, org.k1)
    with tx(org.s1) as s:
        tickets.resolve(s, org.s1, t.id, "已处理")
    with ro(org.admin) as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity.in_(("tickets", "ticket_logs")))
                            .order_by(AuditEntry.id)).all()
    assert [(e.entity, e.action, e.user_login) for e in entries] == [
        ("tickets", "create", "s1"), ("tickets", "update", "s1"), ("ticket_logs", "create", "s1")]
    assert '"status": ["new", "resolved"]' in entries[1].changes


def test_states_name_every_status_kind_and_priority():
    from crm_tui.db.models.service import TICKET_STATUSES

    assert set(states.STATUS_LABELS) == set(TICKET_STATUSES)
    assert {s for sources, _to in states.MOVES.values() for s in sources} | {"closed"} == set(TICKET_STATUSES)
    assert states.due_time(datetime(2026, 11, 6, 18, 0), "normal") == datetime(2026, 11, 7, 18, 0)  # Saturday counts
