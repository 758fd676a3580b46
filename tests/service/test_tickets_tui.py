"""The service area (服务) with Pilot: open a ticket through the form, follow it up, resolve and close it with a
score, reopen it; every key of the area pressed at 80×24 on the demo company."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from crm_tui.core import clock
from crm_tui.db.models.service import Ticket, TicketLog
from crm_tui.db.session import read_session, transaction
from tests.tui.helpers import fill, screen_text, settle, wait_for_text

DAY = datetime(2026, 11, 30, 9, 30)


@pytest.fixture
def shop(engine, admin, make_user):
    from crm_tui.services.customers import contacts
    from crm_tui.services.customers import records as customers

    s1 = make_user("s1", "salesperson", "孙伟", staff_number="S003")
    make_user("clerk", "clerk", "蒋涛", staff_number="S013")
    with transaction(engine, s1) as s:
        cid = customers.create_customer(s, s1, name="临沂东方便利店")
        contacts.add_contact(s, s1, cid, name="张三", is_primary=True)
    return cid


async def _area(pilot):
    await settle(pilot)
    await settle(pilot)
    pilot.app.open_area("service")
    await settle(pilot)


async def _area_text(pilot, text: str):
    from textual.widgets import TextArea

    area = pilot.app.screen.query_one(TextArea)
    area.focus()
    area.insert(text)
    await pilot.pause()


def _ticket(engine) -> Ticket:
    with read_session(engine) as s:
        return s.scalars(select(Ticket)).one()


async def test_open_follow_up_resolve_close_and_reopen_a_ticket(engine, shop):
    from textual.widgets import Select

    from crm_tui.app import create_app

    app = create_app(engine=engine, auto_login=("admin", "admin-pass"))
    with clock.frozen(DAY):
        async with app.run_test(size=(120, 36)) as pilot:
            await _area(pilot)
            await pilot.press("f2")
            await settle(pilot)
            assert type(app.screen).__name__ == "TicketForm"
            assert app.focused.id == "customer"  # the customer picker has the focus when the form opens
            await pilot.press("ctrl+s")  # nothing chosen yet: the form says so and stays
            await settle(pilot)
            assert await wait_for_text(pilot, "Customer: required")
            await fill(pilot, "#customer", "dfbld")  # initials of 东方便利店
            await settle(pilot)
            await pilot.press("enter")  # Enter takes the highlighted match
            await settle(pilot)
            assert app.screen.query_one("#contact_id", Select).value is not Select.NULL  # the primary contact
            app.screen.query_one("#priority", Select).value = "urgent"
            await fill(pilot, "#subject", "冰柜不制冷")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert type(app.screen).__name__ == "MainScreen"
            t = _ticket(engine)
            assert (t.number, t.status, t.priority, t.kind) == ("TK202611-0001", "new", "urgent", "repair")
            assert t.contact_id is not None and t.due_at == datetime(2026, 11, 30, 13, 30)
            assert await wait_for_text(pilot, "TK202611-0001")

            app.screen.query_one("#tickets").focus()
            await pilot.press("enter")
            await settle(pilot)
            assert type(app.screen).__name__ == "TicketScreen"
            assert await wait_for_text(pilot, "冰柜不制冷")

            assert _keys_shown(app) >= {"log", "assign", "resolve"}  # the footer: only what the status allows
            assert not _keys_shown(app) & {"close_ticket", "reopen"}
            await pilot.press("f10")  # close: not possible while new; the hidden key still says what is
            await settle(pilot)
            assert type(app.screen).__name__ == "TicketScreen"
            assert any("Possible now" in str(n.message) for n in app._notifications)

            await pilot.press("f6")
            await settle(pilot)
            await _area_text(pilot, "已电话联系客户")
            app.screen.query_one("#status", Select).value = "waiting"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert _ticket(engine).status == "waiting"
            assert await wait_for_text(pilot, "已电话联系客户")

            await pilot.press("f7")
            await settle(pilot)
            await _area_text(pilot, "更换温控器")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert _ticket(engine).status == "resolved"

            await pilot.press("f10")
            await settle(pilot)
            assert type(app.screen).__name__ == "CloseForm"
            await pilot.press("ctrl+s")  # no score yet
            await settle(pilot)
            assert await wait_for_text(pilot, "Satisfaction: choose the customer's score")
            app.screen.query_one("#satisfaction", Select).value = 4
            await pilot.press("ctrl+s")
            await settle(pilot)
            t = _ticket(engine)
            assert (t.status, t.satisfaction, t.resolution) == ("closed", 4, "更换温控器")
            await settle(pilot)
            assert not _keys_shown(app) & {"log", "assign", "resolve", "close_ticket"} and "reopen" in _keys_shown(app)

            await pilot.press("f11")
            await settle(pilot)
            await _area_text(pilot, "又坏了")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert _ticket(engine).status == "in_progress"
            await pilot.press("escape")
            await settle(pilot)
            assert type(app.screen).__name__ == "MainScreen"
    with read_session(engine) as s:
        actions = s.scalars(select(TicketLog.action).order_by(TicketLog.id)).all()
    assert actions == ["status", "resolve", "close", "reopen"]


async def test_the_list_marks_overdue_tickets_and_switches_lists(engine, admin, shop):
    from crm_tui.app import create_app
    from crm_tui.services.tickets import records as tickets

    with clock.frozen(datetime(2026, 11, 29, 9, 0)), transaction(engine, admin) as s:
        tickets.add_ticket(s, admin, shop, "complaint", "送货晚了", priority="high")  # due 29th 17:00
    with clock.frozen(DAY), transaction(engine, admin) as s:
        tickets.add_ticket(s, admin, shop, "inquiry", "问价格")
    app = create_app(engine=engine, auto_login=("admin", "admin-pass"))
    with clock.frozen(DAY):
        async with app.run_test(size=(80, 24)) as pilot:
            await _area(pilot)
            assert await wait_for_text(pilot, "Open tickets: 2 · overdue 1")
            text = screen_text(app)
            assert text.index("TK202611-0001") < text.index("TK202611-0002")  # overdue first
            app.screen.query_one("#tickets").focus()
            await pilot.press("f6")
            assert await wait_for_text(pilot, "Overdue tickets: 1 · overdue 1")
            assert "TK202611-0002" not in screen_text(app)


@pytest.mark.xdist_group("demo")
@pytest.mark.skipif(__import__("os").environ.get("CRM_TEST_DATABASE", "").startswith("postgres"),
                    reason="presses write keys; the PostgreSQL demo schema is shared read-only")
async def test_every_key_of_the_service_area_at_80x24(demo, _app_errors):
    from crm_tui.app import create_app
    from tests.tui.test_key_fuzz import _domain_errors, _error_class, _press_all

    app = create_app(engine=demo.engine, auto_login=("admin", "admin-pass"))
    pressed: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await _area(pilot)
        app.screen.query_one("#tickets").focus()
        await pilot.press("enter")  # a ticket's screen, with its keys, one level down
        await settle(pilot)
        await _press_all(pilot, depth=1, pressed=pressed)
        await pilot.press("escape")
        await settle(pilot)
        await _press_all(pilot, depth=1, pressed=pressed)
        assert app.is_running, pressed[-1:]
    assert len(pressed) >= 6, pressed
    domain = {c.__name__ for c in _domain_errors()}
    assert not [e for e in _app_errors if _error_class(e) not in domain], pressed


def _keys_shown(app) -> set[str]:
    return {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}
