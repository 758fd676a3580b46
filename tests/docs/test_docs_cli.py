"""``crm docs`` and ``crm kb`` end to end through click, as users logged in by CRM_USER/CRM_PASSWORD."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crm_tui.cli import cli


@pytest.fixture
def crm(db_url, admin, make_user, engine):
    from crm_tui.db.session import transaction
    from crm_tui.services.customers import records

    s1 = make_user("s1", "salesperson", "孙伟")
    make_user("s2", "salesperson", "李娜")
    with transaction(engine, admin) as s:
        records.create_customer(s, admin, name="深圳华联商贸有限公司", owner_id=s1.id)
    runner = CliRunner()

    def run(*args, user="admin", ok=True):
        env = {"CRM_USER": user, "CRM_PASSWORD": "admin-pass" if user == "admin" else "pass-1234"}
        result = runner.invoke(cli, ["--lang", "en", "--db", db_url, *args], env=env, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return run


def test_attach_list_get(crm, tmp_path):
    src = tmp_path / "报价说明.txt"
    src.write_text("价格含税\n", encoding="utf-8")
    out = crm("docs", "attach", "customer", "K00001", str(src), "--note", "报价", "--format", "json", user="s1")
    made = json.loads(out.output)
    assert made["file_name"] == "报价说明.txt" and made["customer"] == "K00001" and len(made["sha256"]) == 64
    listed = json.loads(crm("docs", "list", "--customer", "K00001", "--format", "json", user="s1").output)
    assert [r["id"] for r in listed] == [made["id"]]
    assert json.loads(crm("docs", "list", "--format", "json", user="s2").output) == []
    assert "孙伟" in crm("docs", "list", user="s1").output
    # s2 cannot fetch it; s1 can, under its own name in a folder
    refused = crm("docs", "get", str(made["id"]), "-o", str(tmp_path), user="s2", ok=False)
    assert refused.exit_code == 1 and "No such attachment" in refused.output
    dest = tmp_path / "dest"
    dest.mkdir()
    got = crm("docs", "get", str(made["id"]), "-o", str(dest), user="s1")
    assert (dest / "报价说明.txt").read_text(encoding="utf-8") == "价格含税\n" and "Written to" in got.output
    crm("docs", "delete", str(made["id"]), "--yes", user="s1")
    assert json.loads(crm("docs", "list", "--format", "json", user="s1").output) == []


def test_attach_mistakes_exit_1_with_a_reason(crm, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("a", encoding="utf-8")
    hidden = crm("docs", "attach", "customer", "K00001", str(src), user="s2", ok=False)
    assert hidden.exit_code == 1 and "No such customer: K00001" in hidden.output
    missing = crm("docs", "attach", "customer", "K00001", str(tmp_path / "nope.txt"), user="s1", ok=False)
    assert missing.exit_code == 1 and "No such file" in missing.output
    bad_kind = crm("docs", "attach", "invoice", "1", str(src), ok=False)
    assert bad_kind.exit_code == 2


def test_kb_add_edit_search_show(crm, tmp_path):
    body = tmp_path / "保修.md"
    body.write_text("# 保修\n\n整机保修三年。\n", encoding="utf-8")
    added = json.loads(crm("kb", "add", "--title", "空调保修政策", "--category", "售后政策", "--tags", "保修,空调",
                           "--file", str(body), "--format", "json", user="s1").output)
    crm("kb", "add", "--title", "电话开场白", "--category", "销售话术", "--body", "您好")
    found = json.loads(crm("kb", "search", "保", "--format", "json", user="s2").output)
    assert [a["id"] for a in found] == [added["id"]] and found[0]["tags"] == ["保修", "空调"]
    assert json.loads(crm("kb", "search", "开场", "--format", "json").output)[0]["title"] == "电话开场白"
    denied = crm("kb", "edit", f"#{added['id']}", "--body", "改", user="s2", ok=False)
    assert denied.exit_code == 1 and "may change" in denied.output
    crm("kb", "edit", "空调保修政策", "--title", "空调延保政策", "--version", "1", user="s1")
    stale = crm("kb", "edit", f"#{added['id']}", "--body", "x", "--version", "1", user="s1", ok=False)
    assert stale.exit_code == 1 and "changed by someone else" in stale.output
    shown = json.loads(crm("kb", "show", f"#{added['id']}", "--format", "json").output)
    assert shown["title"] == "空调延保政策" and "整机保修三年" in shown["body"] and shown["version"] == 2
    text = crm("kb", "show", "空调延保政策").output
    assert text.startswith("# 空调延保政策") and "孙伟" in text
