"""The Analysis area with Pilot on the still demo company: the dashboard opens, a list shows its rows, rule and
chart, the period reloads, F6 sets a target; chart labels fall back to codes when they are wide."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from textual.widgets import DataTable, Input, OptionList, Static
from textual_plotext import PlotextPlot

from crm_tui.screens.analysis.chart import chart_labels, draw
from crm_tui.services.analysis.common import Chart, Column, Report
from tests.tui.helpers import settle


def _report(rows, chart):
    return Report("x", "X", "rule", [Column("code", "Code"), Column("name", "Item name"),
                                     Column("amount", "Amount", "money")], rows, chart)


def test_chart_labels_fall_back_to_codes_when_wide():
    rows = [{"code": "K1", "name": "临沂大酒店", "amount": D(5)}, {"code": "K2", "name": "济南百货", "amount": D(3)}]
    assert chart_labels(_report(rows, Chart("bar", "name", ("amount",), code="code")), rows) == ["K1", "K2"]
    assert chart_labels(_report(rows, Chart("bar", "name", ("amount",))), rows) == ["1", "2"]
    narrow = [{"code": "K1", "name": "Hotel", "amount": D(5)}]
    assert chart_labels(_report(narrow, Chart("bar", "name", ("amount",), code="code")), narrow) == ["Hotel"]


def test_chart_draws_the_same_picture_twice():
    import plotext

    rows = [{"code": f"K{i}", "name": f"客户{i}", "amount": D(i * 100)} for i in range(1, 6)]
    report = _report(rows, Chart("bar", "name", ("amount",), code="code"))
    pictures = []
    for _ in range(2):
        plt = plotext
        assert draw(plt, report)
        plt.plotsize(60, 15)
        pictures.append(plt.build())
    assert pictures[0] == pictures[1] and "K1" in pictures[0]
    assert not draw(plotext, _report([], Chart("bar", "name", ("amount",))))


async def test_analysis_area_lists_and_sets_a_target(still_app):
    from sqlalchemy import select

    from crm_tui.db.models.analysis import SalesTarget
    from crm_tui.db.session import read_session

    app = still_app("en", "admin")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.open_area("analysis")
        await settle(pilot)
        pane = app.screen.query_one("AnalysisPane")
        assert "Sales 64,608.74" in str(pane.query_one("#analysis-summary", Static).render())
        pane.query_one("#analysis-list", OptionList).focus()
        await pilot.press("down")  # churned customers
        await settle(pilot, rounds=4)
        table = pane.query_one("#analysis-table", DataTable)
        assert pane.report.name == "churn" and table.row_count == len(pane.report.rows) > 0
        assert pane.query_one("#analysis-chart", PlotextPlot).display
        assert "churn_days" in str(pane.query_one("#analysis-rule", Static).render())
        before = table.row_count
        pane.query_one("#analysis-to", Input).value = "2026-09-30"  # fewer have stopped ordering by then
        pane.query_one("#analysis-to", Input).focus()
        await pilot.press("enter")
        await settle(pilot, rounds=4)
        assert pane.report.rows != [] or before > 0
        assert all(r["last_order_date"] < date(2026, 7, 2) for r in pane.report.rows)
        await pilot.press("f6")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#staff", Input).value = "sunwei"
        dialog.query_one("#month", Input).value = "2026-11"
        dialog.query_one("#amount", Input).value = "50,000"
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=4)
        assert app.screen is not dialog
    with read_session(app.engine, None) as s:
        from crm_tui.db.models.people import User

        # the demo set sunwei's November target; the dialog replaced it
        assert s.scalar(select(SalesTarget.amount).join(User, User.id == SalesTarget.user_id)
                        .where(User.login == "sunwei", SalesTarget.month == "2026-11")) == D("50000.00")
