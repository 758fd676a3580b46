"""The opportunities area driven from the keyboard: F2 form with customer and product pickers, the detail with
its stage history, move (refused without a quote, then allowed), make a quote, win into an order, the funnel."""

from __future__ import annotations

from decimal import Decimal as D

from sqlalchemy import select

from crm_tui.app import CrmApp
from crm_tui.db.models.opportunities import Opportunity
from crm_tui.db.models.sales import SalesOrder
from crm_tui.db.session import read_session
from tests.tui.helpers import fill, screen_text, settle, wait_for_text


async def test_add_move_quote_win_from_the_keyboard(engine, world):
    app = CrmApp(engine=engine, auto_login=("li", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.open_area("opportunities")
        await settle(pilot)
        app.screen.show_area("opportunities", focus=True)
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert type(app.screen).__name__ == "OpportunityForm"
        assert app.focused.id == "customer"  # the first field has the focus
        await pilot.press(*"lydjd")  # 临沂大酒店 by its initials; Enter takes the highlighted match
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await fill(pilot, "#title", "年货团购")
        await fill(pilot, "#line-product-input-1", "P1")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await fill(pilot, "#line-qty-1", "10")
        await fill(pilot, "#line-price-1", "100")
        await fill(pilot, "#close", "2026-13-40")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Expected close" in screen_text(app)  # the bad date is named, nothing is written
        with read_session(engine) as s:
            assert s.scalar(select(Opportunity.id)) is None
        await fill(pilot, "#close", "2026-12-20")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "OpportunityDetail"
        assert await wait_for_text(pilot, "初步接洽")
        assert "1,000.00" in screen_text(app)
        # 方案报价 needs a quote: moving there first is refused in the dialog
        await pilot.press("f6")
        await settle(pilot)
        from textual.widgets import Select

        stage = app.screen.query_one("#stage", Select)
        stage.value = next(v for label, v in app.screen.choices if label.startswith("方案报价"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert await wait_for_text(pilot, "a linked quote")
        await pilot.press("escape")
        await settle(pilot)
        if type(app.screen).__name__ == "SaveChangesDialog":
            await pilot.press("tab", "enter")  # discard
            await settle(pilot)
        assert type(app.screen).__name__ == "OpportunityDetail"
        await pilot.press("f7")  # make the quote
        await settle(pilot)
        assert await wait_for_text(pilot, "Quote: #")
        await pilot.press("f6")
        await settle(pilot)
        stage = app.screen.query_one("#stage", Select)
        stage.value = next(v for label, v in app.screen.choices if label.startswith("方案报价"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert await wait_for_text(pilot, "方案报价 (50%)")
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("enter")  # confirm the win
        await settle(pilot)
        assert await wait_for_text(pilot, "赢单")
        with read_session(engine) as s:
            opp = s.scalars(select(Opportunity)).one()
            order = s.get(SalesOrder, opp.order_id)
        assert order.customer_id == world.c1 and order.gross_total == D("1000.00")
        history = screen_text(app)
        assert "初步接洽" in history and "方案报价" in history and "李业务" in history
        await pilot.press("escape")
        await settle(pilot)
        app.screen.query_one("#opp-tabs").active = "tab-funnel"
        await settle(pilot)
        assert await wait_for_text(pilot, "1,000.00"), screen_text(app)
