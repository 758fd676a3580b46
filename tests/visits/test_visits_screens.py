"""The visits screens driven as a statistician and a salesperson would (Pilot)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from crm_tui.app import CrmApp
from crm_tui.db.models.customers import ContactLog
from crm_tui.db.models.visits import VisitAbsence, VisitPublication, VisitUpload, WeeklyPlanItem
from crm_tui.db.session import read_session, transaction
from tests.tui.helpers import fill, paste, screen_text, settle, wait_for_file

from .conftest import row, write_export


@pytest.fixture
def logins(engine, company, admin):
    from crm_tui.core.actor import SYSTEM
    from crm_tui.services.admin import users

    with transaction(engine, SYSTEM) as session:
        for login in ("shenyan", "sunwei"):
            users.set_password(session, SYSTEM, company.users[login], "pass-1234")
    return company


async def _open(pilot, area: str, month: str | None = None):
    await settle(pilot)
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "MainScreen"
    pane = pilot.app.screen.show_area(area)
    await settle(pilot)
    if month:
        await fill(pilot, "#visits-month", month)
        await pilot.press("enter")
        await settle(pilot)
    return pane


async def test_statistician_month_drill_down_publish_reopen_export(engine, logins, tmp_path):
    path = write_export(tmp_path / "m.xlsx", [row("褚洋", "2027-03-01 09:00"), row("褚洋", "2027-03-01 09:02"),
                                              row("褚洋", "2027-03-02 09:00", "K9999", "无此店"),
                                              row("孙伟", "2027-03-01 09:00", "K0001")])
    app = CrmApp(engine=engine, auto_login=("shenyan", "pass-1234"))
    async with app.run_test(size=(160, 40)) as pilot:
        pane = await _open(pilot, "visits", "2027-03")
        # import through the dialog, with its result summary
        await pilot.press("f6")
        await pilot.pause()
        assert type(app.screen).__name__ == "ImportDialog"
        await fill(pilot, "#import-path", str(path))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "4 uploads and 0 events added" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        text = screen_text(app)
        assert "褚洋" in text and "餐饮部" in text and "uploads 2" in text
        # drill down to 褚洋's days and void uploads
        table = app.screen.query_one("#visits-summary")
        keys = [k.value for k in table.rows]
        table.focus()
        table.move_cursor(row=next(i for i, k in enumerate(keys) if k in pane.row_people
                                   and pane.row_people[k]["staff"] == "褚洋"))
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "PersonMonthScreen"
        assert "2027-03-01" in screen_text(app)
        app.screen.query_one("#person-tabs").active = "tab-void"
        await settle(pilot)
        text = screen_text(app)
        assert "within the minimum interval" in text and "unknown customer" in text
        await pilot.press("escape")
        await settle(pilot)
        # publish a week
        await pilot.press("f7")
        await pilot.pause()
        await fill(pilot, "#period", "2027-W09")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # reopen it with a reason, confirming first
        await pilot.press("f8")
        await pilot.pause()
        await fill(pilot, "#period", "2027-W09")
        await fill(pilot, "#reason", "补录")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("enter")
        await settle(pilot)
        # absence (F2) and export (F9)
        await pilot.press("f2")
        await pilot.pause()
        await fill(pilot, "#staff", "S011")
        await fill(pilot, "#from", "2027-03-05")
        await fill(pilot, "#to", "2027-03-06")
        await pilot.press("ctrl+s")
        await settle(pilot)
        out = tmp_path / "month.xlsx"
        await pilot.press("f9")
        await pilot.pause()
        await paste(pilot, "#path", str(out))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert await wait_for_file(pilot, out)
        app.screen.query_one("#visits-tabs").active = "tab-publications"
        await settle(pilot)
        assert "2027-W09" in screen_text(app)
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(VisitUpload)) == 4
        assert s.scalar(select(VisitPublication.status)) == "reopened"
        absence = s.scalars(select(VisitAbsence)).one()
        assert (absence.start_date, absence.end_date, absence.kind) == (date(2027, 3, 5), date(2027, 3, 6), "leave")


async def test_import_dialog_shows_every_bad_row(engine, logins, tmp_path):
    path = write_export(tmp_path / "bad.xlsx", [row("王五", "2027-03-01 09:00")])
    app = CrmApp(engine=engine, auto_login=("shenyan", "pass-1234"))
    async with app.run_test(size=(160, 40)) as pilot:
        await _open(pilot, "visits")
        await pilot.press("f6")
        await pilot.pause()
        await fill(pilot, "#import-path", str(path))
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert "nothing imported" in text and "王五" in text
        await fill(pilot, "#import-path", str(tmp_path / "missing.xlsx"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "No such file" in screen_text(app)


async def test_salesperson_plans_a_week_and_registers_an_outing(engine, logins):
    app = CrmApp(engine=engine, auto_login=("sunwei", "pass-1234"))
    async with app.run_test(size=(160, 40)) as pilot:
        await _open(pilot, "week")
        await fill(pilot, "#week-week", "2027-W10")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await fill(pilot, "#day", "2027-03-08")
        await fill(pilot, "#customer", "K0001")
        await fill(pilot, "#purpose", "送样品")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "K0001" in screen_text(app) and "送样品" in screen_text(app)
        await pilot.press("f7")
        await pilot.pause()
        await fill(pilot, "#out", "2027-03-08 09:00")
        await fill(pilot, "#purpose", "巡店")
        await fill(pilot, "#customers", "K0001")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert "submitted" in screen_text(app) and "1 of 1 planned visits made" in screen_text(app)
        # the outing's contact log, from the outings tab (F4)
        app.screen.query_one("#week-tabs").active = "tab-outings"
        await settle(pilot)
        assert "0/1" in screen_text(app)
        await pilot.press("f4")
        await pilot.pause()
        assert type(app.screen).__name__ == "OutingLogForm"
        await fill(pilot, "#customer", "K0001")
        await fill(pilot, "#summary", "检查陈列")
        await fill(pilot, "#back", "2027-03-08 11:30")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "1/1" in screen_text(app)
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(WeeklyPlanItem)) == 1
        assert s.scalar(select(ContactLog.summary)) == "检查陈列"


async def test_manager_reviews_a_plan(engine, logins, admin):
    from crm_tui.core.actor import Actor
    from crm_tui.db.models.people import User
    from crm_tui.db.models.visits import WeeklyPlan
    from crm_tui.services.admin import users
    from crm_tui.services.visits import plans

    sun = Actor(logins.users["sunwei"], "sunwei", "孙伟", "salesperson")
    with transaction(engine, admin) as s:
        boss = users.add_user(s, admin, "qianli", "钱丽", "manager", "pass-1234")
        s.get(User, sun.id).supervisor_id = boss
    with transaction(engine, sun) as s:
        plans.add_item(s, sun, "2027-W10", date(2027, 3, 8), "K0001")
        plans.submit(s, sun, "2027-W10")
    app = CrmApp(engine=engine, auto_login=("qianli", "pass-1234"))
    async with app.run_test(size=(160, 40)) as pilot:
        await _open(pilot, "week")
        app.screen.query_one("#week-tabs").active = "tab-team"
        await settle(pilot)
        assert "孙伟" in screen_text(app) and "2027-W10" in screen_text(app)
        waiting = app.screen.query_one("#week-unreviewed")
        waiting.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "孙伟, week 2027-W10: submitted" in screen_text(app)
        await pilot.press("f9")
        await pilot.pause()
        await fill(pilot, "#comment", "好，抓紧落实")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "reviewed" in screen_text(app)
    with read_session(engine) as s:
        plan = s.scalars(select(WeeklyPlan)).one()
        assert (plan.status, plan.review_comment, plan.reviewed_by) == ("reviewed", "好，抓紧落实", boss)


async def test_the_weekly_plan_customer_is_picked_by_pinyin_initials_or_name(engine, logins):
    """The plan's customer field is the customer picker: initials (or a name, or pinyin) and Enter, not a code."""
    from crm_tui.widgets.picker import CustomerPicker

    app = CrmApp(engine=engine, auto_login=("sunwei", "pass-1234"))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "week")
        await fill(pilot, "#week-week", "2027-W10")
        await pilot.press("enter")
        await settle(pilot)
        for day, typed in (("2027-03-08", "wjf"), ("2027-03-09", "haoyunlai")):
            await pilot.press("f2")
            await pilot.pause()
            await fill(pilot, "#day", day)
            await fill(pilot, "#customer", typed)
            await settle(pilot)
            picker = app.screen.query_one("#customer-picker", CustomerPicker)
            assert picker.is_open and picker.options.highlighted == 0
            await pilot.press("enter")
            await settle(pilot)
            assert picker.chosen is not None and picker.input.value.startswith(picker.chosen.code + " ")
            await pilot.press("ctrl+s")
            await settle(pilot)
        text = screen_text(app)
        assert "K0002" in text and "K0001" in text
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(WeeklyPlanItem)) == 2
