"""A small sales organisation for the customers tests.

    admin                       (administrator)
    boss  (manager, 销售部 head)
      ├─ mgr (manager, 商团部 head, supervisor of s1 and s2)
      │    ├─ s1 (salesperson)
      │    └─ s2 (salesperson)
      └─ mgr2 (manager) ── s3 (salesperson)
    clerk (clerk: sees and edits all)
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from crm_tui.core.actor import Actor
from crm_tui.db.session import read_session, transaction


@dataclass
class Org:
    admin: Actor
    boss: Actor
    mgr: Actor
    mgr2: Actor
    s1: Actor
    s2: Actor
    s3: Actor
    clerk: Actor


@pytest.fixture
def org(engine, admin, make_user) -> Org:
    from crm_tui.db.models.people import Department
    from crm_tui.services.admin import departments

    with transaction(engine, admin) as s:
        sales = departments.ensure_path(s, admin, "销售部")
        team = departments.ensure_path(s, admin, "销售部/商团部")
        team2 = departments.ensure_path(s, admin, "销售部/流通部")
    boss = make_user("boss", "manager", "赵总", password=None, department_id=sales, staff_number="S001")
    mgr = make_user("mgr", "manager", "钱经理", password=None, department_id=team, supervisor_id=boss.id, staff_number="S002")
    mgr2 = make_user("mgr2", "manager", "吴经理", password=None, department_id=team2, supervisor_id=boss.id, staff_number="S006")
    s1 = make_user("s1", "salesperson", "孙伟", password=None, department_id=team, supervisor_id=mgr.id, staff_number="S003",
                   area="河东片区")
    s2 = make_user("s2", "salesperson", "李娜", password=None, department_id=team, supervisor_id=mgr.id, staff_number="S004")
    s3 = make_user("s3", "salesperson", "郑凯", password=None, department_id=team2, supervisor_id=mgr2.id, staff_number="S007")
    clerk = make_user("clerk", "clerk", "蒋涛", password=None, staff_number="S013")
    with transaction(engine, admin) as s:
        s.get(Department, sales).manager_id = boss.id
    return Org(admin, boss, mgr, mgr2, s1, s2, s3, clerk)


@pytest.fixture
def tx(engine):
    """``with tx(actor) as session:`` — one write transaction as ``actor``."""
    return lambda actor: transaction(engine, actor)


@pytest.fixture
def ro(engine):
    return lambda actor: read_session(engine, actor)


@pytest.fixture
def add_customer(engine):
    """``add_customer(actor, name, **values) -> id``, through the service."""
    from crm_tui.services.customers import records as customers

    def add(actor: Actor, name: str, **values) -> int:
        with transaction(engine, actor) as s:
            return customers.create_customer(s, actor, name=name, **values)

    return add
