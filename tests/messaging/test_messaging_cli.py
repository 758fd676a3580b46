"""The pinned commands: crm templates add|list|preview, crm messages send|outbox|send-pending,
crm campaigns add|run|report — through click, as users logged in by CRM_USER/CRM_PASSWORD."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crm_tui.cli import cli


@pytest.fixture
def crm(db_url, team, smtp_settings):
    runner = CliRunner()

    def run(*args, user="admin", ok=True):
        env = {"CRM_USER": user, "CRM_PASSWORD": "admin-pass" if user == "admin" else "pass-1234"}
        result = runner.invoke(cli, ["--lang", "en", "--db", db_url, *args], env=env, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return run


def test_templates_add_list_preview(crm, team):
    r = crm("templates", "add", "问候", "--channel", "sms", "--body", "{联系人}您好，我是{业务员}。")
    assert "Template 问候 added" in r.output and "1 SMS" in r.output
    r = crm("templates", "add", "坏", "--channel", "sms", "--body", "{联系人}您好{地址}", ok=False)
    assert r.exit_code == 1 and "{地址}" in r.output and "Traceback" not in r.output
    data = json.loads(crm("templates", "list", "--format", "json").output)
    assert [t["name"] for t in data["templates"]] == ["问候"]
    p = json.loads(crm("templates", "preview", "问候", "--customer", team.codes["北京华夏科技有限公司"],
                       "--format", "json", user="s1").output)
    assert p == {"subject": "", "body": "张三您好，我是孙伟。", "length": 10, "parts": 1, "encoding": "ucs2"}
    r = crm("templates", "preview", "问候", "--customer", team.codes["北京华夏科技有限公司"], user="s2", ok=False)
    assert r.exit_code == 1 and "No such customer" in r.output  # not s2's customer


def test_send_outbox_send_pending(crm, team, smtp_server):
    crm("templates", "add", "通知", "--channel", "email", "--subject", "{客户名称}通知", "--body", "{联系人}您好")
    crm("messages", "consent", team.codes["上海明珠贸易有限公司"], "--opt-out", "--on", "2026-11-01")
    codes = [team.codes[n] for n in ("北京华夏科技有限公司", "上海明珠贸易有限公司")]
    dry = json.loads(crm("messages", "send", "--template", "通知", "--customer", codes[0], "--customer", codes[1],
                         "--dry-run", "--format", "json").output)
    assert [x["status"] for x in dry["results"]] == ["would_send", "skipped"]
    assert json.loads(crm("messages", "outbox", "--format", "json").output)["messages"] == []

    # No server yet: the message waits in the outbox.
    out = json.loads(crm("messages", "send", "--template", "通知", "--customer", codes[0], "--customer", codes[1],
                         "--format", "json", user="s1").output)
    assert [x["status"] for x in out["results"]] == ["queued", "skipped"]
    smtp_server.start()
    crm("messages", "send-pending")  # backing off: not due yet
    assert smtp_server.mailbox.messages == []
    box = json.loads(crm("messages", "outbox", "--format", "json").output)["messages"]
    assert {(m["contact"], m["status"]) for m in box} == {("张三", "queued"), ("李四", "skipped")}
    assert json.loads(crm("messages", "outbox", "--format", "json", user="s2").output)["messages"] == []

    out = json.loads(crm("messages", "send", "--template", "通知", "--customer", codes[0], "--format", "json").output)
    assert out["results"][0]["status"] == "sent"
    assert len(smtp_server.mailbox.messages) == 1
    r = crm("messages", "send", "--template", "通知", "--list", "nope", ok=False)
    assert "No such target list" in r.output
    r = crm("messages", "send", "--template", "通知", ok=False)
    assert r.exit_code == 2


def test_campaigns_add_run_report(crm, team, tmp_path):
    crm("templates", "add", "促销", "--channel", "sms", "--body", "{客户名称}：年末促销")
    crm("messages", "lists", "add", "河东", "--area", "河东片区", "--has", "mobile")
    r = crm("campaigns", "add", "年末", "--list", "河东", "--template", "促销", user="s1", ok=False)
    assert r.exit_code == 1 and "manager" in r.output
    crm("campaigns", "add", "年末", "--list", "河东", "--template", "促销", "--budget", "1000", "--cost", "120",
        "--starts", "2026-12-01", "--ends", "2026-12-31", "--days", "7", user="mgr")
    r = crm("campaigns", "run", "年末", user="mgr")
    assert "sent 2" in r.output
    rep = json.loads(crm("campaigns", "report", "年末", "--format", "json", user="mgr").output)
    assert (rep["sent"], rep["failed"], rep["orders"], rep["amount"], rep["cost"]) == (2, 0, 0, "0.00", "120.00")
    assert "7 days" in rep["attribution"]
    assert crm("campaigns", "run", "年末", user="mgr", ok=False).exit_code == 1
