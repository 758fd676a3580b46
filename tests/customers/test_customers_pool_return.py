"""The public pool's automatic return: once a day at start (remembered in the audit log), by the command,
every return audited and every former owner told (audit notice, log line, hooks)."""

import json
from datetime import date, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from crm_tui.config import update_settings
from crm_tui.core.actor import SYSTEM
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.system import AuditEntry
from crm_tui.services.customers import contact_logs, pool

TODAY = date(2026, 11, 27)


@pytest.fixture
def idle(org, tx, add_customer):
    """Two idle customers of s1, one of s2, one recently contacted of s1, one in the pool already."""
    ids = {
        "a": add_customer(org.s1, "久未联系甲", created_on="2026-01-05"),
        "b": add_customer(org.s1, "久未联系乙", created_on="2026-02-05"),
        "c": add_customer(org.s2, "久未联系丙", created_on="2026-03-05"),
        "fresh": add_customer(org.s1, "刚联系过", created_on="2026-01-05"),
        "pool": add_customer(org.clerk, "公海里的", owner_id=None, created_on="2026-01-05"),
    }
    with tx(org.s1) as s:
        contact_logs.add_log(s, org.s1, ids["fresh"], "visit", "x", at=datetime(2026, 11, 20, 9))
    return ids


def notices(ro, org):
    with ro(org.admin) as s:
        rows = s.execute(select(AuditEntry.entity_id, AuditEntry.changes)
                         .where(AuditEntry.entity == "notices", AuditEntry.action == "pool return")).all()
    return {int(uid): json.loads(changes) for uid, changes in rows}


def test_daily_run_is_off_until_the_setting_says_days(org, tx, ro, idle):
    with tx(org.admin) as s:
        assert not pool.run_daily(s, SYSTEM, TODAY).ran
    with ro(org.admin) as s:
        assert s.get(Customer, idle["a"]).owner_id == org.s1.id


def test_daily_run_returns_idle_customers_once_a_day_and_notifies_owners(org, tx, ro, idle):
    update_settings("customers", pool_return_days=60)
    heard = []
    pool.NOTICE_HOOKS.append(lambda session, owner, customers, days: heard.append((owner, len(customers), days)))
    try:
        with tx(org.admin) as s:
            out = pool.run_daily(s, SYSTEM, TODAY)
        with tx(org.admin) as s:
            again = pool.run_daily(s, SYSTEM, TODAY)
    finally:
        pool.NOTICE_HOOKS.pop()  # the test's own listener; the in-app notification stays
    assert (out.ran, out.customers) == (True, 3) and not again.ran
    assert sorted(heard) == sorted([(org.s1.id, 2, 60), (org.s2.id, 1, 60)])
    with ro(org.admin) as s:
        owners = {k: s.get(Customer, v).owner_id for k, v in idle.items()}
        returns = s.scalars(select(AuditEntry.entity_id).where(AuditEntry.entity == "customers",
                                                               AuditEntry.action == "return to pool")).all()
    assert owners == {"a": None, "b": None, "c": None, "fresh": org.s1.id, "pool": None}
    assert sorted(int(r) for r in returns) == sorted([idle["a"], idle["b"], idle["c"]])
    got = notices(ro, org)
    with ro(org.admin) as s:
        codes = {k: s.get(Customer, v).code for k, v in idle.items()}
    assert sorted(got[org.s1.id]["customers"]) == sorted([codes["a"], codes["b"]])
    assert got[org.s2.id]["days"] == 60
    from crm_tui.db.models.notices import Notification
    from crm_tui.services.notices import texts

    with ro(org.admin) as s:
        told = {n.user_id: texts.render(n.text_code, n.params) for n in s.scalars(select(Notification))}
    assert told[org.s1.id].startswith("2 customers of yours went back to the public pool after 60 days")
    assert set(told) == {org.s1.id, org.s2.id}


def test_next_day_runs_again(org, tx, ro, idle):
    update_settings("customers", pool_return_days=60)
    with tx(org.admin) as s:
        assert pool.run_daily(s, SYSTEM, TODAY).ran
    with tx(org.admin) as s:
        assert pool.run_daily(s, SYSTEM, date(2026, 11, 28)).ran


def test_run_at_start_uses_the_engine_and_survives_errors(engine, org, ro, idle, monkeypatch):
    update_settings("customers", pool_return_days=60)
    out = pool.run_daily_at_start(engine)
    assert out is not None and out.customers == 3
    monkeypatch.setattr(pool, "run_daily", lambda *a, **k: 1 / 0)
    assert pool.run_daily_at_start(engine) is None


def test_pool_return_command_reports_and_notifies(engine, org, ro, idle, monkeypatch):
    from crm_tui.cli import cli

    monkeypatch.setenv("CRM_USER", "admin")
    monkeypatch.setenv("CRM_PASSWORD", "admin-pass")
    result = CliRunner().invoke(cli, ["--lang", "en", "--db", engine.url.render_as_string(hide_password=False),
                                      "customers", "pool-return", "--days", "60"])
    assert result.exit_code == 0, result.output
    assert "3 customers returned to the public pool." in result.output
    assert set(notices(ro, org)) == {org.s1.id, org.s2.id}
