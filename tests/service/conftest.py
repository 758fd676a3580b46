"""A small organisation for the service-ticket tests.

    admin (administrator)
    mgr (manager, 商团部 head) ── s1, s2 (salespeople)
    s3 (salesperson, elsewhere)
    clerk (clerk: sees all)          stat (statistician: reads all, writes nothing)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from crm_tui.core.actor import Actor
from crm_tui.db.session import read_session, transaction

T0 = datetime(2026, 11, 2, 9, 0)  # a Monday morning: the tests' clock starts here


@dataclass
class Org:
    admin: Actor
    mgr: Actor
    s1: Actor
    s2: Actor
    s3: Actor
    clerk: Actor
    stat: Actor
    k1: int  # s1's customer
    k3: int  # s3's customer


@pytest.fixture
def org(engine, admin, make_user) -> Org:
    from crm_tui.db.models.people import Department
    from crm_tui.services.admin import departments
    from crm_tui.services.customers import records as customers

    with transaction(engine, admin) as s:
        team = departments.ensure_path(s, admin, "销售部/商团部")
    mgr = make_user("mgr", "manager", "钱经理", password=None, department_id=team)
    s1 = make_user("s1", "salesperson", "孙伟", password=None, department_id=team, supervisor_id=mgr.id)
    s2 = make_user("s2", "salesperson", "李娜", password=None, department_id=team, supervisor_id=mgr.id)
    s3 = make_user("s3", "salesperson", "郑凯", password=None)
    clerk = make_user("clerk", "clerk", "蒋涛", password=None)
    stat = make_user("stat", "statistician", "沈燕", password=None)
    with transaction(engine, admin) as s:
        s.get(Department, team).manager_id = mgr.id
    with transaction(engine, s1) as s:
        k1 = customers.create_customer(s, s1, name="临沂东方便利店")
    with transaction(engine, s3) as s:
        k3 = customers.create_customer(s, s3, name="费县书圣超市")
    return Org(admin, mgr, s1, s2, s3, clerk, stat, k1, k3)


@pytest.fixture
def tx(engine):
    return lambda actor: transaction(engine, actor)


@pytest.fixture
def ro(engine):
    return lambda actor: read_session(engine, actor)


@pytest.fixture
def at():
    """``with at(datetime):`` — the clock stands there."""
    from crm_tui.core import clock

    return clock.frozen
