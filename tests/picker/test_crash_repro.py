import pytest
from crm_tui.app import CrmApp
from tests.tui.helpers import settle, screen_text


async def test_repro(demo):
    app = CrmApp(engine=demo.engine, auto_login=("jiangtao", "demo1234"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"new quote")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        print(type(app.screen).__name__)
        await pilot.press(*"lydjd")
        await settle(pilot)
        print(screen_text(app))
        await pilot.press("enter")
        await settle(pilot)
        print(app.focused, app.screen.customer)
        await pilot.press("P")
        await settle(pilot)
        print(screen_text(app))
