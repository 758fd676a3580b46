"""``crm demo`` adds a month of visit uploads that the tally reads."""

from __future__ import annotations

import pytest

from crm_tui.db.session import read_session
from crm_tui.services.demo import TODAY
from crm_tui.services.demo.visits import demo_month
from crm_tui.services.visits.publish import month_tally


@pytest.mark.xdist_group("demo")
def test_demo_month_of_uploads(demo):
    engine, admin, counts = demo.engine, demo.admin, demo.counts
    assert counts["visit uploads"] > 1000
    year, month = demo_month(TODAY)
    with read_session(engine) as session:
        report = month_tally(session, admin, f"{year}-{month:02d}")
    people = {p["staff"]: p for p in report["people"]}
    assert {"孙伟", "郑凯", "褚洋"} <= set(people)
    assert report["totals"]["uploads"] > 1000 and report["totals"]["void_uploads"] > 0
    assert any(p["flex"] for p in report["people"])
    assert any(d["leave"] for p in report["people"] for d in p["days"])
    assert people["褚洋"]["customers_in_charge"] > 0
    assert report["totals"]["total_fine"] == sum(p["total_fine"] for p in report["people"])
