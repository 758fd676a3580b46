"""The ``crm customers`` commands, end to end through click, as a user logged in by CRM_USER/CRM_PASSWORD."""

import json

import pytest
from click.testing import CliRunner

from crm_tui.cli import cli


@pytest.fixture
def crm(db_url, admin, make_user):
    make_user("s1", "salesperson", "孙伟", staff_number="S003")
    make_user("s2", "salesperson", "李娜", staff_number="S004")
    runner = CliRunner()

    def run(*args, user="admin", password=None, ok=True):
        env = {"CRM_USER": user, "CRM_PASSWORD": password or ("admin-pass" if user == "admin" else "pass-1234")}
        result = runner.invoke(cli, ["--lang", "en", "--db", db_url, *args], env=env, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return run


def test_add_find_show_log_and_review(crm, make_user):
    crm("customers", "add", "北京华夏科技有限公司", "--owner", "S003", "--area", "河东片区",
        "--contact", "张三", "--mobile", "138 0013 8000", "--credit-code", "9144030071526726XG")
    out = crm("customers", "list", "--search", "bjhx", "--format", "json").output
    data = json.loads(out)
    assert data["total"] == 1
    assert data["customers"][0]["code"] == "K00001" and data["customers"][0]["mobile"] == "13800138000"
    assert "0 of 0" in crm("customers", "list", "--search", "bjhx", user="s2").output  # not s2's
    crm("customers", "log", "K00001", "--summary", "拜访", "--contact", "张三", "--next-date", "2099-01-01",
        user="s1")
    shown = json.loads(crm("customers", "show", "K00001", "--format", "json", user="s1").output)
    assert shown["owner"] == "孙伟" and shown["logs"][0]["contact"] == "张三"


def test_bad_input_is_one_line_and_exit_1(crm):
    r = crm("customers", "add", "甲商店", "--credit-code", "123", ok=False)
    assert r.exit_code == 1 and "Credit code" in r.output and "Traceback" not in r.output
    r = crm("customers", "show", "NOPE", ok=False)
    assert r.exit_code == 1 and "No such customer" in r.output


def test_transfer_all_and_some(crm):
    for name in ("甲记", "乙记", "丙记"):
        crm("customers", "add", name, "--owner", "s1")
    r = crm("customers", "transfer", "--from", "s1", "--to", "李娜", "K00001")
    assert "1 customer and" in r.output  # not "1 customers"
    r = crm("customers", "transfer", "--from", "s2", "--to", "s1", "K00002", ok=False)
    assert r.exit_code == 1 and "Not owned" in r.output
    r = crm("customers", "transfer", "--from", "S003", "--to", "S004")
    assert "2 customers" in r.output
    data = json.loads(crm("customers", "list", "--owner", "s2", "--format", "json").output)
    assert data["total"] == 3


def test_pool_share_archive(crm):
    crm("customers", "add", "公海客户")  # an administrator's new customer without owner sits in the pool
    assert "(pool)" in crm("customers", "list", "--scope", "pool").output
    crm("customers", "claim", "K00001", user="s1")
    crm("customers", "share", "K00001", "--with", "s2", user="s1")
    assert json.loads(crm("customers", "list", "--scope", "shared", "--format", "json", user="s2").output)["total"] == 1
    crm("customers", "archive", "K00001")
    assert json.loads(crm("customers", "list", "--format", "json").output)["total"] == 0
    assert json.loads(crm("customers", "list", "--status", "all", "--format", "json").output)["total"] == 1


@pytest.mark.parametrize("args", [
    ["customers", "show", "{c}"], ["customers", "show", "{c}", "--format", "json"],
    ["customers", "edit", "{c}", "--area", "罗庄片区"], ["customers", "log", "{c}", "--summary", "拜访"],
    ["customers", "contact", "{c}", "张三"], ["customers", "logs", "{c}"], ["customers", "delete", "{c}"],
    ["customers", "claim", "{c}"], ["customers", "share", "{c}", "--with", "s1"],
    ["orders", "list", "--customer", "{c}"], ["report", "unshipped", "--customer", "{c}"],
    ["expenses", "add", "--amount", "10", "--category", "交通费", "--date", "2026-11-02", "--customer", "{c}"],
], ids=lambda a: " ".join(a[:2]))
def test_a_customer_one_may_not_see_looks_like_one_that_does_not_exist(crm, args):
    """Asking for a colleague's customer tells a salesperson nothing more than asking for a made-up code."""
    crm("customers", "add", "孙伟的客户", "--owner", "s1")  # K00001
    hidden = crm(*[a.replace("{c}", "K00001") for a in args], user="s2", ok=False)
    missing = crm(*[a.replace("{c}", "K00099") for a in args], user="s2", ok=False)
    assert hidden.exit_code == missing.exit_code == 1
    assert "No such customer: K00001" in hidden.output
    assert hidden.output.replace("K00001", "K00099") == missing.output
    assert crm("customers", "show", "K00001", user="s1").exit_code == 0  # the owner sees it


def test_a_hidden_namesake_does_not_make_a_name_ambiguous(crm):
    crm("customers", "add", "兰山超市", "--owner", "s1")
    crm("customers", "add", "兰山超市", "--owner", "s2", "--allow-duplicate")
    shown = json.loads(crm("customers", "show", "兰山超市", "--format", "json", user="s2").output)
    assert shown["code"] == "K00002"


def test_add_refuses_a_same_named_customer_unless_allowed(crm):
    crm("customers", "add", "临沂 大酒店")
    r = crm("customers", "add", "临沂大酒店", ok=False)  # the same once spaces are ignored
    assert r.exit_code == 1 and "K00001 临沂 大酒店" in r.output and "--allow-duplicate" in r.output
    assert json.loads(crm("customers", "list", "--format", "json").output)["total"] == 1
    assert "K00002" in crm("customers", "add", "临沂大酒店", "--allow-duplicate").output
