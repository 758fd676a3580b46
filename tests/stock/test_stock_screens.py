"""Pilot flows of the stock and purchasing screens: transfer stock, receive a purchase order partially, count a
warehouse and post the differences. Each drives the keys a clerk would press and checks the database."""

from __future__ import annotations

from decimal import Decimal as D

from textual.widgets import DataTable, Select

from crm_tui.app import CrmApp
from crm_tui.services.purchasing import orders as po
from crm_tui.services.purchasing import suppliers as sup
from crm_tui.services.stock import documents as sd
from tests.tui.helpers import fill, screen_text, settle

from .helpers import assert_ledger_consistent, balances


async def open_area(pilot, area_id: str):
    await settle(pilot)
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "MainScreen"
    pane = pilot.app.screen.show_area(area_id)
    await settle(pilot)
    return pane


def stock_in(tx, admin, world, w, p, q, cost="10"):
    with tx() as s:
        sd.quick_document(s, admin, "stock_in", world[w], world[p], D(q), unit_cost=D(cost))


async def test_transfer_stock_on_screen(engine, admin, world, tx):
    stock_in(tx, admin, world, "w1", "p1", "10")
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(130, 40)) as pilot:
        pane = await open_area(pilot, "stock")
        assert "青岛啤酒" in screen_text(app)  # the overview lists the stock
        pane.action_new_transfer()
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "StockDocumentForm"
        form.query_one("#to_warehouse", Select).value = world["w2"]
        await fill(pilot, "#product-search", "qdpj")  # pinyin initials of 青岛啤酒
        await settle(pilot)
        await pilot.press("enter")  # one match: chosen
        await settle(pilot)
        await fill(pilot, "#qty", "12")
        assert "Only 10 on hand" in screen_text(app)  # warned as typed
        await fill(pilot, "#qty", "4")
        await pilot.press("enter")
        await settle(pilot)
        assert "青岛啤酒" in screen_text(app) and len(form.lines) == 1
        await pilot.press("f10")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
    bal = balances(engine)
    assert bal[(world["w1"], world["p1"])] == (D(6), D("60.00"))
    assert bal[(world["w2"], world["p1"])] == (D(4), D("40.00"))
    assert_ledger_consistent(engine)


async def test_receive_a_purchase_order_partially_on_screen(engine, admin, world, tx):
    with tx() as s:
        supplier = sup.add_supplier(s, admin, code="S01", name="青岛啤酒(临沂)有限公司")
        order = po.create_order(s, admin, supplier, [po.OrderLineInput(world["p1"], D("10"), price=D("45")),
                                                     po.OrderLineInput(world["p2"], D("2"), price=D("1000"))],
                                warehouse_id=world["w1"])
        po.submit(s, admin, order)
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(130, 40)) as pilot:
        await open_area(pilot, "purchasing")
        table = app.screen.query_one("#orders", DataTable)
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "OrderDialog"
        await pilot.press("f6")
        await settle(pilot)
        dialog = app.screen
        assert type(dialog).__name__ == "ReceiveDialog"
        lines = dialog.view.lines
        await fill(pilot, f"#rc-{lines[0].id}", "11")
        assert "more than the 10 still to receive" in screen_text(app)
        await fill(pilot, f"#rc-{lines[0].id}", "4")
        await fill(pilot, f"#rc-{lines[1].id}", "0")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "OrderDialog"
        text = screen_text(app)
        assert "partial" in text and "Received: 203.40" in text  # 4 × 50.85 (45.00 + 13% tax)
    with tx() as s:
        view = po.get_order(s, order)
    assert [ln.remaining for ln in view.lines] == [D(6), D(2)] and view.status == "confirmed"
    assert balances(engine)[(world["w1"], world["p1"])] == (D(4), D("180.00"))
    assert_ledger_consistent(engine)


