"""Reorder overdue on both engines: odd and even counts of intervals, orders on one day, and the factor's edge
(exact arithmetic: 13 days are not beyond 1.3 × 10)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

from sqlalchemy import insert

from crm_tui.db.session import read_session, transaction
from crm_tui.services.analysis import reorder

AS_OF = date(2026, 6, 30)


def _orders(engine, admin, days_by_code: dict[str, list[int]]) -> None:
    """Orders ``n`` days before AS_OF for each customer (one order per entry; a day twice is two orders)."""
    from crm_tui.db.models.customers import Customer
    from crm_tui.db.models.sales import SalesOrder

    with transaction(engine, admin) as s:
        for code, days in days_by_code.items():
            cid = s.execute(insert(Customer).values(code=code, name=f"客户{code}", status="active",
                                                    created_on=date(2024, 1, 1)).returning(Customer.id)).scalar_one()
            for n in days:
                s.execute(insert(SalesOrder).values(customer_id=cid, order_date=AS_OF - timedelta(days=n),
                                                    status="confirmed", net_total=D(100), tax_total=D(0),
                                                    gross_total=D(100)))


def _rows(engine, admin, factor):
    with read_session(engine, admin) as s:
        report = reorder.overdue(s, admin, date_to=AS_OF, factor=factor)
    return {r["customer_code"]: r for r in report.as_json()}


def test_medians_of_odd_and_even_counts(engine, admin):
    _orders(engine, admin, {
        "ODD": [100, 110, 130, 160],  # intervals 10, 20, 30: median 20
        "EVEN": [100, 110, 131],  # intervals 10, 21: median 15.5
        "EVEN0": [100, 110, 130],  # intervals 10, 20: median 15.0, written as statistics.median gives it
        "SAMEDAY": [100, 100, 100],  # three orders on one day: no rhythm
        "TWO": [100, 130],  # two orders only
        "SOON": [5, 15, 25],  # ordered 5 days ago, median 10: not late
    })
    rows = _rows(engine, admin, D("1.5"))
    assert sorted(rows) == ["EVEN", "EVEN0", "ODD"]
    assert [rows[c]["median_interval_days"] for c in ("ODD", "EVEN", "EVEN0")] == ["20", "15.5", "15.0"]
    assert rows["EVEN"]["expected_date"] == str(AS_OF - timedelta(days=100 - 16))  # 15.5 rounds half up
    assert (rows["ODD"]["orders"], rows["ODD"]["days_since_last"], rows["ODD"]["days_overdue"]) == (4, 100, 80)


def test_the_factor_is_compared_exactly(engine, admin):
    _orders(engine, admin, {"AT": [13, 23, 33], "PAST": [14, 24, 34]})  # median 10; 13 and 14 days since
    assert sorted(_rows(engine, admin, D("1.3"))) == ["PAST"]  # 13 is not beyond 1.3 × 10
    assert sorted(_rows(engine, admin, D("1.29"))) == ["AT", "PAST"]
