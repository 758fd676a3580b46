"""Users, departments, passwords and who sees whose records."""

import pytest
from sqlalchemy import select

from crm_tui.core.errors import AuthError, ConflictError, PermissionDenied, ValidationError
from crm_tui.db.models.customers import Customer
from crm_tui.db.models.people import User
from crm_tui.db.session import read_session, transaction
from crm_tui.services.admin import departments, permissions, users
from crm_tui.services.admin.passwords import MEMORY_COST_KIB, PARALLELISM, TIME_COST


def test_password_hash_is_argon2id_with_stated_parameters(engine, admin):
    with read_session(engine) as s:
        h = s.get(User, admin.id).password_hash
    assert h.startswith(f"$argon2id$v=19$m={MEMORY_COST_KIB},t={TIME_COST},p={PARALLELISM}$")
    assert (MEMORY_COST_KIB, TIME_COST, PARALLELISM) == (65536, 3, 4)


def test_login_checks_password_and_active_flag(engine, admin, make_user):
    make_user("lisi", password="right-pass")
    with read_session(engine) as s:
        assert users.authenticate(s, "LiSi", "right-pass").login == "lisi"
        with pytest.raises(AuthError):
            users.authenticate(s, "lisi", "wrong-pass")
    with transaction(engine, admin) as s:
        users.set_active(s, admin, users.find_user(s, "lisi").id, False)
    with read_session(engine) as s, pytest.raises(AuthError, match="disabled"):
        users.authenticate(s, "lisi", "right-pass")


def test_user_validation(engine, admin, make_user):
    make_user("zhang", staff_number="S001")
    with transaction(engine, admin) as s:
        with pytest.raises(ConflictError):
            users.add_user(s, admin, "ZHANG", "张", "salesperson")
        with pytest.raises(ValidationError):
            users.add_user(s, admin, "x", "X", "salesperson")
        with pytest.raises(ValidationError):
            users.add_user(s, admin, "wang", "王", "boss")
        with pytest.raises(ConflictError):
            users.add_user(s, admin, "wang", "王", "salesperson", staff_number="S001")
        with pytest.raises(ValidationError):
            users.add_user(s, admin, "wang", "王", "salesperson", password="123")


def test_last_administrator_cannot_be_disabled(engine, admin):
    with transaction(engine, admin) as s, pytest.raises(ValidationError):
        users.set_active(s, admin, admin.id, False)


def test_only_administrators_manage_users(engine, admin, make_user):
    clerk = make_user("clerk1", "clerk")
    with transaction(engine, clerk) as s, pytest.raises(PermissionDenied):
        users.add_user(s, clerk, "newbie", "新人")


def test_supervisor_cycles_are_refused(engine, admin, make_user):
    boss = make_user("boss", "manager")
    worker = make_user("worker", supervisor_id=boss.id)
    with read_session(engine) as s:
        version = users.get_user(s, boss.id).version
    with transaction(engine, admin) as s, pytest.raises(ValidationError):
        users.update_user(s, admin, boss.id, version, supervisor_id=worker.id)


def test_department_tree_and_paths(engine, admin):
    with transaction(engine, admin) as s:
        leaf = departments.ensure_path(s, admin, "销售部/商团部")
        again = departments.ensure_path(s, admin, "销售部 › 商团部")
        assert leaf == again
        departments.ensure_path(s, admin, "销售部/餐饮部")
        with pytest.raises(ConflictError):
            departments.add_department(s, admin, "商团部", departments.find_department(s, "销售部").id)
    with read_session(engine) as s:
        rows = departments.list_departments(s)
    assert [(r.depth, r.name) for r in rows] == [(0, "销售部"), (1, "商团部"), (1, "餐饮部")]
    assert rows[1].path == "销售部 › 商团部"


def _setup_org(engine, admin, make_user):
    with transaction(engine, admin) as s:
        sales = departments.ensure_path(s, admin, "销售部")
        team_a = departments.ensure_path(s, admin, "销售部/商团部")
        team_b = departments.ensure_path(s, admin, "销售部/餐饮部")
    head = make_user("head", "manager", department_id=sales)
    lead_a = make_user("lead_a", "manager", department_id=team_a)
    rep_a = make_user("rep_a", department_id=team_a, supervisor_id=lead_a.id)
    rep_b = make_user("rep_b", department_id=team_b)
    with read_session(engine) as s:
        v = s.get(type(s.get(User, head.id)), head.id)
    with transaction(engine, admin) as s:
        from crm_tui.db.models.people import Department

        s.get(Department, sales).manager_id = head.id
    with transaction(engine, admin) as s:
        for i, owner in enumerate([rep_a, rep_b, lead_a, head]):
            s.add(Customer(code=f"K{i}", name=f"客户{i}", owner_id=owner.id))
    return head, lead_a, rep_a, rep_b, v


def _visible_codes(engine, actor):
    with read_session(engine) as s:
        clause = permissions.owner_filter(s, actor, Customer.owner_id)
        return sorted(s.scalars(select(Customer.code).where(clause)))


def test_visibility_own_subordinates_department_and_admin(engine, admin, make_user):
    head, lead_a, rep_a, rep_b, _ = _setup_org(engine, admin, make_user)
    clerk = make_user("clerk", "clerk")
    assert _visible_codes(engine, rep_a) == ["K0"]
    assert _visible_codes(engine, rep_b) == ["K1"]
    assert _visible_codes(engine, lead_a) == ["K0", "K2"]  # own + supervisor chain
    assert _visible_codes(engine, head) == ["K0", "K1", "K2", "K3"]  # heads 销售部 and its sub-departments
    assert _visible_codes(engine, admin) == ["K0", "K1", "K2", "K3"]
    assert _visible_codes(engine, clerk) == ["K0", "K1", "K2", "K3"]
    with read_session(engine) as s:
        with pytest.raises(PermissionDenied):
            permissions.require_owner_visible(s, rep_a, rep_b.id, "客户1")
        permissions.require_owner_visible(s, lead_a, rep_a.id, "客户0")


def test_a_disabled_user_keeps_their_records(engine, admin, make_user):
    _head, _lead_a, rep_a, _rep_b, _ = _setup_org(engine, admin, make_user)
    with transaction(engine, admin) as s:
        users.set_active(s, admin, rep_a.id, False)
    with read_session(engine) as s:
        assert s.scalar(select(Customer.owner_id).where(Customer.code == "K0")) == rep_a.id


def test_an_unknown_login_costs_a_password_check_like_a_known_one(engine, admin, make_user, monkeypatch):
    """Answering an unknown login at once would tell which logins exist: it is checked against a stand-in hash."""
    from crm_tui.services.admin import passwords

    make_user("wangfang", password="right-pass")
    checked = []
    real = passwords._hasher()

    class Counting:
        def verify(self, password_hash, password):
            checked.append(password_hash)
            return real.verify(password_hash, password)

        def hash(self, password):
            return real.hash(password)

    monkeypatch.setattr(passwords, "_hasher", lambda: Counting())
    with read_session(engine) as s:
        for login in ("wangfang", "nobody-here"):
            with pytest.raises(AuthError, match="Wrong login or password"):
                users.authenticate(s, login, f"guess-for-{login}")
    assert len(checked) == 2 and all(h.startswith("$argon2id$") for h in checked)
    assert not passwords.verify_password(None, "anything")  # the stand-in never lets anyone in
