"""The sales screens driven as a clerk would, without the mouse: quote → copy → order → delivery notice →
stock-out with a tracking number → receipt → invoice; F9 prints; the approval queue; receivables drill-down."""

from decimal import Decimal as D

from sqlalchemy import select

from crm_tui.app import CrmApp
from crm_tui.db.models.sales import Quote, SalesInvoice, SalesOrder, SalesStockOut, TrackingNumber
from crm_tui.db.session import read_session
from tests.tui.helpers import fill, paste, screen_text, settle, wait_for_file


async def _type(pilot, text: str) -> None:
    await pilot.press(*list(text))
    await settle(pilot)


async def _shows(pilot, app, text: str, timeout: float = 30.0) -> bool:
    """Whether ``text`` appears on the screen within ``timeout`` (a loaded machine paints late)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in screen_text(app):
            return True
        await pilot.pause(0.05)
    return False


async def _open_sales(pilot, app, tab: str | None = None):
    pane = app.screen.show_area("sales")
    await settle(pilot)
    if tab:
        pane.show_tab(tab)
        await settle(pilot)
    return pane


async def test_quote_copy_order_notice_stock_out_receipt_invoice(engine, world, tmp_path):
    from crm_tui.db.session import transaction
    from crm_tui.services.sales import receipts

    with transaction(engine, world.admin) as s:
        receipts.add_account(s, world.admin, "临商银行基本户")
    app = CrmApp(engine=engine, auto_login=("clerk", "pass-1234"))
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        pane = await _open_sales(pilot, app, "quotes")
        # a new quote, typed: customer by pinyin initials, product by code, quantity, the price offered
        await pilot.press("f2")
        await settle(pilot)
        assert type(app.screen).__name__ == "DocumentEntry"
        await _type(pilot, "lydjd")  # 临沂大酒店
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.customer is not None and app.screen.customer.code == "K001"
        await _type(pilot, "P1")
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused.id == "qty"
        await pilot.press("backspace", "4")
        await settle(pilot)
        assert await _shows(pilot, app, "452.00")  # the totals follow the keystrokes: 4 × 113.00
        await pilot.press("enter", "enter")  # to the price (113.00 offered), Enter adds the line
        await settle(pilot)
        await _type(pilot, "P2")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("backspace", "1", "0", "enter", "enter")
        await settle(pilot)
        assert len(app.screen.lines) == 2
        assert await _shows(pilot, app, "565.00")  # 452.00 + 10 × 11.30
        await pilot.press("f10")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        with read_session(engine) as s:
            first = s.scalars(select(Quote)).one()
        assert first.status == "confirmed" and first.gross_total == D("565.00")
        # copy it (ctrl+d) and turn the copy into an order (ctrl+o)
        pane.refresh_data()
        await settle(pilot)
        pane.focus_first()
        await pilot.press("ctrl+d")
        await settle(pilot)
        with read_session(engine) as s:
            copy = s.scalars(select(Quote).where(Quote.copied_from_id == first.id)).one()
        assert copy.status == "draft"
        table = app.screen.query_one("#table-quotes")
        table.move_cursor(row=[r.id for r in pane.rows["quotes"]].index(copy.id))
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert type(app.screen).__name__ == "OrderDetail"
        await pilot.press("f10")  # confirm the order
        await settle(pilot)
        detail = app.screen
        assert detail.view.status == "confirmed" and detail.view.number.startswith("SO")
        # delivery notice (F6) for 3 of the 4 cases of beer and all the soy sauce; stock-out from it with a
        # tracking number (F7); then the last case (F7 again: no open notice, so what is left of the order)
        await pilot.press("f6")
        await settle(pilot)
        await fill(pilot, f"#qty-{detail.view.lines[0].id}", "3")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any(r.kind == "delivery_notice" and r.status == "confirmed" for r in detail.view.related)
        await pilot.press("f7")
        await settle(pilot)
        await fill(pilot, "#courier", "顺丰速运")
        await fill(pilot, "#tracking", "SF9876543210")
        await pilot.press("ctrl+s")  # a draft: nothing ships yet
        await settle(pilot)
        assert detail.view.progress.shipped == 0
        await pilot.press("f7")  # the draft again, with its tracking number; ctrl+o asks, Enter confirms
        await settle(pilot)
        assert app.screen.query_one("#tracking").value == "SF9876543210"
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert detail.view.status == "confirmed" and detail.view.progress.shipped == D("452.00")  # 339 + 113
        assert [ln.shipped_quantity for ln in detail.view.lines] == [3, 10]
        await pilot.press("f7")
        await settle(pilot)
        await pilot.press("ctrl+o", "enter")
        await settle(pilot)
        assert detail.view.status == "done" and detail.view.progress.shipped == D("565.00")
        assert await _shows(pilot, app, "SF9876543210")
        # receipt (F11: the unpaid amount is offered) and invoice (ctrl+f)
        await pilot.press("f11")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert detail.view.progress.paid == D("565.00")
        await pilot.press("ctrl+f")
        await settle(pilot)
        await fill(pilot, "#invoice_no", "37001234")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert detail.view.progress.invoiced == D("565.00")
        # F9 prints the order
        await pilot.press("f9")
        await settle(pilot)
        await paste(pilot, "#path", str(tmp_path / "order.pdf"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert await wait_for_file(pilot, tmp_path / "order.pdf"), screen_text(app)  # errors: "crm app errors"
        assert (tmp_path / "order.pdf").stat().st_size > 1000
    with read_session(engine) as s:
        order = s.scalars(select(SalesOrder)).one()
        assert order.quote_id == copy.id and s.get(Quote, copy.id).status == "done"
        assert s.scalars(select(TrackingNumber.number)).all() == ["SF9876543210"]
        assert len(s.scalars(select(SalesStockOut)).all()) == 2
        assert s.scalars(select(SalesInvoice.invoice_no)).all() == ["37001234"]


async def test_last_price_is_offered_and_a_big_discount_waits_for_approval(engine, world, tx):
    from crm_tui.services.sales import orders
    from crm_tui.services.sales.pricing import LineInput

    with tx(world.clerk) as s:
        oid = orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 1, "108.00", "gross")])
        orders.confirm_order(s, world.clerk, oid)
    app = CrmApp(engine=engine, auto_login=("li", "pass-1234"))
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(pilot)
        await _open_sales(pilot, app)
        await pilot.press("f2")
        await settle(pilot)
        await _type(pilot, "K001")
        await pilot.press("enter")
        await settle(pilot)
        await _type(pilot, "P1")
        await pilot.press("enter")
        await settle(pilot)
        assert await _shows(pilot, app, "Last price paid: 108.00")
        assert app.screen.query_one("#price").value == "108.00"
        await pilot.press("backspace", "2", "tab", "tab")  # quantity 2; over the basis to the price
        await settle(pilot)
        price = app.screen.query_one("#price")
        price.value = "100"  # 11.5% under the list price: beyond li's 5%, within wang's 15%
        await settle(pilot)
        await pilot.press("enter", "f10")
        await settle(pilot)
    with read_session(engine) as s:
        waiting = s.scalars(select(SalesOrder).where(SalesOrder.status == "pending_approval")).one()
    app = CrmApp(engine=engine, auto_login=("wang", "pass-1234"))
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(pilot)
        pane = await _open_sales(pilot, app, "approvals")
        assert [r.doc_id for r in pane.rows["approvals"]] == [waiting.id]
        pane.focus_first()
        await pilot.press("f10")
        await settle(pilot)
        await fill(pilot, "#comment", "同意")
        await pilot.press("ctrl+s")
        await settle(pilot)
    with read_session(engine) as s:
        assert s.get(SalesOrder, waiting.id).status == "confirmed"


async def test_receivables_drill_down_to_the_statement(engine, world, tx):
    from crm_tui.services.sales import orders
    from crm_tui.services.sales.pricing import LineInput

    with tx(world.clerk) as s:
        oid = orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 2)])
        orders.confirm_order(s, world.clerk, oid)
        number = orders.get_order(s, world.clerk, oid).number
    app = CrmApp(engine=engine, auto_login=("clerk", "pass-1234"))
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(pilot)
        pane = await _open_sales(pilot, app, "receivables")
        assert [r.customer_code for r in pane.rows["receivables"]] == ["K001", "K003"]
        assert await _shows(pilot, app, "226.00") and "1,000.00" in screen_text(app)
        pane.focus_first()
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "StatementScreen"
        assert await _shows(pilot, app, number), screen_text(app)
        await pilot.press("enter")  # the order line of the statement opens the order
        await settle(pilot)
        assert type(app.screen).__name__ == "OrderDetail" and app.screen.view.number == number


async def test_reports_tab_and_batch_of_delivery_notes(engine, world, tx, tmp_path):
    from crm_tui.services.sales import orders
    from crm_tui.services.sales import stock_outs as outs
    from crm_tui.services.sales.pricing import LineInput

    with tx(world.clerk) as s:
        for customer in (world.c1, world.c2):
            oid = orders.create_order(s, world.clerk, customer, [LineInput(world.p1, 2)])
            orders.confirm_order(s, world.clerk, oid)
            outs.confirm_stock_out(s, world.clerk, outs.from_orders(s, world.clerk, [oid], world.w1))
    app = CrmApp(engine=engine, auto_login=("clerk", "pass-1234"))
    async with app.run_test(size=(150, 45)) as pilot:
        await settle(pilot)
        pane = await _open_sales(pilot, app, "reports")
        assert await _shows(pilot, app, "临沂大酒店") and "余额" in screen_text(app), screen_text(app)  # receivables
        app.screen.query_one("#report-kind").value = "sales_product"
        await settle(pilot)
        assert [r[0] for r in pane.rows["reports"]] == ["P1"]
        pane.run_action_now("print_delivery_day")
        await settle(pilot)
        await paste(pilot, "#path", str(tmp_path / "day.pdf"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert await wait_for_file(pilot, tmp_path / "day.pdf")
        assert type(app.screen).__name__ == "MainScreen"
    from pypdf import PdfReader

    text = "".join(page.extract_text() or "" for page in PdfReader(tmp_path / "day.pdf").pages)
    assert "临沂大酒店" in text and "济南百货" in text  # the two delivery notes of the day in one file
