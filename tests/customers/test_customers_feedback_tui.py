"""Claiming from the pool and archiving said a generic "Saved": they say what happened, in both languages."""

import pytest
from sqlalchemy import select

from crm_tui.app import CrmApp
from crm_tui.db.models.customers import Customer
from crm_tui.db.session import read_session, transaction
from crm_tui.i18n import set_language
from crm_tui.services.customers import records as customers
from crm_tui.widgets.record_table import RecordTable
from tests.tui.helpers import settle


@pytest.fixture
def pool(engine, admin, make_user):
    s1 = make_user("s1", "salesperson", "孙伟", staff_number="S003")
    with transaction(engine, admin) as s:
        for code, name in (("K1", "兰山五金店"), ("K2", "河东粮油店"), ("K3", "罗庄超市")):
            customers.create_customer(s, admin, code=code, name=name)  # no salesperson: the public pool
    return s1


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _list(pilot, app) -> RecordTable:
    await settle(pilot)
    await settle(pilot)
    table = app.screen.query_one("#customer-table", RecordTable)
    table.focus()
    await settle(pilot)
    return table


@pytest.mark.parametrize("lang, claimed, archived", [
    ("en", "Claimed 2 customers from the public pool.", "Archived K2 河东粮油店."),
    ("zh_CN", "已从公海领取 2 个客户。", "已归档 K2 河东粮油店。"),
])
async def test_claim_and_archive_say_what_they_did(engine, pool, lang, claimed, archived):
    set_language(lang)
    app = CrmApp(engine=engine, auto_login=("s1", "pass-1234"))
    async with app.run_test(size=(80, 24)) as pilot:
        await _list(pilot, app)
        await pilot.press("space", "space")  # K1 and K2 marked
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert claimed in toasts(app)
        await pilot.press("up")  # back to K2, now theirs (the marks moved the cursor to K3)
        table = app.screen.query_one("#customer-table", RecordTable)
        assert table.cursor_record[1][0] == "K2"
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("enter")  # confirm
        await settle(pilot)
        assert archived in toasts(app)
    with read_session(engine) as s:
        state = {c.code: (c.owner_id, c.status) for c in s.scalars(select(Customer))}
    assert state == {"K1": (pool.id, "active"), "K2": (pool.id, "archived"), "K3": (None, "active")}
