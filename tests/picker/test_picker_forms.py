"""Forms whose record fields became pickers: the purchase order's supplier and warehouse, the stock
document's customer, the outing log's customer — typed by pinyin or initials, Enter, saved."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm_tui.app import CrmApp
from crm_tui.db.models.purchasing import PurchaseOrder, Supplier
from crm_tui.db.models.stock import Warehouse
from crm_tui.db.session import read_session
from tests.conftest import ON_PG
from tests.tui.helpers import settle

pytestmark = pytest.mark.skipif(ON_PG, reason="saves documents: the demo schema is shared on PostgreSQL")


async def _type(pilot, text: str) -> None:
    await pilot.press(*list(text))
    await settle(pilot)


async def test_purchase_order_supplier_and_warehouse_by_initials_at_80x24(demo):
    app = CrmApp(engine=demo.engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.screen.show_area("purchasing")
        await settle(pilot)
        pane.action_new_order()
        await settle(pilot)
        assert type(app.screen).__name__ == "OrderForm"
        app.screen.query_one("#po-supplier").focus()
        await _type(pilot, "qdpj")  # 青岛啤酒(临沂)有限公司
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused.parent.id == "po-warehouse"  # Enter took the first supplier and moved on
        await _type(pilot, "hdfc")  # 河东分仓
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused.id == "product-search"
        await _type(pilot, "PJ001")
        await pilot.press("enter")
        await settle(pilot)
        await _type(pilot, "10")
        await pilot.press("enter")
        await _type(pilot, "40")
        await pilot.press("enter")
        await settle(pilot)
        assert len(app.screen.lines) == 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
    with read_session(demo.engine) as s:
        order = s.scalars(select(PurchaseOrder).order_by(PurchaseOrder.id.desc())).first()
        assert s.get(Supplier, order.supplier_id).code == "S0003"
        assert s.get(Warehouse, order.warehouse_id).code == "WH02"


async def test_warehouse_keeper_picks_any_customer_for_a_sample_by_initials(demo):
    """Warehouse staff work for every customer (``handled_by`` stock.manage): the picker looks among all."""
    from crm_tui.db.models.customers import Customer
    from crm_tui.db.models.stock import StockDocument
    from crm_tui.widgets.picker import CustomerPicker

    app = CrmApp(engine=demo.engine, auto_login=("hanlei", "demo1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        pane = app.screen.show_area("stock")
        await settle(pilot)
        pane.action_new_document("sample")
        await settle(pilot)
        picker = app.screen.query_one("#customer-picker", CustomerPicker)
        picker.focus()
        await _type(pilot, "lydjd")
        assert len(picker.matches) >= 3  # the keeper owns none of them, yet sees them all
        await pilot.press("enter")
        await settle(pilot)
        chosen = picker.chosen
        assert chosen is not None and picker.input.value == f"{chosen.code} {chosen.name}"
        app.screen.query_one("#product-search").focus()
        await _type(pilot, "PJ001")
        await pilot.press("enter")
        await settle(pilot)
        await _type(pilot, "1")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
    with read_session(demo.engine) as s:
        doc = s.scalars(select(StockDocument).order_by(StockDocument.id.desc())).first()
        assert doc.kind == "sample" and s.get(Customer, doc.customer_id).code == chosen.code


async def test_user_supervisor_is_a_staff_picker(demo):
    from crm_tui.db.models.people import User
    from crm_tui.widgets.picker import StaffPicker

    app = CrmApp(engine=demo.engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.screen.show_area("admin")
        await settle(pilot)
        lina = next(i for i, u in enumerate(pane.user_rows) if u.login == "lina")
        pane.query_one("#users").move_cursor(row=lina)
        pane.action_edit()
        await settle(pilot)
        picker = app.screen.query_one("#supervisor_id", StaffPicker)
        assert picker.input.value == "S002 钱丽"  # the current supervisor, as code and name
        picker.focus()
        await _type(pilot, "zzz")  # typed over the choice, nothing chosen: refused, not cleared silently
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "UserForm"
        picker.input.value = ""
        await _type(pilot, "zg")  # 赵刚 by initials
        await pilot.press("enter")
        await settle(pilot)
        assert picker.input.value == "S001 赵刚"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
    with read_session(demo.engine) as s:
        lina, boss = (s.scalars(select(User).where(User.login == x)).one() for x in ("lina", "zhaogang"))
        assert lina.supervisor_id == boss.id


async def test_department_head_is_a_staff_picker(demo):
    from crm_tui.db.models.people import Department, User
    from tests.tui.helpers import fill

    app = CrmApp(engine=demo.engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.screen.show_area("admin")
        await settle(pilot)
        pane.action_new_department()
        await settle(pilot)
        await fill(pilot, "#name", "电商部")
        app.screen.query_one("#manager_id").focus()
        await _type(pilot, "qianli")  # 钱丽 by full pinyin (her login too)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#manager_id").input.value == "S002 钱丽"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
    with read_session(demo.engine) as s:
        dept = s.scalars(select(Department).where(Department.name == "电商部")).one()
        assert s.get(User, dept.manager_id).login == "qianli"
