"""``crm visits …`` end to end through click: the pinned options and the JSON contract."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crm_tui.cli import cli

from .conftest import row, write_export


@pytest.fixture
def crm(db_url, company, monkeypatch):
    monkeypatch.setenv("CRM_USER", "admin")
    monkeypatch.setenv("CRM_PASSWORD", "admin-pass")
    runner = CliRunner()

    def run(*args: str, ok: bool = True):
        result = runner.invoke(cli, ["--lang", "en", "--db", db_url, "visits", *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return run


def test_import_tally_publish_reopen(crm, tmp_path):
    path = write_export(tmp_path / "x.xlsx", [row("褚洋", "2027-03-01 09:00"), row("褚洋", "2027-03-01 09:03"),
                                              row("S003", "2027-03-01 09:00", "K0001")])
    out = crm("import", str(path)).output
    assert "3 rows; 3 uploads and 0 events added, 0 already known" in out
    assert "1 rows" not in out
    assert json.loads(crm("import", str(path), "--format", "json").stdout)["repeated"] == 3

    assert "Absence 1 recorded" in crm("absence", "--staff", "孙伟", "--from", "2027-03-02", "--to", "2027-03-03",
                                       "--kind", "leave").output
    crm("absence", "--staff", "S011", "--from", "2027-03", "--to", "2027-03", "--kind", "flex")
    xlsx = tmp_path / "t.xlsx"
    report = json.loads(crm("tally", "--month", "2027-03", "--format", "json", "--xlsx", str(xlsx)).stdout)
    assert xlsx.exists()
    people = {p["staff"]: p for p in report["people"]}
    assert people["孙伟"]["working_days"] == 25 and people["孙伟"]["uploads"] == 1
    assert people["褚洋"]["flex_shortfall"] == 27 * 8 - 1 and people["褚洋"]["void_uploads"] == 1
    assert people["褚洋"]["daily_fines"] == 0
    assert report["totals"]["uploads"] == 2

    table = crm("tally", "--month", "2027-03").output
    assert "Visit tally 2027-03" in table and "褚洋" in table and "Total" in table

    assert "2027-W09 published" in crm("publish", "--week", "2027-W09").output.replace("week ", "")
    assert "already published" in crm("publish", "--week", "2027-W09", ok=False).output
    out = crm("publish", "--month", "2027-03", "--format", "json").stdout
    assert json.loads(out)["published"] is True
    assert json.loads(crm("tally", "--month", "2027-03", "--format", "json").stdout)["published"] is True
    assert "reopened" in crm("reopen", "--month", "2027-03", "--reason", "补录").output
    listing = crm("publications", "--format", "json").stdout
    assert {(p["period"], p["status"]) for p in json.loads(listing)} == {("2027-W09", "published"),
                                                                         ("2027-03", "reopened")}
    absences = json.loads(crm("absences", "--month", "2027-03", "--format", "json").stdout)
    assert [(a["staff"], a["kind"]) for a in absences] == [("褚洋", "flex"), ("孙伟", "leave")]

    nv = json.loads(crm("not-visited", "--month", "2027-03", "--format", "json").stdout)
    assert ("褚洋", "K0009") in {(r["staff"], r["code"]) for r in nv}


def test_errors_are_one_clear_message_and_exit_1(crm, tmp_path):
    path = write_export(tmp_path / "bad.xlsx", [row("王五", "2027-03-01 09:00")])
    result = crm("import", str(path), "--errors", str(tmp_path / "err.xlsx"), ok=False)
    assert result.exit_code == 1
    assert "1 bad row, nothing imported" in result.output and "王五" in result.output
    assert (tmp_path / "err.xlsx").exists()
    result = crm("tally", "--month", "2027-13", ok=False)
    assert result.exit_code == 1 and "YYYY-MM" in result.output
    result = crm("publish", ok=False)
    assert result.exit_code == 1 and "--week" in result.output
    bad_policy = tmp_path / "p.toml"
    bad_policy.write_text("[fines]\nsmal = 5\n", encoding="utf-8")
    result = crm("tally", "--month", "2027-03", "--policy", str(bad_policy), ok=False)
    assert result.exit_code == 1 and "p.toml: fines.smal: unknown key" in result.output
    result = crm("absence", "--staff", "褚洋", "--from", "2027-03-05", "--to", "2027-03-01", "--kind", "leave",
                 ok=False)
    assert result.exit_code == 1 and "before it starts" in result.output


def test_chinese_interface(db_url, company, monkeypatch, tmp_path):
    monkeypatch.setenv("CRM_USER", "admin")
    monkeypatch.setenv("CRM_PASSWORD", "admin-pass")
    result = CliRunner().invoke(cli, ["--lang", "zh", "--db", db_url, "visits", "tally", "--month", "2027-03"])
    assert result.exit_code == 0, result.output
    assert "拜访巡店统计 2027-03" in result.output and "罚款合计" in result.output


def test_plan_and_outing_commands(db_url, company, monkeypatch):
    from crm_tui.core.actor import SYSTEM
    from crm_tui.db.engine import make_engine
    from crm_tui.db.session import transaction
    from crm_tui.services.admin import users

    engine = make_engine(db_url)
    with transaction(engine, SYSTEM) as session:
        users.set_password(session, SYSTEM, company.users["sunwei"], "sun-pass-1")
    engine.dispose()
    monkeypatch.setenv("CRM_USER", "sunwei")
    monkeypatch.setenv("CRM_PASSWORD", "sun-pass-1")
    runner = CliRunner()

    def crm(*args):
        result = runner.invoke(cli, ["--lang", "en", "--db", db_url, "visits", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result

    crm("plan", "write", "--week", "2027-W10", "--goals", "推新品")
    assert "added" in crm("plan", "add", "--week", "2027-W10", "--day", "2027-03-08", "--customer", "K0001").output
    crm("plan", "submit", "--week", "2027-W10")
    out = crm("outing", "add", "--out", "2027-03-08 09:00", "--purpose", "巡店", "--customer", "K0001").output
    oid = out.split()[1]
    crm("outing", "log", oid, "--customer", "K0001", "--summary", "检查陈列")
    crm("outing", "back", oid, "--at", "2027-03-08 12:00")
    plan = json.loads(crm("plan", "show", "--week", "2027-W10", "--format", "json").stdout)
    assert plan["status"] == "submitted" and plan["goals"] == "推新品"
    assert plan["items"][0]["happened"] and plan["items"][0]["contact_logs"] == 1
    listing = json.loads(crm("outing", "list", "--format", "json").stdout)
    assert listing[0]["customers"][0]["contact_log"] is not None and listing[0]["back"].startswith("2027-03-08T12")
