"""The tally as of a day, through the database (both engines), the CLI's --as-of and JSON, and publishing
only what is over (issue 19)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from crm_tui.cli import cli
from crm_tui.core.clock import frozen
from crm_tui.core.errors import StateError
from crm_tui.db.session import read_session, transaction
from crm_tui.services.visits.publish import month_period, month_tally, publish, week_period
from crm_tui.services.visits.upload_import import import_uploads

from .conftest import row, write_export

# 褚洋 (餐饮业务员, quota 8 = 4 morning + 4 afternoon, 2 visits per customer per month; customers K0008, K0009):
# a full day on Monday 1 March at K0008, and one upload on Saturday 20 March at K0009.
ROWS = ([row("褚洋", f"2027-03-01 {h}:{m:02d}") for h in (9, 14) for m in (0, 10, 20, 30)]
        + [row("褚洋", "2027-03-20 09:00", "K0009")])


@pytest.fixture
def loaded(engine, company, statistician, tmp_path):
    with transaction(engine, statistician) as session:
        import_uploads(session, statistician, write_export(tmp_path / "m.xlsx", ROWS))


def _chu(report: dict) -> dict:
    return next(p for p in report["people"] if p["staff"] == "褚洋")


def test_mid_month_tally_defaults_to_today(engine, loaded, statistician):
    with frozen(date(2027, 3, 10)), read_session(engine) as session:
        report = month_tally(session, statistician, "2027-03")
    assert (report["as_of"], report["days_left"], report["month_over"]) == ("2027-03-10", 21, False)
    chu = _chu(report)
    # Working days to Wednesday 10 March: 1–6 and 8–10 (7 March is a Sunday) = 9; 1 March full, 8 days × 100.
    assert (chu["working_days"], chu["uploads"], chu["daily_fines"]) == (9, 8, 800)
    # so far / required: K0008 1 of 2, K0009 0 of 2 (its upload on the 20th has not come yet); not fined.
    assert [(s["customer"], s["visits"], s["required"]) for s in chu["under_minimum"]] == [
        ("K0008", 1, 2), ("K0009", 0, 2)]
    assert chu["customer_fines"] == 0 and chu["total_fine"] == 800
    day = next(d for d in chu["days"] if d["date"] == "2027-03-01")
    assert (day["am"], day["pm"], day["am_quota"], day["pm_quota"], day["fine"]) == (4, 4, 4, 4, 0)
    later = next(d for d in chu["days"] if d["date"] == "2027-03-22")
    assert (later["working"], later["future"], later["fine"]) == (False, True, 0)


def test_as_of_the_last_day_fines_customers(engine, loaded, statistician):
    with read_session(engine) as session:
        report = month_tally(session, statistician, "2027-03", as_of=date(2027, 3, 31))
    chu = _chu(report)
    # 31 days − 4 Sundays = 27 working days; 1 March full; the other 26 short (20 March: 1 of 8) → 2600.
    # K0008 and K0009 each have 1 visit day of 2 → 2 × 50.
    assert (chu["working_days"], chu["daily_fines"], chu["customer_fines"], chu["total_fine"]) == (27, 2600, 100, 2700)
    assert report["as_of"] == "2027-03-31" and report["days_left"] == 0
    assert report["totals"]["total_fine"] == sum(p["total_fine"] for p in report["people"])


def test_publishing_waits_for_the_end(engine, loaded, statistician):
    with frozen(date(2027, 3, 30)), transaction(engine, statistician) as session, \
            pytest.raises(StateError, match="not over"):
        publish(session, statistician, month_period("2027-03"))
    with frozen(date(2027, 3, 14)), transaction(engine, statistician) as session, \
            pytest.raises(StateError, match="not over"):
        publish(session, statistician, week_period("2027-W10"))   # 8–14 March: over on the 15th
    with frozen(date(2027, 3, 15)), transaction(engine, statistician) as session:
        assert publish(session, statistician, week_period("2027-W10"))["as_of"] == "2027-03-15"
    with frozen(date(2027, 3, 31)), transaction(engine, statistician) as session:
        report = publish(session, statistician, month_period("2027-03"))
    assert report["as_of"] == "2027-03-31" and _chu(report)["customer_fines"] == 100
    # published: the frozen report, not a tally as of another day
    with read_session(engine) as session:
        assert month_tally(session, statistician, "2027-03")["as_of"] == "2027-03-31"
        with pytest.raises(StateError, match="as of another day"):
            month_tally(session, statistician, "2027-03", as_of=date(2027, 3, 20))


def test_cli_as_of_in_json_and_table(db_url, loaded, monkeypatch):
    monkeypatch.setenv("CRM_USER", "admin")
    monkeypatch.setenv("CRM_PASSWORD", "admin-pass")
    runner = CliRunner()

    def crm(*args):
        return runner.invoke(cli, ["--lang", "en", "--db", db_url, "visits", *args], catch_exceptions=False)

    out = crm("tally", "--month", "2027-03", "--as-of", "2027-03-10", "--format", "json")
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    assert report["as_of"] == "2027-03-10" and _chu(report)["daily_fines"] == 800
    table = crm("tally", "--month", "2027-03", "--as-of", "2027-03-10").output
    assert "as of 2027-03-10" in table and "21 days left" in table
    bad = crm("tally", "--month", "2027-03", "--as-of", "10.3.2027")
    assert bad.exit_code != 0 and "--as-of" in bad.output and "YYYY-MM-DD" in bad.output
