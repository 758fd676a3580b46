"""The tally screen says its as-of date, shows the two halves of each day and the photo note (issue 19)."""

from __future__ import annotations

from datetime import date

from crm_tui.app import CrmApp
from crm_tui.core.clock import frozen
from crm_tui.db.session import transaction
from tests.tui.helpers import settle

from .conftest import row, write_export
from .test_visits_screens import _open, logins  # noqa: F401 - the fixture


def _static(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_as_of_halves_and_photo_note(engine, logins, statistician, tmp_path):  # noqa: F811
    from crm_tui.services.visits.upload_import import import_uploads

    # 褚洋 (餐饮业务员, 4 + 4) on 1 March: 3 in the morning, 1 in the afternoon
    rows = [row("褚洋", f"2027-03-01 09:{m:02d}") for m in (0, 10, 20)] + [row("褚洋", "2027-03-01 15:00")]
    with transaction(engine, statistician) as session:
        import_uploads(session, statistician, write_export(tmp_path / "m.xlsx", rows))
    with frozen(date(2027, 3, 10)):
        app = CrmApp(engine=engine, auto_login=("shenyan", "pass-1234"))
        async with app.run_test(size=(80, 24)) as pilot:
            pane = await _open(pilot, "visits", "2027-03")
            status = _static(app, "#visits-status")
            assert "as of 2027-03-10" in status and "21 days left" in status
            pane.app.push_screen(pane_person(pane, "褚洋"))
            await settle(pilot)
            assert "as of 2027-03-10" in _static(app, "#person-head")
            days = app.screen.query_one("#person-days")
            first = days.get_row_at(0)
            assert first[0] == "2027-03-01" and (first[5], first[6]) == ("3/4", "1/4")
            app.screen.query_one("#person-tabs").active = "tab-void"
            await settle(pilot)
            assert "cannot check what a photo shows" in _static(app, "#person-photo-note")
            assert [c.label.plain for c in days.ordered_columns[5:7]] == ["Morning", "Afternoon"]


def pane_person(pane, staff: str):
    from crm_tui.screens.visits.tally import PersonMonthScreen

    person = next(p for p in pane.report["people"] if p["staff"] == staff)
    return PersonMonthScreen(person, pane.report["month"], pane.report.get("customer_names", {}),
                             pane.report.get("as_of"))
