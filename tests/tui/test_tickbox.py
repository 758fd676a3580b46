"""TickBox shows its state in the text itself, not only in colour."""

from textual.app import App

from crm_tui.widgets.tickbox import TickBox


class _Box(App):
    def compose(self):
        yield TickBox("导入正确的行", False, id="box")


async def test_tick_shows_without_colour():
    app = _Box()
    async with app.run_test(size=(40, 3)) as pilot:
        box = app.query_one("#box", TickBox)
        assert "✓" not in box.render().plain
        await pilot.click("#box")
        await pilot.pause()
        assert box.value is True and "✓" in box.render().plain
