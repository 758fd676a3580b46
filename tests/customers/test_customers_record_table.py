"""The virtual table: a million rows, only the pages on screen fetched; wide characters cut with an ellipsis."""

from rich.cells import cell_len
from textual.app import App, ComposeResult

from crm_tui.widgets.record_table import Column, RecordTable, fit
from tests.tui.helpers import settle


class MillionRows:
    def __init__(self, total=1_000_000):
        self.total = total
        self.fetched: list[tuple[int, int]] = []

    def count(self):
        return self.total

    def fetch(self, offset, limit):
        self.fetched.append((offset, limit))
        end = min(offset + limit, self.total)
        return [(i, (f"K{i:07d}", f"临沂华夏商贸有限公司第{i}分公司", f"{i * 1.5:,.2f}")) for i in range(offset, end)]


class TableApp(App):
    def __init__(self, source):
        super().__init__()
        self.source = source
        self.activated = []

    def compose(self) -> ComposeResult:
        yield RecordTable([Column("编号", 9), Column("客户名称", 0), Column("金额", 14, "right")], self.source,
                          id="t")

    def on_record_table_row_activated(self, event):
        self.activated.append(event.key)


def lines(app):
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def test_a_million_rows_scroll_without_loading_them():
    source = MillionRows()
    app = TableApp(source)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        table = app.query_one(RecordTable)
        assert table.total == 1_000_000
        text = lines(app)
        assert "编号" in text[0] and "K0000000" in text[1]
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor == 999_999 and table.cursor_key == 999_999
        assert any("K0999999" in line for line in lines(app))
        await pilot.press("pageup", "up", "enter")
        await settle(pilot)
        assert app.activated == [999_999 - 19 - 1]
        await pilot.press("home")
        await settle(pilot)
        assert table.cursor == 0
        # only the pages that were on screen were asked for
        assert len(source.fetched) <= 6 and all(limit == 100 for _o, limit in source.fetched)


async def test_marks_and_new_source():
    source = MillionRows(250)
    app = TableApp(source)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        table = app.query_one(RecordTable)
        table.focus()
        await pilot.press("space", "space")
        assert table.marked == {0, 1} and table.cursor == 2
        await pilot.press("ctrl+a")
        assert table.marked_all and not table.marked
        table.set_source(MillionRows(3))
        await settle(pilot)
        assert table.total == 3 and not table.marked_all and table.cursor == 0
        await pilot.press("end", "down")
        assert table.cursor == 2


def test_fit_cuts_wide_characters_with_an_ellipsis():
    assert fit("临沂华夏商贸", 7) == "临沂华…"
    assert cell_len(fit("临沂华夏商贸", 8)) == 8 and fit("临沂华夏商贸", 8).endswith("…")
    assert fit("ABC", 5) == "ABC  " and fit("12.50", 7, "right") == "  12.50"
    assert fit("临沂", 4) == "临沂"
