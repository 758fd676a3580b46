"""Sales returns on screen: the returns list (ctrl+r in the sales area), a confirmed return's detail, and the
return dialog a confirmed stock-out opens with ctrl+r (see tests/tui/test_snapshots.py for how recipes work)."""

from __future__ import annotations

import os

import pytest

from tests.tui.helpers import settle
from tests.tui.snapshot_kit import LANGS, SIZES, _hold_still, run_before

pytestmark = pytest.mark.skipif(os.environ.get("CRM_TEST_DATABASE", "").startswith("postgres"),
                                reason="screens look the same on both engines; pictures are taken on SQLite")

RECIPES: dict[str, tuple[str | None, tuple[str, ...], str]] = {
    "sret-list": ("sales", ("ctrl+r",), "admin"),
    "sret-detail": ("sales", ("ctrl+r", "#returns-table", "enter"), "admin"),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("recipe", RECIPES)
def test_screen(snap_compare, still_app, recipe, size, lang):
    area, keys, login = RECIPES[recipe]
    assert snap_compare(still_app(lang, login), terminal_size=SIZES[size], run_before=run_before(area, keys))


def _from_a_stock_out():
    """The stock-outs tab, its newest confirmed stock-out selected, ctrl+r: the return dialog."""
    opened = run_before("sales", ())

    async def run(pilot) -> None:
        await opened(pilot)
        pane = pilot.app.screen.query_one("SalesPane")
        pane.show_tab("outs")
        await settle(pilot, rounds=4)
        rows = pane.rows.get("outs", [])
        index = next(i for i, r in enumerate(rows) if r.status == "confirmed")
        table = pilot.app.screen.query_one("#table-outs")
        table.focus()
        table.move_cursor(row=index)
        await pilot.press("ctrl+r")
        await settle(pilot, rounds=4)
        await pilot.pause(0.2)
        await settle(pilot)
        await _hold_still(pilot)

    return run


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_return_dialog(snap_compare, still_app, size, lang):
    assert snap_compare(still_app(lang, "admin"), terminal_size=SIZES[size], run_before=_from_a_stock_out())
