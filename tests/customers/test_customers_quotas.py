"""Contact-log quotas per role and period, and the checker's view of shortfalls (稽核): who is short by how many
in a week or month, as the checker may see them; the CLI with its JSON."""

import json
from datetime import date, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from crm_tui.core.errors import PermissionDenied, ValidationError
from crm_tui.db.models.system import AuditEntry
from crm_tui.services.customers import contact_logs, quotas

DAY = date(2026, 11, 25)  # a Wednesday: the week is 23–29 November


@pytest.fixture
def logged(org, tx, add_customer):
    """s1 wrote 3 logs this week (one more last week), s2 wrote 1, s3 none; mgr wrote 2."""
    c1 = add_customer(org.s1, "甲记")
    c2 = add_customer(org.s2, "乙记")
    cm = add_customer(org.mgr, "丙记")
    with tx(org.s1) as s:
        for day in (23, 24, 29):
            contact_logs.add_log(s, org.s1, c1, "visit", "x", at=datetime(2026, 11, day, 10))
        contact_logs.add_log(s, org.s1, c1, "phone", "x", at=datetime(2026, 11, 22, 23, 59))  # last week
    with tx(org.s2) as s:
        contact_logs.add_log(s, org.s2, c2, "visit", "x", at=datetime(2026, 11, 25, 9))
    with tx(org.mgr) as s:
        for day in (2, 3):
            contact_logs.add_log(s, org.mgr, cm, "visit", "x", at=datetime(2026, 11, day, 9))
    return org


def test_no_quota_no_finding(logged, ro):
    with ro(logged.admin) as s:
        assert quotas.check(s, logged.admin, "week", DAY).rows == []


def test_week_shortfalls_most_short_first(logged, tx, ro):
    org = logged
    with tx(org.admin) as s:
        quotas.set_quota(s, org.admin, "salesperson", "week", 3)
    with ro(org.admin) as s:
        result = quotas.check(s, org.admin, "week", DAY)
    assert (result.first, result.last) == (date(2026, 11, 23), date(2026, 11, 29))
    got = {r.login: (r.required, r.written, r.short) for r in result.rows}
    assert got == {"s1": (3, 3, 0), "s2": (3, 1, 2), "s3": (3, 0, 3)}
    assert [r.login for r in result.short_rows] == ["s3", "s2"]


def test_month_quota_per_role(logged, tx, ro):
    org = logged
    with tx(org.admin) as s:
        quotas.set_quota(s, org.admin, "salesperson", "month", 5)
        quotas.set_quota(s, org.admin, "manager", "month", 2)
    with ro(org.admin) as s:
        result = quotas.check(s, org.admin, "month", DAY)
        listed = {r.role: (r.week, r.month) for r in quotas.list_quotas(s)}
    got = {r.login: r.short for r in result.rows}
    assert got == {"s1": 1, "s2": 4, "s3": 5, "mgr": 0, "mgr2": 2, "boss": 2}
    assert listed["salesperson"] == (0, 5) and listed["manager"] == (0, 2) and listed["clerk"] == (0, 0)


def test_a_manager_checks_only_their_people(logged, tx, ro):
    org = logged
    with tx(org.admin) as s:
        quotas.set_quota(s, org.admin, "salesperson", "week", 3)
    with ro(org.mgr) as s:
        mine = {r.login for r in quotas.check(s, org.mgr, "week", DAY).rows}
    with ro(org.s2) as s:
        own = {r.login for r in quotas.check(s, org.s2, "week", DAY).rows}
    with ro(org.clerk) as s:
        everyone = {r.login for r in quotas.check(s, org.clerk, "week", DAY).rows}
    assert mine == {"s1", "s2"} and own == {"s2"} and everyone == {"s1", "s2", "s3"}


def test_setting_quotas_is_for_administrators_checked_and_audited(logged, tx, ro):
    org = logged
    with pytest.raises(PermissionDenied), tx(org.mgr) as s:
        quotas.set_quota(s, org.mgr, "salesperson", "week", 3)
    for role, period, value, match in (("boss", "week", 3, "No such role"), ("salesperson", "day", 3, "week or month"),
                                       ("salesperson", "week", -1, "0 to"), ("salesperson", "week", "x", "whole")):
        with pytest.raises(ValidationError, match=match), tx(org.admin) as s:
            quotas.set_quota(s, org.admin, role, period, value)
    with tx(org.admin) as s:
        quotas.set_quota(s, org.admin, "salesperson", "week", 3)
    with tx(org.admin) as s:
        quotas.set_quota(s, org.admin, "salesperson", "week", 4)
    with ro(org.admin) as s:
        assert quotas.list_quotas(s)[2].week == 4
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "contact_quotas")).all()
    assert len(actions) == 2


def test_cli_quota_and_check_json(logged, engine, monkeypatch):
    from crm_tui.cli import cli

    monkeypatch.setenv("CRM_USER", "admin")
    monkeypatch.setenv("CRM_PASSWORD", "admin-pass")
    base = ["--lang", "en", "--db", engine.url.render_as_string(hide_password=False), "contact-logs"]
    runner = CliRunner()
    r = runner.invoke(cli, [*base, "quota", "--role", "salesperson", "--week", "3", "--month", "10"])
    assert r.exit_code == 0, r.output
    assert "salesperson" in r.output and "10" in r.output
    r = runner.invoke(cli, [*base, "quota-check", "--week", "--date", "2026-11-25", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert (data["period"], data["from"], data["to"]) == ("week", "2026-11-23", "2026-11-29")
    assert [(p["login"], p["short"]) for p in data["people"]] == [("s3", 3), ("s2", 2)]
    r = runner.invoke(cli, [*base, "quota-check", "--month", "--date", "2026-11-25"])
    assert r.exit_code == 0 and "2026-11-01 to 2026-11-30" in r.output and "s3" in r.output
    r = runner.invoke(cli, [*base, "quota", "--week", "3"])
    assert r.exit_code != 0 and "--role" in r.output
