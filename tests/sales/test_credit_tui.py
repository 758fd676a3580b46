"""The credit screens as a clerk uses them: the headroom in the order entry, the dunning list, the terms form,
a new price and a courier."""

from datetime import date
from decimal import Decimal as D

from sqlalchemy import select

from crm_tui.app import CrmApp
from crm_tui.db.models.credit import ClassPrice, Courier, CustomerTerms
from crm_tui.db.models.customers import Customer
from crm_tui.db.session import read_session
from tests.tui.helpers import fill, screen_text, settle, wait_for_text


async def _type(pilot, text: str) -> None:
    await pilot.press(*list(text))
    await settle(pilot)


async def test_order_entry_shows_the_credit_left_as_lines_are_typed(engine, world, tx):
    with tx() as s:
        s.get(Customer, world.c3).credit_limit = D("10000")  # 1,000.00 opening balance: 9,000.00 left
    app = CrmApp(engine=engine, auto_login=("li", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.screen.show_area("sales")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await _type(pilot, "K003")
        await pilot.press("enter")
        await settle(pilot)
        assert await wait_for_text(pilot, "Credit left 9,000.00")
        await _type(pilot, "P1")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("backspace", "9", "0")  # 90 × 113.00 = 10,170.00
        await settle(pilot)
        assert await wait_for_text(pilot, "Over the credit limit by 1,170.00")


async def test_dunning_list_terms_form_price_and_courier(engine, world, tx):
    from crm_tui.services.sales import orders
    from crm_tui.services.sales.pricing import LineInput

    with tx(world.li) as s:
        oid = orders.create_order(s, world.li, world.c1, [LineInput(world.p2, 1, "1200.00", "gross")],
                                  order_date=date(2026, 1, 5), terms="30")
        orders.confirm_order(s, world.li, oid)
    app = CrmApp(engine=engine, auto_login=("clerk", "pass-1234"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        pane = app.screen.show_area("credit")
        await settle(pilot)
        assert await wait_for_text(pilot, "临沂大酒店")
        table = pane.query_one("#dunning")
        table.focus()
        row = next(i for i, r in enumerate(pane.reminders) if r.customer_code == "K001")
        table.move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "TermsForm"
        await fill(pilot, "#credit_limit", "20000")
        await fill(pilot, "#terms", "月结45")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ != "TermsForm", screen_text(app)
        pane.action_new_price()
        await settle(pilot)
        await fill(pilot, "#product Input", "P3")
        await pilot.press("enter")
        await settle(pilot)
        app.screen.query_one("#price_class").value = "vip"
        await fill(pilot, "#price", "45")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ != "PriceForm", screen_text(app)
        pane.query_one("#credit-tabs").active = "tab-couriers"
        await settle(pilot)
        pane.query_one("#couriers").focus()
        await pilot.press("f2")
        await settle(pilot)
        await fill(pilot, "#name", "顺丰速运")
        await pilot.press("ctrl+s")
        await settle(pilot)
    with read_session(engine) as s:
        assert s.get(Customer, world.c1).credit_limit == D("20000")
        assert s.get(CustomerTerms, world.c1).terms == "M45"
        assert [(p.price_class, p.price) for p in s.scalars(select(ClassPrice))] == [("vip", D("45"))]
        assert [c.name for c in s.scalars(select(Courier))] == ["顺丰速运"]
