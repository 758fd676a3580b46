"""Churn, reorder, ABC, sales by region, cohort, prices, targets and the dashboard against the hand-counted
history of conftest.py (both engines)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from crm_tui.core import clock
from crm_tui.core.errors import PermissionDenied, ValidationError
from crm_tui.db.session import transaction
from crm_tui.services.analysis import abc, breakdown, churn, cohort, dashboard, prices, reorder, targets

AS_OF = date(2026, 6, 30)  # as conftest.py counts it


def codes(report, key="customer_code"):
    return [r[key] for r in report.rows]


def test_churn_lists_who_stopped_ordering(history, rd):
    with rd() as s:
        report = churn.churned(s, history.admin, date_to=AS_OF)
    assert codes(report) == ["C3", "C1"]  # C4's last order is within 90 days; C2, C5 ordered in June
    c3, c1 = report.rows
    assert (c3["amount_12m"], c3["last_order_date"], c3["owner"]) == (D("4000.00"), date(2025, 12, 1), "李业务")
    assert (c1["amount_12m"], c1["days_since_last"]) == (D("3000.00"), 110)
    assert report.as_json()[0] == {"customer_code": "C3", "customer_name": "客户C3", "owner": "李业务",
                                   "last_order_date": "2025-12-01", "days_since_last": 211, "amount_12m": "4000.00"}
    with rd() as s:  # a shorter N: C4 (last order 2026-04-01, 90 days ago) churns too
        assert codes(churn.churned(s, history.admin, date_to=AS_OF, days=60)) == ["C3", "C1", "C4"]


def test_churn_follows_visibility(history, rd):
    with rd(history.wang) as s:
        assert codes(churn.churned(s, history.wang, date_to=AS_OF)) == ["C1"]
    with rd(history.boss) as s:  # the manager sees wang's customers
        assert codes(churn.churned(s, history.boss, date_to=AS_OF)) == ["C1"]
    with rd(history.li) as s:
        assert codes(churn.churned(s, history.li, date_to=AS_OF)) == ["C3"]


def test_reorder_overdue_by_the_customers_rhythm(history, rd):
    with rd() as s:
        report = reorder.overdue(s, history.admin, date_to=AS_OF)
    assert codes(report) == ["C1"]  # C2 ordered 10 days ago (median 25); C3, C4 have fewer than 3 live orders
    row = report.as_json()[0]
    assert row["median_interval_days"] == "30.5"  # intervals 31 and 30
    assert row["days_since_last"] == 110
    assert row["expected_date"] == "2026-04-12"  # 2026-03-12 + 31 (30.5 rounded half up)
    assert row["days_overdue"] == 79
    with rd() as s:  # k = 4: 110 days is not beyond 4 × 30.5 = 122
        assert codes(reorder.overdue(s, history.admin, date_to=AS_OF, factor=D(4))) == []


def test_abc_grades_and_write_back(history, rd, engine):
    with rd() as s:
        report = abc.abc(s, history.admin, date(2025, 7, 1), AS_OF)
    grades = {r["code"]: r["grade"] for r in report.rows}
    # 4000, 3000, 3000, 600, 100 of 10,700: the share before C2 is 65 % (A), before C4 93 % (B), before C5 99 % (C)
    assert [r["code"] for r in report.rows] == ["C3", "C1", "C2", "C4", "C5"]
    assert grades == {"C3": "A", "C1": "A", "C2": "A", "C4": "B", "C5": "C"}
    assert report.summary == {"A": 3, "B": 1, "C": 1}
    with transaction(engine, history.wang) as s, pytest.raises(PermissionDenied):
        abc.write_grades(s, history.wang, date(2025, 7, 1), AS_OF)
    with transaction(engine, history.admin) as s:
        changed = abc.write_grades(s, history.admin, date(2025, 7, 1), AS_OF)
    assert changed == 4  # C1 keeps "A类,重点"
    from sqlalchemy import select

    from crm_tui.db.models.customers import Customer
    from crm_tui.services.common.audit import history as audit_history

    with rd() as s:
        cls = dict(s.execute(select(Customer.code, Customer.classification)).all())
        assert cls == {"C1": "A类,重点", "C2": "A类", "C3": "A类", "C4": "B类", "C5": "C类"}
        entries = audit_history(s, "customers", history.customers["C2"])
        assert any("classification" in (e.changes or "") for e in entries)


def test_sales_by_region_with_last_year_and_previous_period(history, rd):
    with rd() as s:
        report = breakdown.breakdown(s, history.admin, date(2026, 6, 1), date(2026, 6, 30), by="region")
    rows = {r["key"]: r for r in report.rows}
    assert [r["key"] for r in report.rows] == ["南坊片区", "(none)", "河东片区"]
    assert (rows["南坊片区"]["amount"], rows["南坊片区"]["amount_previous"], rows["南坊片区"]["mom"]) == (
        D("2500.00"), D("500.00"), D("4.0000"))
    assert (rows["河东片区"]["amount"], rows["河东片区"]["amount_last_year"], rows["河东片区"]["yoy"]) == (
        D(0), D("700.00"), D("-1.0000"))
    with rd(history.wang) as s:  # wang's customers and the public pool
        seen = breakdown.breakdown(s, history.wang, date(2026, 6, 1), date(2026, 6, 30), by="region")
    assert {r["key"] for r in seen.rows} == {"南坊片区", "(none)"}


def test_sales_by_classification_counts_every_label(history, rd):
    with rd() as s:
        report = breakdown.breakdown(s, history.admin, date(2026, 1, 1), date(2026, 3, 31), by="classification")
    rows = {r["key"]: r["amount"] for r in report.rows}
    assert rows["A类"] == rows["重点"] == D("3000.00")


def test_cohort_shares(history, rd):
    with rd() as s:
        report = cohort.cohort(s, history.admin, date(2025, 7, 1), AS_OF)
    rows = {r["quarter"]: r for r in report.rows}
    assert list(rows) == ["2025Q3", "2025Q4", "2026Q1", "2026Q2"]
    assert rows["2026Q1"]["customers"] == 1 and rows["2026Q1"]["q1"] == D(0)  # C1 did not order in Q2
    assert rows["2026Q2"]["customers"] == 2 and rows["2026Q2"]["q1"] is None  # C2, C5; Q3 is to come
    assert rows["2025Q4"]["customers"] == 0  # C3 first ordered in 2025Q2


def test_price_candidates(history, rd):
    with rd() as s:
        report = prices.candidates(s, history.admin, date(2026, 6, 1), date(2026, 6, 30))
    found = {(r["suggestion"], r["product_code"]): r for r in report.rows}
    assert set(found) == {("rise", "P1"), ("cut", "P3")}
    p1 = found[("rise", "P1")]
    # 50.00 -> 55.56 a unit (+11 %), 10 -> 9 (−10 %, within the tolerance); margin 10 % against the category's 42 %
    assert (p1["price_previous"], p1["price"], p1["quantity_change"]) == (D("50.00"), D("55.56"), D("-0.1000"))
    assert (p1["margin"], p1["category_margin"]) == (D("0.1000"), D("0.4200"))
    assert p1["reason"] == "price rose, quantity held; margin below the category's"
    assert found[("cut", "P3")]["reason"] == "slow stock"


def test_targets_set_and_compared(history, rd, engine):
    with transaction(engine, history.boss) as s:
        targets.set_target(s, history.boss, "wang", "2026-06", "3,000")
    with transaction(engine, history.boss) as s, pytest.raises(PermissionDenied):
        targets.set_target(s, history.boss, "li", "2026-06", "100")  # not one of boss's people
    with transaction(engine, history.wang) as s, pytest.raises(PermissionDenied):
        targets.set_target(s, history.wang, "wang", "2026-06", "100")
    for month, amount in (("2026-13", "1"), ("2026-6", "1"), ("2026-06", "-5"), ("2026-06", "abc")):
        with transaction(engine, history.admin) as s, pytest.raises(ValidationError):
            targets.set_target(s, history.admin, "wang", month, amount)
    with rd() as s:
        report = targets.targets(s, history.admin, date(2026, 6, 1), date(2026, 6, 30))
    rows = {r["staff"]: r for r in report.rows}
    assert (rows["王业务"]["target"], rows["王业务"]["actual"], rows["王业务"]["achieved"]) == (
        D("3000.00"), D("2500.00"), D("0.8333"))
    with rd(history.li) as s:
        assert targets.targets(s, history.li, date(2026, 6, 1), date(2026, 6, 30)).rows == []
    from crm_tui.db.models.analysis import SalesTarget
    from crm_tui.services.common.audit import history as audit_history

    with rd() as s:
        tid = s.query(SalesTarget.id).scalar()
        assert audit_history(s, "sales_targets", tid)


def test_dashboard(history, rd):
    with clock.frozen(AS_OF), rd() as s:
        report = dashboard.dashboard(s, history.admin, date(2026, 6, 1), date(2026, 6, 30))
    summary = report.summary
    assert (summary["sales"], summary["sales_last_year"], summary["yoy"]) == (D("2600.00"), D("700.00"),
                                                                             D("2.7143"))
    assert (summary["receivables"], summary["overdue"]) == (D("11500.00"), D("8900.00"))
    assert summary["churn_count"] == 2 and summary["stock_value"] == D("100.00")
    # no opportunity yet: the funnel's six stages, empty
    assert [(r["count"], r["amount"]) for r in summary["funnel"]] == [(0, D(0))] * 6 and not report.notes
    assert [r["code"] for r in report.rows] == ["C2", "C5", "P2", "P1"]
    data = dashboard.dashboard_json(report)
    assert data["top_customers"][0] == {"code": "C2", "name": "客户C2", "amount": "2500.00"}
    with clock.frozen(AS_OF), rd(history.wang) as s:
        mine = dashboard.dashboard(s, history.wang, date(2026, 6, 1), date(2026, 6, 30)).summary
    assert mine["sales"] == D("2600.00") and mine["churn_count"] == 1 and mine["stock_value"] is None


def test_hook_fills_the_funnel(history, rd, monkeypatch):
    from crm_tui.services.analysis import hooks

    monkeypatch.setitem(hooks.HOOKS, "funnel", lambda s, a, p: [{"stage": "lead", "count": 3, "amount": D(10)}])
    with clock.frozen(AS_OF), rd() as s:
        report = dashboard.dashboard(s, history.admin, date(2026, 6, 1), date(2026, 6, 30))
    assert report.summary["funnel"] == [{"stage": "lead", "count": 3, "amount": D(10)}] and not report.notes
    monkeypatch.setitem(hooks.HOOKS, "funnel", "crm_tui.services.no_such_area.analysis:funnel")
    assert hooks.lookup("funnel") is None


@pytest.mark.parametrize("who", ["admin", "wang"])
def test_dashboard_receivables_match_the_sales_aging(history, rd, engine, who):
    from sqlalchemy import insert, update

    from crm_tui.db.models.customers import Customer
    from crm_tui.db.models.sales import Receipt
    from crm_tui.services.sales import receivables as rv

    with transaction(engine, history.admin) as s:  # a receipt that pays part of C2, openings old and new
        s.execute(insert(Receipt).values(customer_id=history.customers["C2"], status="confirmed",
                                         received_on=date(2026, 6, 5), amount=D("1200"), amount_cny=D("1200")))
        s.execute(update(Customer).where(Customer.code == "C1").values(opening_balance=D("250")))
        s.execute(update(Customer).where(Customer.code == "C5").values(opening_balance=D("80"),
                                                                      created_on=date(2026, 6, 20)))
    actor = getattr(history, who)
    with rd(actor) as s:
        totals = rv.totals(rv.receivables(s, actor, AS_OF))
        balance, overdue = dashboard.receivables_totals(s, actor, AS_OF)
    assert (balance, overdue) == (totals.balance, sum(totals.aging[1:], D(0)))
    assert balance > 0 and overdue > 0
