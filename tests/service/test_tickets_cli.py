"""``crm tickets …`` and ``crm report tickets`` end to end through click, as users logged in by CRM_USER."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from click.testing import CliRunner

from crm_tui.cli import cli
from crm_tui.core import clock

DAY = datetime(2026, 11, 30, 9, 30)


@pytest.fixture
def crm(db_url, admin, make_user):
    make_user("s1", "salesperson", "孙伟", staff_number="S003")
    make_user("s2", "salesperson", "李娜", staff_number="S004")
    make_user("clerk", "clerk", "蒋涛", staff_number="S013")
    runner = CliRunner()

    def run(*args, user="admin", ok=True, lang="en"):
        env = {"CRM_USER": user, "CRM_PASSWORD": "admin-pass" if user == "admin" else "pass-1234"}
        result = runner.invoke(cli, ["--lang", lang, "--db", db_url, *args], env=env, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    with clock.frozen(DAY):
        run("customers", "add", "临沂东方便利店", "--owner", "S003", "--contact", "张三", "--mobile", "13800138000")
        run("customers", "add", "费县书圣超市", "--owner", "S004")
        yield run


def test_the_main_path_in_json(crm):
    with clock.frozen(DAY):
        added = json.loads(crm("tickets", "add", "K00001", "--kind", "维修", "--subject", "冰柜不制冷",
                               "--priority", "urgent", "--contact", "张三", "--format", "json", user="s1").output)
        assert added["number"] == "TK202611-0001" and added["due_at"] == "2026-11-30T13:30:00"
        assert (added["kind"], added["status"], added["contact"], added["overdue"]) == ("repair", "new", "张三", False)
        crm("tickets", "assign", "TK202611-0001", "S013", user="clerk")
        crm("tickets", "log", "TK202611-0001", "已电话联系", "--status", "waiting", user="clerk")
        crm("tickets", "resolve", "TK202611-0001", "--resolution", "更换温控器", user="clerk")
        out = crm("tickets", "close", "TK202611-0001", "--satisfaction", "5", "--note", "很满意", user="s1").output
        assert "Ticket TK202611-0001 closed." in out
        shown = json.loads(crm("tickets", "show", "TK202611-0001", "--format", "json", user="s1").output)
    assert (shown["status"], shown["satisfaction"], shown["assignee"]) == ("closed", 5, "蒋涛")
    assert [lg["action"] for lg in shown["logs"]] == ["assign", "status", "resolve", "close"]
    assert shown["actions"] == ["reopen"]


def test_list_filters_and_overdue(crm):
    with clock.frozen(datetime(2026, 11, 27, 9, 0)):
        crm("tickets", "add", "K00001", "--kind", "complaint", "--subject", "送货晚", user="s1")
        crm("tickets", "add", "K00002", "--kind", "inquiry", "--subject", "问价格", "--priority", "low", user="s2")
    with clock.frozen(DAY):
        crm("tickets", "add", "K00001", "--kind", "repair", "--subject", "灯箱不亮", "--assignee", "s1")

        def numbers(*args, user="admin"):
            data = json.loads(crm("tickets", "list", *args, "--format", "json", user=user).output)
            return [t["number"] for t in data["tickets"]]

        assert numbers() == ["TK202611-0003", "TK202611-0002", "TK202611-0001"]
        # normal: due 11-28 09:00; low (72 calendar hours): due 11-30 09:00, half an hour ago; earliest first
        assert numbers("--overdue") == ["TK202611-0001", "TK202611-0002"]
        assert numbers("--customer", "K00002") == ["TK202611-0002"]
        assert numbers("--mine", user="s1") == ["TK202611-0003"]
        assert numbers("--assignee", "s1") == ["TK202611-0003"]
        assert numbers(user="s2") == ["TK202611-0002"]  # visibility: only s2's customer
        assert numbers("--status", "new", user="s1") == ["TK202611-0003", "TK202611-0001"]


def test_report_tickets_json(crm):
    with clock.frozen(datetime(2026, 11, 27, 9, 0)):
        crm("tickets", "add", "K00001", "--kind", "complaint", "--subject", "送货晚")
        crm("tickets", "add", "K00002", "--kind", "return", "--subject", "破损", "--priority", "high")
        crm("tickets", "resolve", "TK202611-0002", "--resolution", "已换货")
    with clock.frozen(DAY):
        crm("tickets", "close", "TK202611-0002", "--satisfaction", "3")
        data = json.loads(crm("report", "tickets", "--format", "json").output)
        mine = json.loads(crm("report", "tickets", "--format", "json", user="s2").output)
    assert data["as_of"] == "2026-11-30T09:30:00"
    assert data["total"] == 2 and data["overdue"] == 1
    assert data["by_status"]["closed"] == 1 and data["by_kind"]["return"] == 1 and data["by_priority"]["high"] == 1
    assert data["avg_resolution_hours"] == "0.0" and data["avg_satisfaction"] == "3.0"
    assert mine["total"] == 1 and mine["overdue"] == 0


def test_mistakes_are_one_line_and_exit_1(crm):
    with clock.frozen(DAY):
        crm("tickets", "add", "K00001", "--kind", "repair", "--subject", "冰柜")
        r = crm("tickets", "close", "TK202611-0001", "--satisfaction", "4", ok=False)
        assert r.exit_code == 1 and "it cannot close. Possible now:" in r.output and "Traceback" not in r.output
        r = crm("tickets", "add", "K00001", "--kind", "抱怨", "--subject", "x", ok=False)
        assert r.exit_code == 1 and "Kind: expected one of" in r.output
        r = crm("tickets", "show", "TK202611-0001", user="s2", ok=False)  # not s2's customer: as if missing
        assert r.exit_code == 1 and "No such ticket: TK202611-0001" in r.output
        r = crm("tickets", "close", "TK202611-0001", "--satisfaction", "9", ok=False)
        assert r.exit_code == 2 and "1<=x<=5" in r.output
        r = crm("tickets", "reopen", "TK202611-0001", "--reason", "x", ok=False, lang="zh")
        assert r.exit_code == 1 and "不能重新打开" in r.output
