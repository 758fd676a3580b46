"""Exact money storage, transactions, optimistic locking and the audit log."""

import json
from decimal import Decimal as D

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, select

from crm_tui.core.errors import ConflictError
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.people import Department, User
from crm_tui.db.models.system import AuditEntry
from crm_tui.db.session import read_session, transaction
from crm_tui.db.types import Money, Quantity
from crm_tui.services.admin import departments, users


def test_money_round_trips_exactly_and_sums_in_sql(engine):
    meta = MetaData()
    t = Table("money_probe", meta, Column("id", Integer, primary_key=True), Column("amount", Money),
              Column("qty", Quantity))
    meta.create_all(engine)
    try:
        values = [D("1234567890123456.78"), D("0.01"), D("-0.02"), D("0.1") + D("0.2")]
        with engine.begin() as conn:
            conn.execute(t.insert(), [{"amount": v, "qty": D("1.2345")} for v in values])
            back = [r[0] for r in conn.execute(select(t.c.amount).order_by(t.c.id))]
            total = conn.execute(select(func.sum(t.c.amount))).scalar_one()
            qty = conn.execute(select(func.sum(t.c.qty))).scalar_one()
        assert back == values
        assert isinstance(back[0], D)
        assert total == sum(values)
        assert qty == D("4.9380")
    finally:
        meta.drop_all(engine)


def test_money_column_rounds_half_up_to_the_fen(engine, admin):
    with transaction(engine, admin) as s:
        s.add(Customer(code="K1", name="甲", credit_limit=D("10.005"), opening_balance=D("-10.005")))
    with read_session(engine) as s:
        c = s.scalar(select(Customer))
        assert (c.credit_limit, c.opening_balance) == (D("10.01"), D("-10.01"))


def test_exception_inside_scope_leaves_nothing(engine, admin):
    with pytest.raises(RuntimeError):
        with transaction(engine, admin) as s:
            departments.add_department(s, admin, "销售部")
            s.add(Customer(code="K9", name="乙"))
            s.flush()
            raise RuntimeError("boom")
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Department)) == 0
        assert s.scalar(select(func.count()).select_from(Customer)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "departments")) == 0


def test_stale_save_is_a_conflict_naming_the_record(engine, admin):
    with read_session(engine) as s:
        row = users.get_user(s, admin.id)
    with transaction(engine, admin) as s:
        users.update_user(s, admin, admin.id, row.version, display_name="新名字")
    with pytest.raises(ConflictError, match="admin"):
        with transaction(engine, admin) as s:
            users.update_user(s, admin, admin.id, row.version, display_name="旧表单")


def test_concurrent_orm_update_with_old_version_is_refused(engine, admin):
    """Even without the explicit check, the UPDATE carries WHERE version = ?."""
    with read_session(engine) as s:
        stale = s.get(User, admin.id)
    with transaction(engine, admin) as s:
        s.get(User, admin.id).phone = "13800138000"
    with pytest.raises(ConflictError):
        with transaction(engine, admin) as s:
            merged = s.merge(stale, load=False)
            merged.email = "x@example.com"
            s.flush()


def test_audit_log_records_who_what_and_the_diff(engine, admin):
    with transaction(engine, admin) as s:
        dept = departments.add_department(s, admin, "销售部")
    with read_session(engine) as s:
        version = s.get(Department, dept).version
    with transaction(engine, admin) as s:
        departments.update_department(s, admin, dept, version, name="营销部")
    with read_session(engine) as s:
        from crm_tui.services.common.audit import history

        entries = history(s, "departments", dept)
    assert [e.action for e in entries] == ["create", "update"]
    assert all(e.user_login == "admin" and e.user_id == admin.id for e in entries)
    assert json.loads(entries[1].changes) == {"name": ["销售部", "营销部"]}


def test_password_hash_is_never_in_the_audit_log(engine, admin):
    with read_session(engine) as s:
        texts = [e.changes or "" for e in s.scalars(select(AuditEntry))]
    assert texts and not any("argon2" in t for t in texts)
