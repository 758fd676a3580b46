"""A small company in the database: three sales departments, staff by position, customers with owners."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def clock_after_the_test_months():
    """The tests' months (2027-03 mostly) are over: the clock stands after them unless a test moves it."""
    from datetime import date

    from crm_tui.core.clock import frozen

    with frozen(date(2027, 6, 1)):
        yield


@dataclass
class Company:
    users: dict[str, int] = field(default_factory=dict)        # login -> id
    customers: dict[str, int] = field(default_factory=dict)    # code -> id


STAFF = [
    # login, name, department, position, area, staff number
    ("sunwei", "孙伟", "销售部/商团部", "商超业务员", None, "S003"),
    ("lina", "李娜", "销售部/商团部", "团购业务员", None, "S004"),
    ("zhengkai", "郑凯", "销售部/流通部", "联营体分销代表", "南坊片区", "S007"),
    ("fengjun", "冯军", "销售部/流通部", "流通客户业务代表", None, "S009"),
    ("chuyang", "褚洋", "销售部/餐饮部", "餐饮业务员", None, "S011"),
    ("jiangtao", "蒋涛", "综合办公室", "内勤", None, "S013"),
]

CUSTOMERS = [
    # code, name, owner login, classification
    ("K0001", "临沂好运来超市", "sunwei", "A类"),
    ("K0002", "兰山区万家福超市", "sunwei", "县城"),
    ("K0003", "罗庄团购客户", "lina", "县城"),
    ("K0004", "河东团购客户", "lina", None),
    ("K0005", "南坊便利店", "zhengkai", None),
    ("K0006", "南坊烟酒店", "zhengkai", None),
    ("K0007", "流通批发部", "fengjun", None),
    ("K0008", "沂蒙人家饭店", "chuyang", "重点"),
    ("K0009", "老家菜馆", "chuyang", None),
    ("K0010", "公海客户", None, None),
]


@pytest.fixture
def company(engine, admin) -> Company:
    from crm_tui.db.models.customers import Customer
    from crm_tui.db.session import transaction
    from crm_tui.services.admin import departments, users

    co = Company()
    with transaction(engine, admin) as session:
        for login, name, dept, position, area, number in STAFF:
            dept_id = departments.ensure_path(session, admin, dept)
            co.users[login] = users.add_user(session, admin, login, name, "salesperson", None,
                                             department_id=dept_id, position=position, area=area,
                                             staff_number=number)
        co.users["shenyan"] = users.add_user(session, admin, "shenyan", "沈燕", "statistician", None,
                                             staff_number="S014")
        for code, name, owner, cls in CUSTOMERS:
            c = Customer(code=code, name=name, owner_id=co.users[owner] if owner else None, classification=cls)
            session.add(c)
            session.flush()
            co.customers[code] = c.id
    return co


HEADERS = ["业务员", "上传时间", "客户编号", "客户名称", "地址", "照片数", "类型", "备注"]


def write_export(path: Path, rows: list[list], headers: list[str] | None = None, title: str | None = None) -> Path:
    """An upload export as the mobile app writes it (optionally with a title row above the headers)."""
    from crm_tui.io.workbook import Column, Sheet, write_workbook

    headers = headers or HEADERS
    body = ([[title] + [None] * (len(headers) - 1)] if title else []) + [list(r) for r in rows]
    if title:
        # a title row above the header: write the header as the second row
        rows_out = [body[0], headers, *body[1:]]
        return write_workbook(path, [Sheet("上传记录", [Column("") for _ in headers], rows_out)])
    return write_workbook(path, [Sheet("上传记录", [Column(h) for h in headers], body)])


def row(staff, when, code="K0008", name=None, address="临沂市兰山区", photos=2, kind="拜访", remarks=None):
    return [staff, when, code, name, address, photos, kind, remarks]


@pytest.fixture
def statistician(company):
    from crm_tui.core.actor import Actor

    return Actor(company.users["shenyan"], "shenyan", "沈燕", "statistician")
