"""Demo step: the departments and staff of 临沂华夏商贸有限公司 (the seed's sales department)."""

from __future__ import annotations

from crm_tui.db.models.people import User
from crm_tui.services.admin import departments
from crm_tui.services.admin.passwords import hash_password

TITLE = "Departments and staff"

DEPARTMENTS = ["销售部/商团部", "销售部/流通部", "销售部/餐饮部", "财务部", "仓储部", "综合办公室"]

# login, name, role, department, position (岗位), area (片区), supervisor login, staff number
STAFF = [
    ("zhaogang", "赵刚", "manager", "销售部", None, None, None, "S001"),
    ("qianli", "钱丽", "manager", "销售部/商团部", "商超促销主管", None, "zhaogang", "S002"),
    ("sunwei", "孙伟", "salesperson", "销售部/商团部", "商超业务员", None, "qianli", "S003"),
    ("lina", "李娜", "salesperson", "销售部/商团部", "团购业务员", None, "qianli", "S004"),
    ("zhouqiang", "周强", "salesperson", "销售部/商团部", "社会团购员", None, "qianli", "S005"),
    ("wumin", "吴敏", "manager", "销售部/流通部", None, None, "zhaogang", "S006"),
    ("zhengkai", "郑凯", "salesperson", "销售部/流通部", "联营体分销代表", "南坊片区", "wumin", "S007"),
    ("wangfang", "王芳", "salesperson", "销售部/流通部", "联营体分销代表", "河东片区", "wumin", "S008"),
    ("fengjun", "冯军", "salesperson", "销售部/流通部", "流通客户业务代表", None, "wumin", "S009"),
    ("chenjing", "陈静", "manager", "销售部/餐饮部", "餐饮促销主管", None, "zhaogang", "S010"),
    ("chuyang", "褚洋", "salesperson", "销售部/餐饮部", "餐饮业务员", None, "chenjing", "S011"),
    ("weixue", "卫雪", "salesperson", "销售部/餐饮部", "餐饮业务员", None, "chenjing", "S012"),
    ("jiangtao", "蒋涛", "clerk", "综合办公室", "内勤", None, "zhaogang", "S013"),
    ("shenyan", "沈燕", "statistician", "综合办公室", "统计员", None, None, "S014"),
    ("hanlei", "韩磊", "warehouse", "仓储部", "仓管员", None, None, "S015"),
    ("yangli", "杨丽", "clerk", "财务部", "会计", None, None, "S016"),
]


def run(session, ctx) -> None:
    from crm_tui.services.demo import DEMO_PASSWORD

    dept_ids = {path: departments.ensure_path(session, ctx.actor, path) for path in DEPARTMENTS}
    dept_ids["销售部"] = departments.ensure_path(session, ctx.actor, "销售部")
    pw = hash_password(DEMO_PASSWORD)  # one hash for all demo users: the demo is for looking around
    by_login: dict[str, User] = {}
    for login, name, role, dept, position, area, sup, number in STAFF:
        user = User(login=login, display_name=name, role=role, department_id=dept_ids[dept], position=position,
                    area=area, staff_number=number, password_hash=pw, active=True,
                    supervisor_id=by_login[sup].id if sup else None)
        session.add(user)
        session.flush()
        by_login[login] = user
    from crm_tui.db.models.people import Department

    heads = {"销售部": "zhaogang", "销售部/商团部": "qianli", "销售部/流通部": "wumin", "销售部/餐饮部": "chenjing"}
    for path, login in heads.items():
        session.get(Department, dept_ids[path]).manager_id = by_login[login].id
    session.flush()
    ctx.made["departments"] = dept_ids
    ctx.made["users"] = {login: u.id for login, u in by_login.items()}
