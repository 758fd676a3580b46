"""Pilot flows: the today view is the home screen; its lines open their records; reminders are set and closed;
an announcement is read; the customer page and the employee page open with their tabs and counts."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from textual.widgets import DataTable, Input, OptionList, TabbedContent

from crm_tui.app import CrmApp
from crm_tui.core import clock
from crm_tui.db.models.notices import AnnouncementRead, Reminder
from crm_tui.db.session import read_session, transaction
from crm_tui.services.customers import contact_logs
from crm_tui.services.customers import records as customers
from crm_tui.services.today import announcements, reminders
from tests.tui.helpers import fill, screen_text, settle

DAY = datetime(2026, 11, 30, 9, 30)
pytestmark = pytest.mark.today_home


@pytest.fixture
def team(engine, admin, make_user):
    mgr = make_user("mgr", "manager", "钱经理")
    s1 = make_user("s1", "salesperson", "孙伟", supervisor_id=mgr.id)
    s2 = make_user("s2", "salesperson", "李娜", supervisor_id=mgr.id)
    with transaction(engine, admin) as s:
        mine = customers.create_customer(s, admin, code="K1", name="临沂华夏商贸", owner_id=s1.id)
        theirs = customers.create_customer(s, admin, code="K2", name="兰山百盛超市", owner_id=s2.id)
    with clock.frozen(DAY), transaction(engine, s1) as s:
        contact_logs.add_log(s, s1, mine, "visit", "拜访老板", at=datetime(2026, 11, 28, 10), next_follow_up="2026-11-30")
        reminders.add_reminder(s, s1, "2026-11-30 09:00", "回电话确认到货", kind="customer", record_id=mine)
    with clock.frozen(DAY), transaction(engine, s2) as s:
        reminders.add_reminder(s, s2, "2026-11-30 09:00", "李娜的提醒", kind="customer", record_id=theirs)
    with clock.frozen(DAY), transaction(engine, mgr) as s:
        announcements.post(s, mgr, "年终盘点安排", "12月28日起各仓库盘点")
    return mgr, s1, s2, mine


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen(DAY):
        yield


async def until(pilot, condition, timeout: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the screen never showed what was expected:\n" + screen_text(pilot.app)
        await pilot.pause(0.05)


async def home(pilot) -> DataTable:
    await settle(pilot)
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "MainScreen")
    await until(pilot, lambda: "things to act on today" in screen_text(pilot.app))
    return pilot.app.screen.query_one("#today-list", DataTable)


async def cursor_to(pilot, table: DataTable, text: str) -> None:
    rows = [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
    index = next(i for i, r in enumerate(rows) if text in r)
    table.focus()
    table.move_cursor(row=index)
    await pilot.pause()


async def test_the_today_view_is_home_and_its_lines_open_their_records(engine, team):
    _mgr, _s1, _s2, mine = team
    app = CrmApp(engine=engine, auto_login=("s1", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        table = await home(pilot)
        assert app.screen.current_area == "today"
        text = screen_text(app)
        assert "回电话确认到货" in text and "李娜的提醒" not in text and "年终盘点安排" in text
        await until(pilot, lambda: "Today: 3" in screen_text(app) and "Reminders due: 1" in screen_text(app))
        await cursor_to(pilot, table, "拜访老板")  # a follow-up: Enter opens the customer page
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "CustomerPageScreen")
        await until(pilot, lambda: "Contact logs 1" in screen_text(app))
        assert "临沂华夏商贸" in screen_text(app)
        await pilot.press("f4")  # the customer's details, with their own keys
        await until(pilot, lambda: type(app.screen).__name__ == "CustomerScreen")
        await pilot.press("escape")
        await until(pilot, lambda: type(app.screen).__name__ == "CustomerPageScreen")
        await pilot.press("escape")
        await until(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        await cursor_to(pilot, table, "回电话确认到货")
        await pilot.press("ctrl+d")  # the reminder is done and leaves the list
        await until(pilot, lambda: "回电话确认到货" not in screen_text(app))
    with read_session(engine) as s:
        assert s.scalar(select(Reminder.state).where(Reminder.note == "回电话确认到货")) == "done"


async def test_a_reminder_is_set_from_the_today_view(engine, team):
    app = CrmApp(engine=engine, auto_login=("s1", "pass-1234"))
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot)
        await pilot.press("f2")
        await until(pilot, lambda: type(app.screen).__name__ == "ReminderForm")
        assert app.screen.query_one("#due", Input).value == "2026-12-01 09:00"  # tomorrow morning
        await fill(pilot, "#due", "2026-11-30 08:15")
        await fill(pilot, "#note", "call")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        await until(pilot, lambda: "call" in screen_text(app))
    with read_session(engine) as s:
        assert s.scalar(select(Reminder.due_at).where(Reminder.note == "call")) == datetime(2026, 11, 30, 8, 15)


async def test_a_bad_due_time_is_said_in_the_form_and_nothing_is_written(engine, team):
    app = CrmApp(engine=engine, auto_login=("s1", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await home(pilot)
        await pilot.press("f2")
        await until(pilot, lambda: type(app.screen).__name__ == "ReminderForm")
        await fill(pilot, "#due", "soon")
        await fill(pilot, "#note", "x")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ReminderForm" and "2026-11-30 09:00" in screen_text(app)
    with read_session(engine) as s:
        assert s.scalar(select(Reminder.id).where(Reminder.note == "x")) is None


async def test_reading_an_announcement_writes_the_receipt(engine, team):
    _mgr, s1, _s2, _mine = team
    app = CrmApp(engine=engine, auto_login=("s1", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        table = await home(pilot)
        await cursor_to(pilot, table, "年终盘点安排")
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "AnnouncementView")
        assert "12月28日起各仓库盘点" in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        await until(pilot, lambda: "年终盘点安排" not in screen_text(app))  # read: no longer on the list
    with read_session(engine) as s:
        assert s.scalar(select(AnnouncementRead.user_id)) == s1.id


async def test_a_manager_opens_a_persons_page(engine, team):
    app = CrmApp(engine=engine, auto_login=("mgr", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await home(pilot)
        await pilot.press("f8")
        await until(pilot, lambda: type(app.screen).__name__ == "PeopleDialog")
        people = app.screen.query_one("#people", OptionList)
        await until(pilot, lambda: people.option_count == 3)
        names = [str(people.get_option_at_index(i).prompt) for i in range(people.option_count)]
        assert names[0] == "钱经理" and set(names) == {"钱经理", "孙伟", "李娜"}
        people.highlighted = names.index("孙伟")
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "EmployeeScreen")
        await until(pilot, lambda: "Contact logs 1" in screen_text(app))
        assert "孙伟: 2026-11-01 to 2026-11-30" in screen_text(app)
        await pilot.press("f7")  # October: nothing
        await until(pilot, lambda: "Contact logs 0" in screen_text(app))
        assert app.screen.query_one(TabbedContent).tab_count == 7  # six of main's areas and opportunities


async def test_the_customer_detail_opens_the_customer_page(engine, team):
    from crm_tui.screens.customers.detail import CustomerScreen

    _mgr, _s1, _s2, mine = team
    app = CrmApp(engine=engine, auto_login=("s1", "pass-1234"))
    async with app.run_test(size=(80, 24)) as pilot:
        await home(pilot)
        app.push_screen(CustomerScreen(mine))
        await until(pilot, lambda: "拜访老板" in screen_text(app))
        await pilot.press("ctrl+o")
        await until(pilot, lambda: type(app.screen).__name__ == "CustomerPageScreen")
        await until(pilot, lambda: "Contacts 0" in screen_text(app))


async def test_the_announce_key_shows_only_to_those_who_may_post(engine, team):
    def shown(app) -> set[str]:
        return {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}

    for login, may_post in (("s1", False), ("mgr", True)):
        app = CrmApp(engine=engine, auto_login=(login, "pass-1234"))
        async with app.run_test(size=(80, 24)) as pilot:
            await home(pilot)
            assert ("announce" in shown(app)) is may_post, login