async def test_count_a_warehouse_and_post_differences_on_screen(engine, admin, world, tx):
    stock_in(tx, admin, world, "w1", "p1", "10", "4")
    stock_in(tx, admin, world, "w1", "p2", "3", "1000")
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(130, 40)) as pilot:
        pane = await open_area(pilot, "stock")
        pane.action_stocktaking()
        await settle(pilot)
        panel = app.screen.query_one("#count-panel")
        panel.query_one("#count-warehouse", Select).value = world["w1"]
        await settle(pilot)
        assert "No open count sheet" in screen_text(app)
        panel.query_one("#count-lines").focus()
        await pilot.press("f2")
        await settle(pilot)
        assert "2 lines, 0 counted" in screen_text(app)
        await fill(pilot, "#count-input", "8")  # P001: 10 on the book, 8 found
        await pilot.press("enter")
        await settle(pilot)
        await fill(pilot, "#count-input", "3")  # P002: as on the book
        await pilot.press("enter")
        await settle(pilot)
        assert "2 counted, 1 differences" in screen_text(app)
        await pilot.press("f10")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("enter")
        await settle(pilot)
        assert "No open count sheet" in screen_text(app)
    bal = balances(engine)
    assert bal[(world["w1"], world["p1"])] == (D(8), D("32.00"))
    assert bal[(world["w1"], world["p2"])] == (D(3), D("3000.00"))
    assert_ledger_consistent(engine)


async def test_status_line_counts_stock_alarms(engine, admin, world, tx):
    stock_in(tx, admin, world, "w1", "p1", "2")  # P001's safety stock is 5 in every warehouse: 2 alarms
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(130, 40)) as pilot:
        await open_area(pilot, "stock")
        assert "Stock alarms: 2" in screen_text(app)
        text = screen_text(app)
        assert "▼ 2" in text  # the overview marks the row below safety stock


async def test_analysis_tab_and_product_history(engine, admin, world, tx):
    stock_in(tx, admin, world, "w1", "p2", "3", "1000")
    stock_in(tx, admin, world, "w1", "p3", "5", "20")  # never goes out: a slow mover
    with tx() as s:
        doc = sd.create_document(s, admin, "loan", world["w1"], customer_id=world["c1"],
                                 lines=[sd.LineInput(world["p2"], D("1"))])
        sd.confirm(s, admin, doc)
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(130, 40)) as pilot:
        pane = await open_area(pilot, "stock")
        pane.query_one("#stock-tabs").active = "tab-analysis"
        await settle(pilot)
        text = screen_text(app)
        assert "临沂大酒店" in text and "1,000.00" in text  # one bottle out on loan, at cost
        slow = pane.query_one("#slow")
        assert [slow.get_row_at(i)[1] for i in range(slow.row_count)] == ["P003"]  # P002 went out on loan
        assert "never" in text
        products_pane = app.screen.show_area("products")
        await settle(pilot)
        products_pane.query_one("#products").focus()
        products_pane.query_one("#products").move_cursor(row=1)  # P002
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert type(app.screen).__name__ == "ProductDetail"
        assert "RK" in text and "JC" in text  # the stock-in and the loan in the history


async def test_inquiry_quotes_and_order_on_screen(engine, admin, world, tx):
    from crm_tui.services.purchasing import inquiries as inq

    with tx() as s:
        a = sup.add_supplier(s, admin, code="S01", name="景芝酒业")
        b = sup.add_supplier(s, admin, code="S02", name="临沂糖酒")
        iid = inq.create_inquiry(s, admin, [(world["p1"], "50")], [a, b])
        inq.send(s, admin, iid)
        inq.record_quote(s, admin, iid, a, world["p1"], price="41")
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(130, 40)) as pilot:
        pane = await open_area(pilot, "purchasing")
        pane.query_one("#purchasing-tabs").active = "tab-inquiries"
        await settle(pilot)
        pane.query_one("#inquiries").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "InquiryDialog"
        await pilot.press("f6")
        await settle(pilot)
        form = app.screen
        form.query_one("#supplier", Select).value = b
        form.query_one("#product", Select).value = world["p1"]
        await fill(pilot, "#price", "39.5")
        await pilot.press("ctrl+s")
        await settle(pilot)
        quotes = app.screen.query_one("#iq-quotes", DataTable)
        assert quotes.get_row_at(0)[3] == "临沂糖酒" and quotes.get_row_at(0)[6] == "★"  # cheapest first
        quotes.focus()
        await pilot.press("f10")  # order from the highlighted (cheapest) supplier
        await settle(pilot)
    with tx() as s:
        [row] = po.list_orders(s)
        view = po.get_order(s, row.id)
    assert (view.supplier_code, view.status, view.inquiry_id) == ("S02", "draft", iid)
    assert [(ln.quantity, ln.price) for ln in view.lines] == [(D("50"), D("39.50"))]
