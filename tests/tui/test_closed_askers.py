"""A result that fails to show: reported while its widget lives (after it is gone there is nowhere to show it)."""

from crm_tui.widgets.work import start_work
from tests.tui.helpers import settle
from tests.tui.test_work import _App, _Asker


async def test_a_result_that_fails_to_show_on_a_live_widget_is_still_reported():
    async with _App().run_test() as pilot:
        asker = pilot.app.query_one(_Asker)
        start_work(asker, lambda job: 1, done=lambda _r: asker.query_one("#missing"))
        await settle(pilot)
        assert [type(e).__name__ for e in pilot.app.errors] == ["NoMatches"]
