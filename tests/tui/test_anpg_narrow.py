"""The Analysis area at 80×24: the table keeps the columns that fit (no sideways scrolling) and writes the
highlighted row's others under it; F8 shows the table alone, the chart alone, then both again."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList, Static
from textual_plotext import PlotextPlot

from crm_tui.screens.analysis.fit import fitting, rest_of_row
from tests.tui.helpers import settle


def test_fitting_counts_wide_characters_and_keeps_the_first_column():
    headers, rows = ["编码", "名称", "金额"], [["K1", "临沂大酒店", "1,000.00"]]
    assert fitting(headers, rows, 100) == 3
    assert fitting(headers, rows, 6 + 12) == 2  # 编码 is 4 columns + 2, 临沂大酒店 10 + 2
    assert fitting(headers, rows, 6 + 11) == 1
    assert fitting(headers, rows, 3) == 1  # the column naming the row always shows
    assert rest_of_row(headers, ["K1", "临沂大酒店", ""], 1) == "名称 临沂大酒店"
    assert rest_of_row(headers, rows[0], 1) == "名称 临沂大酒店 · 金额 1,000.00"


async def test_narrow_table_fits_and_f8_switches_the_view(still_app):
    app = still_app("zh_CN", "admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_area("analysis")
        await settle(pilot)
        pane = app.screen.query_one("AnalysisPane")
        pane.query_one("#analysis-list", OptionList).focus()
        await pilot.press("down", "down")  # reorder overdue: nine columns
        await settle(pilot, rounds=4)
        table = pane.query_one("#analysis-table", DataTable)
        assert pane.report.name == "reorder" and table.row_count > 0
        assert 0 < len(table.columns) < len(pane.report.columns)
        assert table.virtual_size.width <= table.size.width  # nothing to scroll to
        rest = str(pane.query_one("#analysis-rest", Static).render())
        assert "逾期天数" in rest and pane.query_one("#analysis-rest").display
        chart = pane.query_one("#analysis-chart", PlotextPlot)
        await pilot.press("f8")
        await settle(pilot)
        assert table.display and not chart.display
        await pilot.press("f8")
        await settle(pilot)
        assert chart.display and not table.display and not pane.query_one("#analysis-rest").display
        await pilot.press("f8")
        await settle(pilot)
        assert chart.display and table.display
    app = still_app("zh_CN", "admin")
    async with app.run_test(size=(160, 36)) as pilot:  # wide: every column, nothing written under the table
        await settle(pilot)
        app.open_area("analysis")
        await settle(pilot)
        pane = app.screen.query_one("AnalysisPane")
        pane.query_one("#analysis-list", OptionList).focus()
        await pilot.press("down", "down")
        await settle(pilot, rounds=4)
        assert len(pane.query_one("#analysis-table", DataTable).columns) == len(pane.report.columns)
        assert not pane.query_one("#analysis-rest").display
