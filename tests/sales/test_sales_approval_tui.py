"""The approval queue at 80×24 as the salesperson's manager: the request the clerk's order made is there, and the
approve dialog names the order, customer, amount and discount — in the reader's language, not the writer's."""

import pytest
from textual.widgets import Input

from crm_tui.app import CrmApp
from crm_tui.db.models.sales import SalesOrder
from crm_tui.db.session import read_session
from crm_tui.i18n import set_language
from crm_tui.services.sales import orders
from crm_tui.services.sales.pricing import LineInput
from tests.tui.helpers import fill, settle


async def _queue(pilot, app):
    await settle(pilot)
    pane = app.screen.show_area("sales")
    await settle(pilot)
    pane.show_tab("approvals")
    await settle(pilot)
    return pane


@pytest.mark.parametrize("lang, words", [
    ("en", ("Order: #{id}", "Customer: 临沂大酒店", "Amount: 1,039.60", "Discount: 8.00%",
            "discount 8.00% is beyond the limit 5.00% of clerk")),
    ("zh_CN", ("订单: #{id}", "客户: 临沂大酒店", "金额: 1,039.60", "折扣: 8.00%", "超出内勤的权限 5.00%")),
])
async def test_the_manager_sees_what_they_approve(engine, world, tx, lang, words):
    set_language("zh_CN" if lang == "en" else "en")  # the clerk writes in the other language
    with tx(world.clerk) as s:
        oid = orders.create_order(s, world.clerk, world.c1, [LineInput(world.p1, 10, discount="8%")])
        assert orders.confirm_order(s, world.clerk, oid) == "pending_approval"
    set_language(lang)
    app = CrmApp(engine=engine, auto_login=("wang", "pass-1234"))  # li's manager, not the clerk's
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await _queue(pilot, app)
        [row] = pane.rows["approvals"]
        assert row.doc_id == oid and row.document == f"#{oid}"
        pane.focus_first()
        await pilot.press("f10")
        await settle(pilot)
        assert type(app.screen).__name__ == "CommentDialog"
        details = str(app.screen.query_one("#comment-details").render())
        for word in words:
            assert word.format(id=oid) in details, details
        assert app.focused is app.screen.query_one("#comment", Input)
        await fill(pilot, "#comment", "同意")
        await pilot.press("ctrl+s")
        await settle(pilot)
    with read_session(engine) as s:
        assert s.get(SalesOrder, oid).status == "confirmed"
