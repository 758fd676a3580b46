"""Staff roster import: users and departments created or updated, supervisors, errors, dry run."""

import pytest
from sqlalchemy import select

from crm_tui.core.errors import PermissionDenied
from crm_tui.db.models.people import User
from crm_tui.services.admin import departments
from crm_tui.services.admin.staff_import import import_staff
from tests.io.io_builders import write_xlsx

HEADER = ["工号", "姓名", "部门", "岗位", "片区", "上级"]


def people(ro, admin):
    with ro(admin) as s:
        return {u.staff_number: u for u in s.scalars(select(User)) if u.staff_number}


def test_roster_creates_and_updates(engine, org, ro, tmp_path):
    path = write_xlsx(tmp_path / "staff.xlsx", [
        HEADER,
        ["S100", "马经理", "销售部/餐饮部", None, None, "S001"],     # 上级 already in the database (赵总)
        ["S101", "刘洋", "销售部/餐饮部", "餐饮业务员", "城北片区", "马经理"],  # 上级 by name, in the file
        ["S003", "孙伟", "销售部/商团部", "商超业务员", "罗庄片区", "S002"],   # existing: area changes
        [102.0, "黄磊", "仓储部", "仓管员", None, None],               # 工号 typed as a number
    ], title="员工花名册")
    summary = import_staff(engine, org.admin, path)
    assert summary.written and not summary.errors
    assert summary.created == ["s100", "s101", "102"] and summary.updated == 1
    assert "销售部 › 餐饮部" in summary.departments and "仓储部" in summary.departments
    got = people(ro, org.admin)
    assert got["S100"].supervisor_id == org.boss.id
    assert got["S101"].supervisor_id == got["S100"].id and got["S101"].area == "城北片区"
    assert got["S101"].password_hash is None and got["S101"].role == "salesperson" and got["S101"].active
    assert got["S003"].area == "罗庄片区" and got["S003"].id == org.s1.id
    with ro(org.admin) as s:
        assert departments.find_department(s, "销售部/餐饮部").id == got["S101"].department_id
    again = import_staff(engine, org.admin, path)  # the same roster again changes nothing
    assert again.created == [] and again.updated == 0 and again.unchanged == 4


def test_bad_roster_writes_nothing(engine, org, ro, tmp_path):
    path = write_xlsx(tmp_path / "bad.xlsx", [
        HEADER,
        ["S200", "甲", None, None, None, "无此人"],
        ["S201", None, None, None, None, None],
        ["S201", "乙", None, None, None, None],
        ["员工三", "丙", None, None, None, None],
        ["S204", "丁", None, None, None, "S204"],
    ])
    summary = import_staff(engine, org.admin, path)
    assert not summary.written
    text = "\n".join(str(e) for e in summary.errors)
    assert "row 2, column 上级" in text and "row 3, column 姓名" in text and "row 4, column 工号" in text
    assert "row 5, column 工号" in text and "row 6, column 上级" in text
    assert not ({"S200", "S201", "S204"} & set(people(ro, org.admin)))


def test_dry_run_and_rights(engine, org, ro, tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [HEADER, ["S300", "新人", "新部门", None, None, None]])
    summary = import_staff(engine, org.admin, path, dry_run=True)
    assert summary.created == ["s300"] and summary.departments == ["新部门"] and not summary.written
    assert "S300" not in people(ro, org.admin)
    with pytest.raises(PermissionDenied):
        import_staff(engine, org.clerk, path)
