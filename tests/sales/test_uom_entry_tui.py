"""The order entry at 80×24: F7 writes the line in the product's next unit (箱) and the price follows."""

from decimal import Decimal as D

from sqlalchemy import select
from textual.widgets import Input, OptionList

from crm_tui.app import CrmApp
from crm_tui.db.models.sales import QuoteLine
from crm_tui.db.session import read_session
from crm_tui.services.stock import units
from tests.tui.helpers import settle


async def _pick(pilot, text: str) -> None:
    await pilot.press(*text)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def test_f7_writes_the_line_in_boxes(engine, world, tx):
    with tx() as s:  # P2 海天酱油: kept in 桶, list price 10.00 net (11.30 incl. tax); 1 箱 = 6 桶
        units.add_unit(s, world.admin, world.p2, "箱", "6")
    app = CrmApp(engine=engine, auto_login=("clerk", "pass-1234"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.screen.show_area("sales")
        await settle(pilot)
        pane.show_tab("quotes")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        entry = app.screen
        await _pick(pilot, "lydjd")
        await _pick(pilot, "P2")
        await pilot.press("backspace", "2", "f7")
        await settle(pilot)
        assert entry.query_one("#price", Input).value == "67.80"  # 11.30 × 6
        assert "箱" in str(entry.query_one("#preview").render())
        await pilot.press("enter", "enter")
        await settle(pilot)
        row = str(entry.query_one("#lines", OptionList).options[0].prompt)
        assert "2箱" in row and "135.60" in row
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert entry.doc_id is not None
    with read_session(engine) as s:
        line = s.scalars(select(QuoteLine)).one()
    assert (line.unit, line.unit_factor, line.quantity, line.entered_price, line.gross_amount) == (
        "箱", D(6), D(2), D("67.80"), D("135.60"))
