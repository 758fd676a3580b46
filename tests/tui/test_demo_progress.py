"""The demo company (~10 s to write) says which step it is at: in the palette's dialog, at setup and on the CLI."""

import pytest

from crm_tui.app import CrmApp
from crm_tui.i18n import _
from crm_tui.services import demo as demo_service
from crm_tui.services.common.plugins import resolve
from tests.tui.helpers import screen_text, settle, wait_for_text


def _step_titles() -> list[str]:
    return [_(resolve(step).TITLE) for step in demo_service.STEPS]


async def test_the_palette_fills_the_demo_company_step_by_step(engine, admin):
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await settle(pilot)
        from crm_tui.screens.commands import CrmCommands

        commands = dict(CrmCommands(app.screen)._commands())
        commands["System: fill the demo company (empty database)"]()
        await pilot.pause()
        dialog = app.screen
        assert type(dialog).__name__ == "DemoDialog"
        # the bar's step line shows while it works
        assert await wait_for_text(pilot, f"/{len(demo_service.STEPS)}] ")
        await settle(pilot, 6, timeout=180)
        assert type(app.screen).__name__ == "MainScreen"
        assert dialog.steps == [*_step_titles(), _("Done")]
        assert any("Demo company ready" in str(n.message) for n in app._notifications)


async def test_the_demo_refuses_a_database_in_use(engine, admin, make_user):
    make_user("zhangsan")
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await settle(pilot)
        app.action_fill_demo()
        await settle(pilot)
        assert "only be added to an empty database" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"


@pytest.mark.xdist_group("demo")
def test_crm_demo_prints_a_line_per_step(demo):
    n = len(demo_service.STEPS)
    for i, title in enumerate(_step_titles()):
        assert f"[{i}/{n}] {title}" in demo.output
    assert f"[{n}/{n}] Done" in demo.output
