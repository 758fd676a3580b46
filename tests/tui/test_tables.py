"""Tables size their columns from what they hold at once; a tab chosen by a command stays chosen."""

from __future__ import annotations

from textual.app import App
from textual.widgets import DataTable, TabbedContent, TabPane

from crm_tui.widgets.held_tabs import HeldTabs
from crm_tui.widgets.tables import SizedTable, rebuild_table


class _TableApp(App):
    def compose(self):
        yield SizedTable(id="sized")
        yield DataTable(id="plain")


async def test_a_row_widens_its_columns_before_the_table_is_idle():
    async with _TableApp().run_test() as pilot:
        table = pilot.app.query_one("#sized", SizedTable)
        table.add_columns("客户", "余额")
        table.add_row("临沂大酒店", "1,000.00")
        assert [c.content_width for c in table.ordered_columns] == [10, 8]


async def test_rebuild_sets_each_width_from_the_widest_cell_and_keeps_keys():
    async with _TableApp().run_test() as pilot:
        table = pilot.app.query_one("#plain", DataTable)
        table.add_columns("old")
        rebuild_table(table, ["客户名称", "应收"], [["临沂大酒店", "226.00"], ["兰山", None]], keys=["K001", "K003"])
        assert [(c.label.plain, c.width) for c in table.ordered_columns] == [("客户名称", 10), ("应收", 6)]
        assert [r.value for r in table.rows] == ["K001", "K003"]


class _Pane(HeldTabs, TabPane):
    def compose(self):
        with TabbedContent(id="tabs"):
            for name in ("one", "two", "three"):
                with TabPane(name, id=f"tab-{name}"):
                    yield SizedTable(id=f"t-{name}")

    def focus_first(self) -> None:
        pass

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.undo_stray_tab(event)


class _TabsApp(App):
    def compose(self):
        with TabbedContent():
            yield _Pane("pane", id="pane")


async def test_a_held_tab_is_restored_after_a_stray_switch_until_the_user_acts():
    app = _TabsApp()
    async with app.run_test() as pilot:
        pane = app.query_one(_Pane)
        tabs = pane.query_one("#tabs", TabbedContent)
        await pilot.pause()
        pane.hold_tab("tab-three")
        await pilot.pause()
        assert tabs.active == "tab-three"
        tabs.active = "tab-one"  # what a late first activation or a focus in another tab does
        for _ in range(5):
            await pilot.pause()
        assert tabs.active == "tab-three"
        pane.on_key(None)  # the user's own key: switches are theirs again
        tabs.active = "tab-two"
        for _ in range(5):
            await pilot.pause()
        assert tabs.active == "tab-two"
