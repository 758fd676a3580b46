"""The new-customer form at 80×24: a 业务员 field (the salesperson's own by default, chosen by an administrator or a
clerk), a same-named customer offered instead of a silent second one, names of 2–60 characters."""

import pytest
from sqlalchemy import select
from textual.widgets import Button, Select

from crm_tui.app import CrmApp
from crm_tui.db.models.customers import Customer
from crm_tui.db.session import read_session, transaction
from crm_tui.services.customers import records as customers
from tests.tui.helpers import fill, screen_text, settle


@pytest.fixture
def team(engine, admin, make_user):
    mgr = make_user("mgr", "manager", "钱经理")
    s1 = make_user("s1", "salesperson", "孙伟", supervisor_id=mgr.id, staff_number="S003")
    s2 = make_user("s2", "salesperson", "李娜", staff_number="S004")
    make_user("clerk", "clerk", "内勤")
    with transaction(engine, admin) as s:
        existing = customers.create_customer(s, admin, code="K2", name="临沂华夏商贸", owner_id=s1.id)
    return s1, s2, existing


def owners_by_name(engine) -> dict[str, list[int | None]]:
    out: dict[str, list[int | None]] = {}
    with read_session(engine) as s:
        for c in s.scalars(select(Customer).order_by(Customer.id)):
            out.setdefault(c.name, []).append(c.owner_id)
    return out


def form_message(app) -> str:
    return str(app.screen.query_one("#form-message").render())


async def new_form(pilot, name: str):
    await settle(pilot)
    await settle(pilot)
    await pilot.press("f2")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "CustomerForm"
    await fill(pilot, "#name", name)


async def test_a_salespersons_new_customer_is_theirs_by_default(engine, team):
    s1, s2, _existing = team
    app = CrmApp(engine=engine, auto_login=("s1", "pass-1234"))
    async with app.run_test(size=(80, 24)) as pilot:
        await new_form(pilot, "兰山五金店")
        owner = app.screen.query_one("#owner_id", Select)
        assert owner.value == s1.id
        assert [v for _label, v in owner._options if v is not Select.NULL] == [s1.id]  # not 李娜: not theirs
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
    assert owners_by_name(engine)["兰山五金店"] == [s1.id]


@pytest.mark.parametrize("login", ["admin", "clerk"])
async def test_an_admins_or_clerks_new_customer_can_be_given_a_salesperson(engine, team, login):
    s1, s2, _existing = team
    app = CrmApp(engine=engine, auto_login=(login, "admin-pass" if login == "admin" else "pass-1234"))
    async with app.run_test(size=(80, 24)) as pilot:
        await new_form(pilot, "河东粮油")
        owner = app.screen.query_one("#owner_id", Select)
        assert owner.value is Select.NULL  # the public pool unless they choose
        owner.value = s2.id
        await pilot.press("ctrl+s")
        await settle(pilot)
        await new_form(pilot, "公海粮油")
        await pilot.press("ctrl+s")
        await settle(pilot)
    found = owners_by_name(engine)
    assert found["河东粮油"] == [s2.id] and found["公海粮油"] == [None]


async def test_a_same_name_offers_the_existing_customer(engine, team):
    s1, _s2, existing = team
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        await new_form(pilot, "临沂 华夏商贸")  # the same name once the space is ignored
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "DuplicateNameDialog"
        assert "K2 临沂华夏商贸" in screen_text(app)
        assert app.focused is app.screen.query_one("#open", Button)
        await pilot.press("escape")  # back to the form, as typed, and told why
        await settle(pilot)
        assert type(app.screen).__name__ == "CustomerForm" and "K2 临沂华夏商贸" in form_message(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")  # 打开已有客户
        await settle(pilot)
        assert type(app.screen).__name__ == "CustomerScreen" and "临沂华夏商贸" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        await new_form(pilot, "临沂华夏商贸")
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.screen.query_one("#create", Button).press()  # 仍然新建
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
    assert owners_by_name(engine)["临沂华夏商贸"] == [s1.id, None]
    assert existing


async def test_a_one_character_name_is_refused_in_the_form(engine, team):
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        await new_form(pilot, "甲")
        assert "2 to 60 characters" in form_message(app)  # as you type
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CustomerForm"
    assert "甲" not in owners_by_name(engine)
