"""Transferring some of one salesperson's customers, and adding a department path: one service call each,
as ``crm customers transfer --from`` and ``crm departments add`` make them."""

import pytest

from crm_tui.core.errors import ValidationError
from crm_tui.services.admin import departments
from crm_tui.services.customers import records as customers
from crm_tui.services.customers.transfer import transfer_from
from crm_tui.services.runner import read, run


def test_transfer_from_moves_only_that_salespersons_customers(engine, admin, make_user):
    sun, li = make_user("sun", name="孙伟"), make_user("li", name="李娜")
    ids = run(engine, admin, lambda s: [customers.create_customer(s, admin, name=n, owner_id=o.id)
                                        for n, o in (("甲记", sun), ("乙记", sun), ("丙记", li))])
    with pytest.raises(ValidationError, match=r"Not owned by 孙伟: K\d+"):
        run(engine, admin, lambda s: transfer_from(s, admin, sun.id, [ids[0], ids[2]], li.id))
    owners = read(engine, admin, lambda s: [customers.get_customer(s, admin, i).owner for i in ids])
    assert owners == ["孙伟", "孙伟", "李娜"]  # nothing moved
    moved = run(engine, admin, lambda s: transfer_from(s, admin, sun.id, [ids[0]], li.id))
    assert moved.customers == 1
    assert read(engine, admin, lambda s: customers.get_customer(s, admin, ids[0]).owner) == "李娜"


def test_a_department_path_gets_its_levels_and_its_manager(engine, admin, make_user):
    wang = make_user("wang", "manager", "王经理")
    dept = run(engine, admin, lambda s: departments.add_department_path(s, admin, "销售部/商团部", None, wang.id))
    rows = {r.path: r for r in read(engine, admin, departments.list_departments)}
    assert rows[next(p for p in rows if p.endswith("商团部"))].id == dept
    assert rows[next(p for p in rows if p.endswith("商团部"))].manager == "王经理"
    assert {r.manager for r in rows.values() if r.id != dept} == {None}
    child = run(engine, admin, lambda s: departments.add_department_path(s, admin, "华东组", dept))
    assert read(engine, admin, lambda s: departments.find_department(s, "华东组").parent_id) == dept == (
        read(engine, admin, lambda s: departments.find_department(s, str(child)).parent_id))
