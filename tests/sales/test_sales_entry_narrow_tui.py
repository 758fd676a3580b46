"""Quote entry on a laptop-sized terminal (80×24): the line fields stack under the product picker and a quote of
two lines goes in end to end; 含税 ⇄ 不含税 converts the typed price; a lower price shows its discount; at 120
columns the line header (价税合计 included) stays on one line."""

from decimal import Decimal as D

from rich.cells import cell_len
from sqlalchemy import select
from textual.widgets import Input, OptionList, Select, Static

from crm_tui.app import CrmApp
from crm_tui.db.models.sales import Quote, QuoteLine
from crm_tui.db.session import read_session
from tests.tui.helpers import fill, settle


async def _new_quote(pilot, app):
    pane = app.screen.show_area("sales")
    await settle(pilot)
    pane.show_tab("quotes")
    await settle(pilot)
    await pilot.press("f2")
    await settle(pilot)
    assert type(app.screen).__name__ == "DocumentEntry"
    return app.screen


async def _pick(pilot, text: str) -> None:
    await pilot.press(*text)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_quote_of_two_lines_at_80_by_24(engine, world):
    app = CrmApp(engine=engine, auto_login=("clerk", "pass-1234"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        entry = await _new_quote(pilot, app)
        assert entry.has_class("narrow")
        product, qty = entry.query_one("#product"), entry.query_one("#qty", Input)
        # stacked: the product picker has the row to itself, the fields sit below it, all inside 80 columns
        assert qty.region.y > product.region.y and product.region.width > 60
        for widget_id in ("qty", "basis", "price", "rate", "discount"):
            region = entry.query_one(f"#{widget_id}").region
            assert region.width > 0 and region.right <= 80, widget_id
        await _pick(pilot, "lydjd")  # 临沂大酒店 by its initials
        assert entry.customer is not None and entry.customer.code == "K001"
        await _pick(pilot, "P1")
        assert app.focused.id == "qty"
        await pilot.press("backspace", "3", "enter")
        await settle(pilot)
        assert app.focused.id == "price" and app.focused.value == "113.00"
        await fill(pilot, "#price", "101.70")  # under the list price: the 折扣 column says 10%
        await pilot.press("enter")
        await settle(pilot)
        await _pick(pilot, "P2")
        await pilot.press("backspace", "5", "enter", "enter")
        await settle(pilot)
        assert len(entry.lines) == 2
        rows = [str(o.prompt) for o in entry.query_one("#lines", OptionList).options]
        assert "10%" in rows[0] and "P1" in rows[0] and "P2" in rows[1]
        assert all(cell_len(r) <= 74 for r in rows)  # the list fits the screen
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert entry.doc_id is not None
    with read_session(engine) as s:
        quote = s.scalars(select(Quote)).one()
        lines = s.scalars(select(QuoteLine).order_by(QuoteLine.line_no)).all()
    assert quote.customer_id == world.c1 and quote.status == "draft"
    assert [(ln.product_id, ln.quantity, ln.entered_price, ln.price_basis) for ln in lines] == [
        (world.p1, 3, D("101.70"), "gross"), (world.p2, 5, D("11.30"), "gross")]
    assert [ln.gross_amount for ln in lines] == [D("305.10"), D("56.50")] and quote.gross_total == D("361.60")


async def test_switching_to_net_converts_the_price_and_back(engine, world):
    app = CrmApp(engine=engine, auto_login=("clerk", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        entry = await _new_quote(pilot, app)
        await _pick(pilot, "lydjd")
        await _pick(pilot, "P1")
        await fill(pilot, "#price", "19.90")
        basis = entry.query_one("#basis", Select)
        basis.value = "net"
        await settle(pilot)
        assert entry.query_one("#price", Input).value == "17.6106"  # 19.90 / 1.13, not 19.90 carried over
        assert "17.6106" in str(entry.query_one("#preview").render())
        basis.value = "gross"
        await settle(pilot)
        assert entry.query_one("#price", Input).value == "19.90"
        # a new line under 不含税 gets the product's net list price
        basis.value = "net"
        await settle(pilot)
        await pilot.press("enter")  # price -> add the line
        await settle(pilot)
        assert entry.lines[0].basis == "net" and entry.lines[0].price == D("17.6106")
        await _pick(pilot, "P1")
        assert entry.query_one("#price", Input).value == "100.00"  # 113.00 incl. 13% -> 100.00 net
        # ctrl+b: the whole document back to 含税, every line converted
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert [(ln.basis, ln.price) for ln in entry.lines] == [("gross", D("19.9000"))]
        assert entry.query_one("#price", Input).value == "113.00" and entry.basis == "gross"


async def test_line_header_fits_at_120_columns_in_chinese(engine, world):
    from crm_tui.i18n import set_language

    set_language("zh")
    app = CrmApp(engine=engine, auto_login=("clerk", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        entry = await _new_quote(pilot, app)
        assert not entry.has_class("narrow")
        assert entry.query_one("#rate").parent.query("Label")[1].render().plain == "税率"  # not 税额
        head = entry.query_one("#lines-head", Static)
        assert head.region.height == 1 and "价税合计" in str(head.render())
        assert head.region.right <= 120
