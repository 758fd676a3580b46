"""The screens: ctrl+e / F9 write the list on screen to Excel with its filters; the contact-log quota check
(ctrl+k in the contact logs area) and the administrators' quota form (F4)."""

from __future__ import annotations

from datetime import date

import pytest
from python_calamine import CalamineWorkbook

from crm_tui.app import CrmApp
from crm_tui.db.session import read_session
from tests.tui.helpers import paste, screen_text, settle, wait_for_file, wait_for_text

pytestmark = pytest.mark.xdist_group("demo")


async def _area(pilot, app, area: str):
    pane = app.screen.show_area(area, focus=True)
    await settle(pilot)
    return pane


async def test_sales_list_exports_with_its_find_box(demo, tmp_path):
    from crm_tui.services.sales.orders import list_orders

    with read_session(demo.engine, demo.admin) as s:
        expected = [o.number for o in list_orders(s, demo.admin, text="SO202611", limit=10_000)]
    app = CrmApp(engine=demo.engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        pane = await _area(pilot, app, "sales")
        pane.show_tab("orders")
        await settle(pilot)
        await paste(pilot, "#find-orders", "SO202611")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f7")  # F7 prints the selected order; F9 exports the list, as on every list
        await settle(pilot)
        assert type(app.screen).__name__ == "PrintDialog"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert type(app.screen).__name__ == "ListExportDialog"
        out = tmp_path / "orders.xlsx"
        await paste(pilot, "#path", str(out))
        await pilot.press("ctrl+s")
        assert await wait_for_file(pilot, out)
        await settle(pilot)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert [r[0] for r in rows[1:]] == expected and len(expected) > 0


async def test_f9_on_contact_logs_and_a_bad_file_name_is_said(demo, tmp_path):
    app = CrmApp(engine=demo.engine, auto_login=("sunwei", "demo1234"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _area(pilot, app, "contact_logs")
        await pilot.press("f9")
        await settle(pilot)
        await paste(pilot, "#path", str(tmp_path / "logs.txt"))
        await pilot.press("ctrl+s")
        assert await wait_for_text(pilot, ".xlsx")
        out = tmp_path / "logs.xlsx"
        await paste(pilot, "#path", str(out))
        await pilot.press("ctrl+s")
        assert await wait_for_file(pilot, out)
        await settle(pilot)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    from crm_tui.services.customers.contact_logs import list_logs
    from tests.lists.test_lists_export import actor_of

    sunwei = actor_of(demo.engine, "sunwei")
    with read_session(demo.engine, sunwei) as s:
        visible = list_logs(s, sunwei, limit=100_000)
    assert len(rows) - 1 == len(visible) > 0


async def test_quota_check_shows_who_is_short(demo):
    app = CrmApp(engine=demo.engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _area(pilot, app, "contact_logs")
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert type(app.screen).__name__ == "QuotaCheckScreen"
        await paste(pilot, "#quota-day", "2026-11-27")
        await pilot.press("enter")
        await settle(pilot)
        from crm_tui.services.customers import quotas

        with read_session(demo.engine, demo.admin) as s:
            result = quotas.check(s, demo.admin, "week", date(2026, 11, 27))
        assert result.short_rows, "the demo's quotas leave someone short"
        worst = result.short_rows[0]
        assert await wait_for_text(pilot, worst.name)
        await pilot.press("f6")
        await settle(pilot)
        assert await wait_for_text(pilot, "2026-11-01")
        assert "2026-11-30" in screen_text(app)


async def test_quota_form_sets_a_role_and_refuses_words(engine, admin):
    from crm_tui.services.customers import quotas

    app = CrmApp(engine=engine, auto_login=("admin", "admin-pass"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _area(pilot, app, "contact_logs")
        await pilot.press("ctrl+k")
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert type(app.screen).__name__ == "QuotaForm"
        await paste(pilot, "#quota-week", "six")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "QuotaForm"
        with read_session(engine) as s:
            assert quotas.list_quotas(s)[2].week == 0
        await paste(pilot, "#quota-week", "6")
        await paste(pilot, "#quota-month", "20")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "QuotaCheckScreen"
    with read_session(engine) as s:
        row = next(r for r in quotas.list_quotas(s) if r.role == "salesperson")
    assert (row.week, row.month) == (6, 20)
