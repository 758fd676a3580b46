"""The stock document and purchase order forms on the form base at 80×24: Esc on a document with a line asks
保存 / 放弃 / 继续编辑, and a document being entered survives a crash as a recovery file offered back."""

from __future__ import annotations

import os
from decimal import Decimal as D
from types import SimpleNamespace

from sqlalchemy import func, select
from textual.widgets import Input, Select

from crm_tui.app import CrmApp
from crm_tui.db.models.purchasing import PurchaseOrder, PurchaseOrderLine
from crm_tui.db.models.stock import StockDocument, StockDocumentLine
from crm_tui.db.session import read_session
from crm_tui.services.purchasing import suppliers as sup
from crm_tui.widgets.drafts import draft_path
from crm_tui.widgets.forms import SaveChangesDialog
from crm_tui.widgets.picker import SupplierPicker
from tests.tui.helpers import fill, settle


async def _area(pilot, area_id: str):
    await settle(pilot)
    await settle(pilot)
    pane = pilot.app.screen.show_area(area_id)
    await settle(pilot)
    return pane


async def _add_line(pilot, search: str, qty: str) -> None:
    await fill(pilot, "#product-search", search)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await fill(pilot, pilot.app.focused and f"#{pilot.app.focused.id}", qty)
    await pilot.press("enter")
    await settle(pilot)


async def _new_stock_out(pilot):
    pane = await _area(pilot, "stock")
    pane.action_new_document("stock_out")
    await settle(pilot)
    [form] = [s for s in pilot.app.screen_stack if type(s).__name__ == "StockDocumentForm"]
    return form  # under the recovery question, if there is one


def _count(engine, model) -> int:
    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


async def test_esc_on_a_stock_document_with_a_line_asks_first(engine, admin, world):
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _new_stock_out(pilot)
        await _add_line(pilot, "qdpj", "3")
        assert len(form.lines) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SaveChangesDialog)
        await pilot.press("escape")  # keep editing
        await settle(pilot)
        assert app.screen is form and len(form.lines) == 1
        await pilot.press("escape")
        await settle(pilot)
        await pilot.click("#discard")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
    assert _count(engine, StockDocument) == 0


async def test_a_stock_document_survives_a_crash(engine, admin, world):
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _new_stock_out(pilot)
        form.query_one("#warehouse", Select).value = world["w2"]
        await fill(pilot, "#remarks", "for the fair")
        await _add_line(pilot, "qdpj", "3")
        await _add_line(pilot, "P003", "2.5")
        assert len(form.lines) == 2
        await pilot.pause(1.5)
    path = draft_path("stock-document", "admin")
    assert path.exists() and os.stat(path).st_mode & 0o777 == 0o600

    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _new_stock_out(pilot)
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form
        assert [(ln.code, ln.quantity) for ln in form.lines] == [("P001", D(3)), ("P003", D("2.5"))]
        assert form.query_one("#remarks", Input).value == "for the fair"
        assert form.query_one("#warehouse", Select).value == world["w2"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
    assert not path.exists()
    with read_session(engine) as s:
        doc = s.scalars(select(StockDocument)).one()
        assert doc.status == "draft" and doc.warehouse_id == world["w2"] and doc.remarks == "for the fair"
        assert sorted(s.scalars(select(StockDocumentLine.quantity))) == [D("2.5"), D(3)]


async def test_a_purchase_order_survives_a_crash(engine, admin, world, tx):
    with tx() as s:
        supplier = sup.add_supplier(s, admin, code="S01", name="青岛啤酒(临沂)有限公司")
    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await _area(pilot, "purchasing")
        pane.action_new_order()
        await settle(pilot)
        form = app.screen
        form.query_one("#po-supplier", SupplierPicker).set_choice(SimpleNamespace(id=supplier, code="S01",
                                                                                  name="青岛啤酒(临沂)有限公司"))
        await _add_line(pilot, "qdpj", "10")  # Enter in the quantity goes to the price
        await fill(pilot, "#po-price", "45")
        await pilot.press("enter")
        await settle(pilot)
        assert len(form.lines) == 1
        await pilot.pause(1.5)
    assert draft_path("purchase-order", "admin").exists()

    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await _area(pilot, "purchasing")
        pane.action_new_order()
        await settle(pilot)
        await pilot.press("enter")  # restore
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "OrderForm" and form.query_one("#po-supplier", SupplierPicker).value == supplier
        assert [(p.code, qty, price) for p, qty, price in form.lines] == [("P001", D(10), D(45))]
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert not draft_path("purchase-order", "admin").exists()
    with read_session(engine) as s:
        assert s.scalars(select(PurchaseOrder.supplier_id)).all() == [supplier]
        assert s.scalars(select(PurchaseOrderLine.quantity)).all() == [D(10)]
