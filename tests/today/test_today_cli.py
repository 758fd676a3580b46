"""``crm today``, ``crm reminders`` and ``crm announcements`` through click, as users logged in by CRM_USER."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from click.testing import CliRunner

from crm_tui.cli import cli
from crm_tui.core import clock


@pytest.fixture
def crm(db_url, admin, make_user):
    boss = make_user("boss", "manager", "赵总")
    make_user("s1", "salesperson", "孙伟", supervisor_id=boss.id)
    make_user("s2", "salesperson", "李娜")
    runner = CliRunner()

    def run(*args, user="admin", ok=True):
        env = {"CRM_USER": user, "CRM_PASSWORD": "admin-pass" if user == "admin" else "pass-1234"}
        with clock.frozen(datetime(2026, 11, 30, 9, 30)):
            result = runner.invoke(cli, ["--lang", "en", "--db", db_url, *args], env=env, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return run


def test_reminders_add_list_done(crm):
    crm("customers", "add", "临沂华夏商贸", "--owner", "s1")
    assert "Reminder 1 set." in crm("reminders", "add", "--due", "2026-11-30 09:00", "--note", "回电话",
                                    "--record", "customer:K00001", user="s1").output
    crm("reminders", "add", "--due", "2026-12-02", "--note", "送样品", user="s1")
    rows = json.loads(crm("reminders", "list", "--format", "json", user="s1").output)
    assert [(r["id"], r["record"], r["due_at"]) for r in rows] == [
        (1, "customer:1", "2026-11-30T09:00:00"), (2, None, "2026-12-02T09:00:00")]
    assert [r["id"] for r in json.loads(crm("reminders", "list", "--due", "--format", "json", user="s1").output)] == [1]
    assert json.loads(crm("reminders", "list", "--format", "json", user="s2").output) == []
    r = crm("reminders", "done", "1", user="s2", ok=False)
    assert r.exit_code == 1 and "No such reminder: 1" in r.output
    crm("reminders", "done", "1", user="s1")
    table = crm("reminders", "list", "--all", user="s1").output
    assert "done" in table and "open" in table
    r = crm("reminders", "add", "--due", "tomorrow", "--note", "x", user="s1", ok=False)
    assert r.exit_code == 1 and "2026-11-30 09:00" in r.output and "Traceback" not in r.output
    r = crm("reminders", "add", "--due", "2026-12-01", "--note", "x", "--record", "customer:K00099", user="s2",
            ok=False)
    assert r.exit_code == 1 and "No such customer: K00099" in r.output


def test_announcements_post_list_read_with_receipts(crm):
    r = crm("announcements", "post", "--title", "我也发", user="s1", ok=False)
    assert r.exit_code == 1 and "Only administrators and managers" in r.output
    assert "Announcement 1 posted." in crm("announcements", "post", "--title", "年终盘点", "--body", "12月28日起",
                                           user="boss").output
    listed = json.loads(crm("announcements", "list", "--unread", "--format", "json", user="s1").output)
    assert [(a["title"], a["read"]) for a in listed] == [("年终盘点", False)]
    assert "12月28日起" in crm("announcements", "read", "1", user="s1").output
    assert json.loads(crm("announcements", "list", "--unread", "--format", "json", user="s1").output) == []
    shown = json.loads(crm("announcements", "read", "1", "--receipts", "--format", "json", user="boss").output)
    receipts = {r["user"]: r["read_at"] for r in shown["receipts"]}
    assert receipts["孙伟"] == "2026-11-30T09:30:00" and receipts["李娜"] is None


def test_today_json_is_the_users_own(crm):
    crm("customers", "add", "临沂华夏商贸", "--owner", "s1")
    crm("reminders", "add", "--due", "2026-11-30 08:00", "--note", "回电话", user="s1")
    crm("reminders", "add", "--due", "2026-11-30 08:00", "--note", "李娜的事", user="s2")
    crm("announcements", "post", "--title", "年终盘点", user="boss")
    data = json.loads(crm("today", "--format", "json", user="s1").output)
    by_source = {s["source"]: s for s in data}
    assert set(by_source) == {"reminders", "announcements"}
    assert by_source["reminders"]["count"] == 1 and by_source["reminders"]["items"][0]["text"] == "回电话"
    assert by_source["announcements"]["items"][0]["link"] == "announcement:1"
    assert "My reminders (1)" in crm("today", user="s1").output
